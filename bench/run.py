#!/usr/bin/env python3
"""Benchmark our generator against Pelican, MkDocs and Hugo on synthetic archives.

    python bench/run.py                      # N = 1,000 and 10,000, median of 3 runs, with the peers
    python bench/run.py --sizes 1000 --runs 1
    python bench/run.py --quick --ours-only  # a small smoke run (used by tests/test_bench.py)

For each N it generates a synthetic archive (bench/generate.py, fixed --seed) into bench/work/, then
times, each as a separate process measured from outside (wall time, and the peak resident memory
that the kernel reports for the process and its descendants through wait4, as GNU time's %M does):

  ours   the full clean build (the output and anything beside it removed first), a no-op rebuild,
         and the rebuilds after editing one annotation (twice), one article (its title) and one template;
  peers  Pelican, MkDocs and Hugo building the same article texts with their tags (outlet and
         themes), without annotations: a full clean build each, with a time limit; and Hugo +
         Pagefind: Hugo's build, then Pagefind's extended command line (the version our build
         uses) indexing its article pages, timed together.

It also reports the size of each clean build's output (ours, and each peer's), in MB and files.

The peers are installed by this script: Pelican and MkDocs with pip, at pinned versions, into
bench/work/venv-peers; Hugo from Debian's package (apt-get, as root). It prints a Markdown table
with the machine it ran on and writes it to bench/results.md (replaced on every run); the raw
samples go to bench/work/results.json. Every child process has a time limit; a step that cannot
be done (an install, a generation, a failing build) stops the run with a message and exit status 1.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import platform
import re
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"

# The peers' versions, pinned so that runs on different days compare the same software.
PEER_PINS = {"pelican": "4.12.0", "markdown": "3.11.3", "mkdocs": "1.6.1"}
OUR_PACKAGES = ("jinja2", "markdown", "pyyaml", "opencc", "nh3", "pagefind", "cn2an")

QUICK_SIZE = 30
INSTALL_LIMIT = 900  # seconds for one pip or apt-get command
GENERATE_LIMIT = 3600

OUR_STEPS = (
    ("full", "full clean build"),
    ("noop", "no-op rebuild"),
    ("annotation", "rebuild after editing one annotation"),
    ("annotation-again", "rebuild after editing that annotation again"),
    ("article", "rebuild after editing one article (its title)"),
    ("template", "rebuild after editing one template (article.html)"),
)
PEERS = ("pelican", "mkdocs", "hugo", "hugo-pagefind")
PEER_NAMES = {"pelican": "Pelican", "mkdocs": "MkDocs", "hugo": "Hugo", "hugo-pagefind": "Hugo + Pagefind"}
PAGEFIND_GLOB = "articles/**/*.html"  # what Pagefind indexes of Hugo's site: its article pages


class BenchError(Exception):
    """A step of the benchmark could not be done: reported in one line, exit status 1."""


def say(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


# ------------------------------------------------------------------------------------ measuring

@dataclass
class Sample:
    seconds: float | None  # None: killed at the time limit
    peak_kib: int | None
    status: int


def measure(command: list[str], cwd: Path, limit: float, log: Path, env: dict[str, str] | None = None) -> Sample:
    """Run one command as its own process group; wall time and peak RSS, killed after `limit` s."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "ab") as out:
        out.write(f"\n$ {' '.join(map(str, command))}\n".encode())
        out.flush()
        reaped: dict[str, object] = {}
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, stdin=subprocess.DEVNULL, stdout=out,
                                   stderr=subprocess.STDOUT, start_new_session=True, env=env)

        def reap() -> None:
            reaped["wait"] = os.wait4(process.pid, 0)
            reaped["end"] = time.perf_counter()

        waiter = threading.Thread(target=reap, daemon=True)
        waiter.start()
        try:
            waiter.join(limit)
        except BaseException:  # Ctrl-C: the child has its own session and would not get the signal
            os.killpg(process.pid, signal.SIGKILL)
            raise
        if waiter.is_alive():
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            waiter.join(60)
            process.returncode = -9
            out.write(f"bench: killed after the time limit of {limit:g} s\n".encode())
            return Sample(None, None, -9)
    _, status, usage = reaped["wait"]  # type: ignore[misc]
    process.returncode = os.waitstatus_to_exitcode(status)
    return Sample(reaped["end"] - start, usage.ru_maxrss, process.returncode)  # type: ignore[operator]


def run_checked(command: list[str], limit: float, what: str, cwd: Path | None = None,
                env: dict[str, str] | None = None) -> str:
    """Run a helper command (install, version query); its output, or BenchError naming `what`."""
    try:
        done = subprocess.run(command, cwd=cwd, env=env, stdin=subprocess.DEVNULL, capture_output=True,
                              text=True, timeout=limit)
    except subprocess.TimeoutExpired:
        raise BenchError(f"{what}: no answer after {limit:g} s ({' '.join(map(str, command))})") from None
    except OSError as error:
        raise BenchError(f"{what}: {error}") from None
    if done.returncode != 0:
        tail = "\n".join((done.stdout + done.stderr).strip().splitlines()[-15:])
        raise BenchError(f"{what} failed (exit status {done.returncode}): {' '.join(map(str, command))}\n{tail}")
    return done.stdout


def published_size(folder: Path) -> tuple[int, int]:
    """(bytes, files) of a built site, each file counted as published."""
    total = files = 0
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink():
            total += path.stat().st_size
            files += 1
    return total, files


# ------------------------------------------------------------------------------------ installing

def install_peers(work: Path) -> dict[str, str]:
    """Pelican and MkDocs in bench/work/venv-peers (pinned), Hugo from Debian; their versions."""
    venv = work / "venv-peers"
    python = venv / "bin" / "python"
    pins = [f"{name}=={version}" for name, version in PEER_PINS.items()]
    stamp = venv / "bench-pins.txt"
    if not (python.exists() and stamp.exists() and stamp.read_text() == "\n".join(pins)):
        if venv.exists():
            shutil.rmtree(venv)
        say(f"installing {', '.join(pins)} into {venv}")
        try:
            run_checked([sys.executable, "-m", "venv", str(venv)], 300, "creating the peers' virtualenv")
        except BenchError:
            # Debian's own python3 needs python3-venv for ensurepip.
            shutil.rmtree(venv, ignore_errors=True)
            apt_install("python3-venv")
            run_checked([sys.executable, "-m", "venv", str(venv)], 300, "creating the peers' virtualenv")
        run_checked([str(python), "-m", "pip", "install", "--disable-pip-version-check", "--no-input",
                     "--timeout", "60", "-q", *pins], INSTALL_LIMIT, "installing Pelican and MkDocs with pip")
        stamp.write_text("\n".join(pins))
    versions = json.loads(run_checked(
        [str(python), "-c", "import json, importlib.metadata as m; "
         f"print(json.dumps({{n: m.version(n) for n in {list(PEER_PINS)!r}}}))"], 60, "reading the peers' versions"))
    if not shutil.which("hugo"):
        apt_install("hugo")
    hugo = run_checked(["hugo", "version"], 60, "running hugo version").strip()
    match = re.search(r"v(\d+\.\d+\.\d+)", hugo)
    versions["hugo"] = match.group(1) if match else hugo
    versions["hugo (full)"] = hugo
    pagefind = str(pagefind_binary())
    versions["pagefind"] = run_checked([pagefind, "--version"], 60, "running pagefind --version").strip().split()[-1]
    return versions


def pagefind_binary() -> Path:
    """Pagefind's extended binary, as our build runs it (framing/search/pagefind.py), from the pinned package."""
    sys.path.insert(0, str(ROOT))
    try:
        from framing.search.pagefind import SearchIndexError, executable
        try:
            return executable()
        except SearchIndexError as error:
            raise BenchError(str(error)) from None
    finally:
        sys.path.remove(str(ROOT))


def apt_install(package: str) -> None:
    if not shutil.which("apt-get"):
        raise BenchError(f"'{package}' is needed and this machine has no apt-get: install it, then run again")
    if os.geteuid() != 0:
        raise BenchError(f"'{package}' is needed: install it (apt-get install {package}, as root), "
                         "or run this script as root")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    install = ["apt-get", "-o", "DPkg::Lock::Timeout=300", "install", "-y", "-q", package]
    say(f"installing {package} with apt-get")
    try:
        run_checked(install, INSTALL_LIMIT, f"apt-get install {package}", env=env)
    except BenchError:
        run_checked(["apt-get", "-o", "DPkg::Lock::Timeout=300", "update", "-q"], INSTALL_LIMIT,
                    "apt-get update", env=env)
        run_checked(install, INSTALL_LIMIT, f"apt-get install {package}", env=env)


# ------------------------------------------------------------------------------------ archives

def tree_digest(*paths: Path) -> str:
    digest = hashlib.sha256()
    for base in paths:
        for path in sorted(p for p in base.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def files_digest(root: Path) -> dict[str, str]:
    """{path under root: SHA-256} of every file of a built site."""
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def ensure_archive(work: Path, count: int, seed: int) -> Path:
    """bench/work/archive-N, generated unless one from the same generator, seed and seed content exists."""
    out = work / f"archive-{count}"
    stamp = {"articles": count, "seed": seed,
             "inputs": tree_digest(BENCH / "generate.py", ROOT / "content", ROOT / "templates")}
    stamp_file = out / "bench-stamp.json"
    if stamp_file.exists() and json.loads(stamp_file.read_text()) == stamp:
        say(f"N={count}: reusing {out}")
        return out
    say(f"N={count}: generating the synthetic archive into {out}")
    sample = measure([sys.executable, str(BENCH / "generate.py"), "--articles", str(count), "--out", str(out),
                      "--seed", str(seed)], ROOT, GENERATE_LIMIT, work / "logs" / f"generate-{count}.log")
    if sample.status != 0:
        raise BenchError(f"bench/generate.py failed for N={count} (exit status {sample.status}); "
                         f"see {work / 'logs' / f'generate-{count}.log'}")
    stamp_file.write_text(json.dumps(stamp))
    return out


def read_front(text: str) -> tuple[dict[str, str], str]:
    """The flat `key: value` fields of a synthetic article's front matter, and its body."""
    _, front, body = text.split("---\n", 2)
    fields = {}
    for line in front.splitlines():
        key, sep, value = line.partition(": ")
        if sep and not line.startswith(" "):
            fields[key] = value.strip()
    return fields, body.lstrip("\n")


@dataclass
class PlainArticle:
    slug: str
    title: str
    date: str
    tags: list[str]
    body: str


def plain_articles(archive: Path) -> list[PlainArticle]:
    """The synthetic articles with title, date and tags (outlet, then the themes of their annotations)."""
    claim_theme = {}
    for path in sorted((archive / "content" / "claims").glob("*.md")):
        if path.name.endswith(".en.md"):
            continue
        fields, _ = read_front(path.read_text(encoding="utf-8"))
        claim_theme[path.stem] = fields.get("theme", "").strip("\"'")
    articles = []
    for path in sorted((archive / "content" / "articles").glob("*.md")):
        fields, body = read_front(path.read_text(encoding="utf-8"))
        notes = archive / "content" / "annotations" / path.name
        claims = re.findall(r"^claim: *(\S+)", notes.read_text(encoding="utf-8"), re.M) if notes.exists() else []
        themes = sorted({claim_theme[c] for c in claims if claim_theme.get(c)})
        articles.append(PlainArticle(path.stem, fields["title"], fields["published"],
                                     [fields["outlet"], *themes], body))
    return articles


def write_peer_projects(archive: Path, dest: Path) -> None:
    """Pelican, MkDocs and Hugo projects of the same article texts, under dest/{pelican,mkdocs,hugo}."""
    stamp = json.dumps({"archive": json.loads((archive / "bench-stamp.json").read_text()),
                        "writer": hashlib.sha256(Path(__file__).read_bytes()).hexdigest()})
    stamp_file = dest / "bench-stamp.json"
    if stamp_file.exists() and stamp_file.read_text() == stamp:
        return
    if dest.exists():
        shutil.rmtree(dest)
    articles = plain_articles(archive)
    pelican, mkdocs, hugo = dest / "pelican", dest / "mkdocs", dest / "hugo"
    for folder in (pelican / "content", mkdocs / "docs" / "articles", hugo / "content" / "articles",
                   hugo / "layouts" / "_default"):
        folder.mkdir(parents=True)
    (pelican / "pelicanconf.py").write_text(
        'SITENAME = "Synthetic archive"\nSITEURL = ""\nPATH = "content"\nTIMEZONE = "UTC"\n'
        'DEFAULT_LANG = "zh"\nDEFAULT_PAGINATION = 10\nRELATIVE_URLS = True\n'
        'LOAD_CONTENT_CACHE = False\n'
        # Page 2 of the tag '合成媒体3' would otherwise be saved where the tag '合成媒体32' is.
        'PAGINATION_PATTERNS = ((1, "{url}", "{save_as}"),\n'
        '                       (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"))\n',
        encoding="utf-8")
    (mkdocs / "mkdocs.yml").write_text(
        'site_name: Synthetic archive\ndocs_dir: docs\nsite_dir: site\nuse_directory_urls: true\n',
        encoding="utf-8")
    (mkdocs / "docs" / "index.md").write_text("# Synthetic archive\n", encoding="utf-8")
    (hugo / "config.toml").write_text(
        'baseURL = "https://example.org/"\ntitle = "Synthetic archive"\nlanguageCode = "zh-cn"\n'
        'defaultContentLanguage = "zh"\nhasCJKLanguage = true\npaginate = 10\n'
        '[taxonomies]\n  tag = "tags"\n', encoding="utf-8")
    layouts = hugo / "layouts" / "_default"
    (layouts / "baseof.html").write_text(
        '<!DOCTYPE html>\n<html lang="zh"><head><meta charset="utf-8"><title>{{ .Title }} · {{ .Site.Title }}'
        '</title></head>\n<body><nav><a href="{{ "/" | relURL }}">{{ .Site.Title }}</a></nav>\n'
        '{{ block "main" . }}{{ end }}\n</body></html>\n', encoding="utf-8")
    (layouts / "single.html").write_text(
        '{{ define "main" }}<article><h1>{{ .Title }}</h1><time>{{ .Date.Format "2006-01-02" }}</time>\n'
        '<ul>{{ range .GetTerms "tags" }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}'
        '</ul>\n{{ .Content }}</article>{{ end }}\n', encoding="utf-8")
    (layouts / "list.html").write_text(
        '{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Paginator.Pages }}'
        '<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>\n'
        '{{ with .Paginator }}{{ if .HasPrev }}<a href="{{ .Prev.URL }}">←</a>{{ end }}'
        '{{ if .HasNext }}<a href="{{ .Next.URL }}">→</a>{{ end }}{{ end }}{{ end }}\n', encoding="utf-8")
    for article in articles:
        yaml_front = (f"---\ntitle: {json.dumps(article.title, ensure_ascii=False)}\ndate: {article.date}\n"
                      f"tags: {json.dumps(article.tags, ensure_ascii=False)}\n---\n\n")
        (pelican / "content" / f"{article.slug}.md").write_text(
            f"Title: {article.title}\nDate: {article.date}\nTags: {', '.join(article.tags)}\n"
            f"Slug: {article.slug}\n\n{article.body}", encoding="utf-8")
        (mkdocs / "docs" / "articles" / f"{article.slug}.md").write_text(yaml_front + article.body, encoding="utf-8")
        (hugo / "content" / "articles" / f"{article.slug}.md").write_text(yaml_front + article.body, encoding="utf-8")
    stamp_file.write_text(stamp)


# ------------------------------------------------------------------------------------ our builds

def edit_annotation(project: Path, count: int) -> None:
    """Append a sentence to the commentary of the last annotation of an article near the middle."""
    notes = project / "content" / "annotations"
    for number in [*range(count // 2, count), *range(count // 2)]:
        path = notes / f"synthetic-{number:05d}.md"
        if path.exists() and "claim:" in path.read_text(encoding="utf-8"):
            text = path.read_text(encoding="utf-8").rstrip("\n")
            path.write_text(text + "基准测试在这里补充了一句话。\n", encoding="utf-8")
            return
    raise BenchError("no annotation to edit in the synthetic archive")


def edit_article(project: Path, count: int) -> None:
    """Change the title of an article near the middle (the body must stay verbatim)."""
    path = project / "content" / "articles" / f"synthetic-{count // 3:05d}.md"
    text = path.read_text(encoding="utf-8")
    edited = re.sub(r"^title: (.*)$", r"title: \1(修订)", text, count=1, flags=re.M)
    if edited == text:
        raise BenchError(f"no title: line in {path}")
    path.write_text(edited, encoding="utf-8")


def edit_template(project: Path, count: int) -> None:
    """Add a comment to templates/article.html."""
    path = project / "templates" / "article.html"
    if not path.exists():
        raise BenchError(f"{path} does not exist: the benchmark edits this template")
    with open(path, "a", encoding="utf-8") as out:
        out.write("\n{# bench: an edited template #}\n")


EDITS = {"annotation": edit_annotation, "annotation-again": edit_annotation, "article": edit_article,
         "template": edit_template}


TIMING_LINE = re.compile(r"^(?P<stage>[a-z][a-z ]*[a-z])\s+(?P<seconds>\d+\.\d+) s$")


def stage_timings(output: str) -> dict[str, float]:
    """The table that `build.py build --timings` prints: {stage: seconds}, 'total' included."""
    return {m["stage"]: float(m["seconds"]) for line in output.splitlines() if (m := TIMING_LINE.match(line.strip()))}


def measure_ours(archive: Path, work: Path, count: int, runs: int, limit: float,
                 samples: dict[str, list[Sample]], stages: dict[str, float], identical: dict[int, bool], save,
                 published: list[int]) -> None:
    """R rounds of: a fresh copy of the archive, a clean build, a no-op rebuild, three edits, and a
    clean build of the edited copy to compare with. stages receives the clean build's own account of
    its stages (--timings), from the last round, published the size of its output [bytes, files], and
    identical[count] whether the last round's output after the edits has the bytes of that clean build."""
    base = work / f"ours-{count}"
    project, out = base / "project", base / "out" / "site"
    log = work / "logs" / f"ours-{count}.log"
    # A cache kept under XDG_CACHE_HOME is wiped with the rest before every clean build.
    env = dict(os.environ, XDG_CACHE_HOME=str(base / "xdg-cache"))
    command = [sys.executable, str(ROOT / "build.py"), "build", "--content", str(project / "content"),
               "--templates", str(project / "templates"), "--out", str(out), "--quiet"]
    samples.update({step: [] for step, _ in OUR_STEPS})
    for round_ in range(1, runs + 1):
        if base.exists():
            shutil.rmtree(base)  # the output, anything kept beside it, and the edited copy
        project.mkdir(parents=True)
        for name in ("content", "templates"):
            shutil.copytree(archive / name, project / name)
        out.parent.mkdir(parents=True)
        for step, label in OUR_STEPS:
            if step in EDITS:
                EDITS[step](project, count)
            logged = log.stat().st_size if log.exists() else 0
            sample = measure(command + (["--timings"] if step == "full" else []), base, limit, log, env)
            if sample.seconds is not None and sample.status != 0:
                raise BenchError(f"our build failed at N={count} ({label}, exit status {sample.status}); see {log}")
            if step == "full" and sample.seconds is not None:
                published[:] = published_size(out)
            if step == "full":
                with open(log, "rb") as printed:
                    printed.seek(logged)
                    stages.clear()
                    stages.update(stage_timings(printed.read().decode("utf-8", "replace")))
            samples[step].append(sample)
            save()
            say(f"N={count} ours {label}, run {round_}/{runs}: {fmt_seconds(sample, limit)}, "
                f"{fmt_memory(sample)}")
            if sample.seconds is None:
                say(f"N={count}: our build passed the limit of {limit:g} s; the remaining steps are skipped")
                for rest, _ in OUR_STEPS[[s for s, _ in OUR_STEPS].index(step) + 1:]:
                    samples[rest].append(Sample(None, None, -9))
                break
        else:
            identical[count] = same_as_clean_build(command, project, out, base, limit, log, env)
            save()


def same_as_clean_build(command: list[str], project: Path, out: Path, base: Path, limit: float, log: Path,
                        env: dict[str, str]) -> bool:
    """Whether the output of the edited project, built step by step, has the bytes of a clean build of it."""
    clean = base / "clean" / "site"
    clean.parent.mkdir(parents=True, exist_ok=True)
    sample = measure([*command[:command.index("--out")], "--out", str(clean), "--quiet"], base, limit, log, env)
    if sample.status != 0:
        raise BenchError(f"the clean build to compare with failed (exit status {sample.status}); see {log}")
    same = files_digest(out) == files_digest(clean)
    say(f"incremental output {'has' if same else 'DOES NOT have'} the bytes of a clean build")
    return same


def measure_peer(peer: str, projects: Path, work: Path, count: int, runs: int, limit: float,
                 samples: list[Sample], save, published: list[int]) -> None:
    """R clean builds of one peer; published receives the size of its output [bytes, files]."""
    venv_bin = work / "venv-peers" / "bin"
    folder = projects / ("hugo" if peer == "hugo-pagefind" else peer)
    log = work / "logs" / f"{peer}-{count}.log"
    if peer == "pelican":
        command, output = [str(venv_bin / "pelican"), "content", "-o", "output", "-s", "pelicanconf.py", "-q"], \
            ["output", "cache", "__pycache__"]
    elif peer == "mkdocs":
        command, output = [str(venv_bin / "mkdocs"), "build", "-q", "-f", "mkdocs.yml"], ["site"]
    elif peer == "hugo":
        command, output = ["hugo", "--quiet", "--source", str(folder), "--destination", "public",
                           "--cacheDir", str(folder / "cache")], ["public", "resources", "cache", ".hugo_build.lock"]
    else:  # Hugo's build, then Pagefind over its article pages: one process group, timed together
        hugo = ["hugo", "--quiet", "--source", str(folder), "--destination", "public-pagefind", "--cacheDir", str(folder / "cache")]
        index = [str(pagefind_binary()), "--site", "public-pagefind", "--glob", PAGEFIND_GLOB, "--quiet"]
        command = ["sh", "-c", f"{shlex.join(hugo)} && exec {shlex.join(index)}"]
        output = ["public-pagefind", "resources", "cache", ".hugo_build.lock"]
    for round_ in range(1, runs + 1):
        for name in output:
            path = folder / name
            if path.is_dir():
                shutil.rmtree(path)
            elif path.exists():
                path.unlink()
        sample = measure(command, folder, limit, log)
        if sample.seconds is not None and sample.status != 0:
            raise BenchError(f"{PEER_NAMES[peer]} failed at N={count} (exit status {sample.status}); see {log}")
        if sample.seconds is not None:
            published[:] = published_size(folder / output[0])
        samples.append(sample)
        save()
        say(f"N={count} {PEER_NAMES[peer]} full build, run {round_}/{runs}: {fmt_seconds(sample, limit)}, "
            f"{fmt_memory(sample)}")
        if sample.seconds is None:
            break  # the remaining runs would pass the limit too


# ------------------------------------------------------------------------------------ the table

@dataclass
class Row:
    label: str
    samples: dict[int, list[Sample]] = field(default_factory=dict)
    limit: float = 0


def median_seconds(samples: list[Sample]) -> float | None:
    """The median wall time; None when any run passed the limit (the median would be a guess)."""
    if not samples or any(s.seconds is None for s in samples):
        return None
    return statistics.median(s.seconds for s in samples)  # type: ignore[misc]


def peak(samples: list[Sample]) -> int | None:
    values = [s.peak_kib for s in samples if s.peak_kib is not None]
    return max(values) if values else None


def fmt_secs(value: float) -> str:
    return f"{value:.2f} s" if value < 100 else f"{value:.0f} s"


def fmt_seconds(sample: Sample, limit: float) -> str:
    return f"> {limit:g} s (limit)" if sample.seconds is None else fmt_secs(sample.seconds)


def fmt_memory(sample: Sample) -> str:
    return "—" if sample.peak_kib is None else f"{sample.peak_kib / 1024:.0f} MiB"


def cell_time(row: Row, count: int) -> str:
    samples = row.samples.get(count)
    if not samples:
        return "—"
    value = median_seconds(samples)
    return f"> {row.limit:g} s (limit)" if value is None else fmt_secs(value)


def cell_memory(row: Row, count: int) -> str:
    value = peak(row.samples.get(count, []))
    return "—" if value is None else f"{value / 1024:.0f} MiB"


def ratio(ours: float | None, peer: float | None, peer_limit: float) -> str:
    if ours is None:
        return "—"
    if peer is None:
        return f"< {ours / peer_limit:.2f}×"
    return f"{ours / peer:.2f}×"


def size_rows(published: dict[str, dict[int, list[int]]], sizes: list[int], growth: bool) -> list[str]:
    """A row per builder: the size of its clean build's output at each N, in MB and files."""
    lines = []
    for name, by_count in sorted(published.items(), key=lambda item: item[0] != "ours"):
        label = "ours" if name == "ours" else PEER_NAMES[name]
        cells = [f"{label}: published size"]
        for count in sizes:
            size = by_count.get(count)
            cells += [f"{size[0] / 1e6:,.0f} MB" if size[0] >= 1e7 else f"{size[0] / 1e6:.1f} MB", f"{size[1]:,} files"] \
                if size else ["—", ""]
        if growth:
            first, last = (by_count.get(n) for n in (sizes[0], sizes[-1]))
            cells.append(f"{last[0] / first[0]:.1f}× (size)" if first and last else "—")
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def table(rows: list[Row], sizes: list[int], ratios: list[tuple[str, Row, Row]],
          published: dict[str, dict[int, list[int]]]) -> list[str]:
    growth = len(sizes) > 1
    head = ["measurement"]
    for count in sizes:
        head += [f"N={count:,}: time", f"N={count:,}: peak RSS"]
    if growth:
        head.append(f"growth {sizes[0]:,} → {sizes[-1]:,} (time)")
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for row in rows:
        cells = [row.label]
        for count in sizes:
            cells += [cell_time(row, count), cell_memory(row, count)]
        if growth:
            first, last = (median_seconds(row.samples.get(n, [])) for n in (sizes[0], sizes[-1]))
            cells.append(f"{last / first:.1f}×" if first and last else "—")
        lines.append("| " + " | ".join(cells) + " |")
    for label, ours, peer in ratios:
        cells = [label]
        for count in sizes:
            if ours.samples.get(count) and peer.samples.get(count):
                cells += [ratio(median_seconds(ours.samples[count]), median_seconds(peer.samples[count]),
                                peer.limit), ""]
            else:
                cells += ["—", ""]
        if growth:
            cells.append("")
        lines.append("| " + " | ".join(cells) + " |")
    per_page = ["ours: full clean build per article"]
    for count in sizes:
        value = median_seconds(rows[0].samples.get(count, []))
        per_page += [f"{value / count * 1000:.1f} ms" if value else "—", ""]
    if growth:
        per_page.append("")
    lines.append("| " + " | ".join(per_page) + " |")
    return lines + size_rows(published, sizes, growth)


def our_commit() -> str:
    """The commit of our generator, read without touching the repository (no index refresh)."""
    commit = "unknown"
    try:
        git = ["git", "--no-optional-locks", "-C", str(ROOT)]
        head = subprocess.run([*git, "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True, timeout=20, stdin=subprocess.DEVNULL)
        if head.returncode == 0:
            commit = head.stdout.strip()
            dirty = subprocess.run([*git, "status", "--porcelain", "--untracked-files=no"],
                                   capture_output=True, text=True, timeout=20, stdin=subprocess.DEVNULL)
            if dirty.returncode == 0 and dirty.stdout.strip():
                commit += " (with uncommitted changes)"
    except (OSError, subprocess.TimeoutExpired):
        pass
    return commit


def machine(peer_versions: dict[str, str] | None, commit: str, load_start: tuple[float, ...]) -> list[str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = "unknown"
    try:
        kib = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
        memory = f"{kib / 1024 / 1024:.1f} GiB"
    except (OSError, AttributeError):
        pass
    system = platform.platform()
    try:
        system = re.search(r'PRETTY_NAME="([^"]*)"', Path("/etc/os-release").read_text()).group(1)
    except (OSError, AttributeError):
        pass
    import importlib.metadata as metadata

    ours = []
    for name in OUR_PACKAGES:
        try:
            ours.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            pass
    load = " / ".join(f"{x:.2f}" for x in load_start) + " at the start, " \
        + " / ".join(f"{x:.2f}" for x in os.getloadavg()) + " at the end"
    lines = [
        f"- CPU: {cpu}; {os.cpu_count()} logical CPUs (nproc {len(os.sched_getaffinity(0))}); RAM {memory}",
        f"- System: {system}; Python {platform.python_version()}",
        f"- Load average (1/5/15 min): {load}",
        f"- Our generator: commit {commit}; {', '.join(ours)}",
    ]
    if peer_versions:
        lines.append(f"- Peers: Pelican {peer_versions['pelican']} (Markdown {peer_versions['markdown']}), "
                     f"MkDocs {peer_versions['mkdocs']}, Hugo {peer_versions['hugo']} (Debian package), "
                     f"Pagefind {peer_versions['pagefind']} (extended, from the pinned pagefind-bin-extended package)")
    return lines


def stage_table(stages: dict[int, dict[str, float]]) -> list[str]:
    """Where the time of our clean build goes, by the build's own account, per N: seconds and per article."""
    sizes = [n for n in sorted(stages) if stages[n]]
    if not sizes:
        return []
    names = list(dict.fromkeys(stage for n in sizes for stage in stages[n]))
    lines = ["## Where a clean build of ours spends its time", "",
             "From `build.py build --timings` in the clean build of the last run (wall time of each stage as the build "
             "reports it; the search indexer runs beside rendering and writing, and 'indexing for search' is the wait "
             "for it after they are done; where worker processes render the pages, the feeds and open data are made "
             "beside them too, and their stage is the wait for them).", "",
             "| stage | " + " | ".join(f"N={n:,}: s | N={n:,}: ms per article" for n in sizes) + " |",
             "|---|" + "---|---|" * len(sizes)]
    for name in names:
        cells = []
        for n in sizes:
            seconds = stages[n].get(name)
            cells += [f"{seconds:.2f}", f"{1000 * seconds / n:.1f}"] if seconds is not None else ["", ""]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return lines + [""]


def report(args: argparse.Namespace, sizes: list[int], ours: dict[int, dict[str, list[Sample]]],
           published: dict[str, dict[int, list[int]]],
           stages: dict[int, dict[str, float]], identical: dict[int, bool], peers: dict[str, dict[int, list[Sample]]], peer_versions: dict[str, str] | None,
           started: dt.datetime, command: str, complete: bool) -> str:
    our_rows = []
    for step, label in OUR_STEPS:
        our_rows.append(Row(f"ours: {label}", {n: ours[n].get(step, []) for n in ours}, args.ours_limit))
    peer_rows = {}
    for peer in PEERS:
        if peer in peers:
            version = peer_versions.get(peer, "") if peer_versions else ""
            version = "" if peer == "hugo-pagefind" else version  # the versions are under Machine
            peer_rows[peer] = Row(f"{PEER_NAMES[peer]} {version}: full build".replace(" :", ":"),
                                  peers[peer], args.limit)
    ratios = [(f"ratio ours / {PEER_NAMES[p]} (full build)", our_rows[0], row) for p, row in peer_rows.items()]
    lines = [
        "# Benchmark results",
        "",
        f"Written by `{command}` on {started:%Y-%m-%d %H:%M} UTC "
        f"({(dt.datetime.now(dt.timezone.utc) - started).total_seconds() / 60:.0f} min). "
        "Regenerate with the same command; this file is replaced on every run."
        + ("" if complete else " **Incomplete: the run was stopped or is still going; medians are of the runs done.**"),
        "",
        *table(our_rows + list(peer_rows.values()), sizes, ratios, published),
        "",
        *[f"- N={n}: after the edits, our output {'has' if same else '**does not have**'} the bytes of a clean build "
          "of the edited archive." for n, same in sorted(identical.items())],
        "",
        *stage_table(stages),
        "## Machine",
        "",
        *machine(peer_versions, args.commit, args.load_start),
        "",
        "## Method",
        "",
        f"- Synthetic archives from `bench/generate.py --seed {args.seed}`: N articles made of shuffled seed "
        "paragraphs (both scripts), about ten annotations each; ours builds all editions with the annotations.",
        f"- Each figure is the median wall time of {args.runs} run(s), each a separate process; peak RSS is "
        "the largest of the runs, as the kernel reports it for the process (wait4 `ru_maxrss`, like GNU "
        "time's `%M`: the largest single process, not a sum over a process pool).",
        "- Ours, per run: a fresh copy of the archive, the output folder and everything beside it removed, "
        "then the full build, the same build again (no-op), and the build after appending a sentence to "
        "one annotation, after appending another to it (the editor's second save: the first rebuild after a "
        "clean build writes a whole new tree, later ones update the tree the previous swap took out), after "
        "changing one article's `title:`, after adding a comment to `templates/article.html` (each edit on "
        "top of the previous one).",
        "- Peers build the same article texts with title, date and tags (the outlet and the themes of "
        "the article's annotations), without annotations, from a clean output folder: Pelican with its "
        "default theme (feeds, tag, category and archive pages, 10 per index page), MkDocs with its "
        "default theme (the tags stay page metadata: plain MkDocs makes no tag pages; its navigation "
        "lists every page on every page, so its cost grows with the square of N), Hugo with "
        "`hasCJKLanguage = true` and minimal single/list layouts (tag pages, RSS, sitemap), and Hugo + "
        f"Pagefind: the same Hugo build, then `pagefind --site public --glob '{PAGEFIND_GLOB}'` (one edition, "
        "its article pages), timed as one command. Ours builds three editions, each searchable.",
        "- Published size: the bytes and files of the output of the last clean build at each N (each file "
        "counted in full, as GitHub Pages receives it; GitHub Pages documents a limit of 1 GB for a site).",
        f"- Time limits: {args.limit:g} s for each peer build, {args.ours_limit:g} s for each of ours; "
        "\"> limit\" means the build was killed there, and a ratio \"< x\" is against that limit.",
        "- The machine may be shared: compare figures of one run with each other, and see the load average.",
        "",
    ]
    return "\n".join(lines)


# ------------------------------------------------------------------------------------ main

def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000], metavar="N",
                        help="archive sizes in articles (default: 1000 10000)")
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement; the median is shown (default 3)")
    parser.add_argument("--limit", type=float, default=300, help="time limit of one peer build in seconds (default 300)")
    parser.add_argument("--ours-limit", type=float, default=3600,
                        help="time limit of one build of ours in seconds (default 3600)")
    parser.add_argument("--seed", type=int, default=1, help="the generator's seed (default 1)")
    parser.add_argument("--quick", action="store_true",
                        help=f"a smoke run: N={QUICK_SIZE}, one run, unless --sizes or --runs are given")
    parser.add_argument("--ours-only", action="store_true", help="skip Pelican, MkDocs and Hugo")
    parser.add_argument("--work", type=Path, default=BENCH / "work",
                        help="where archives, peers and outputs go (default bench/work)")
    parser.add_argument("--results", type=Path,
                        help="the Markdown file to write (default bench/results.md; with --quick, "
                             "results-quick.md in the --work folder, so that the committed table stays)")
    argv = sys.argv[1:]
    args = parser.parse_args(argv)
    if args.quick:
        if "--sizes" not in argv:
            args.sizes = [QUICK_SIZE]
        if "--runs" not in argv:
            args.runs = 1
    if args.runs < 1 or any(n < 1 for n in args.sizes) or args.limit <= 0 or args.ours_limit <= 0:
        parser.error("--runs, --sizes, --limit and --ours-limit must be positive")
    sizes = sorted(set(args.sizes))
    started = dt.datetime.now(dt.timezone.utc)
    command = "python bench/run.py" + ("" if not argv else " " + " ".join(argv))
    args.load_start = os.getloadavg()
    args.commit = our_commit()  # once, at the start: the code that is measured
    work = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    if args.results is None:
        args.results = work / "results-quick.md" if args.quick else BENCH / "results.md"
    ours: dict[int, dict[str, list[Sample]]] = {}
    stages: dict[int, dict[str, float]] = {}
    identical: dict[int, bool] = {}
    published: dict[str, dict[int, list[int]]] = {}  # builder -> N -> [bytes, files] of its clean build's output
    peers: dict[str, dict[int, list[Sample]]] = {}
    peer_versions = None

    def save(complete: bool = False) -> str:
        """Write the table so far (after every measurement, so that a stopped run leaves its figures)."""
        text = report(args, sizes, ours, published, stages, identical, peers, peer_versions, started, command, complete)
        raw = {"command": command, "started": started.isoformat(), "complete": complete,
               "peer_versions": peer_versions, "stages": stages, "published": published,
               "ours": {n: {k: [vars(s) for s in v] for k, v in steps.items()} for n, steps in ours.items()},
               "peers": {p: {n: [vars(s) for s in v] for n, v in by_n.items()} for p, by_n in peers.items()}}
        (work / "results.json").write_text(json.dumps(raw, indent=1))
        args.results.parent.mkdir(parents=True, exist_ok=True)
        args.results.write_text(text, encoding="utf-8")
        return text

    try:
        peer_versions = None if args.ours_only else install_peers(work)
        for count in sizes:
            archive = ensure_archive(work, count, args.seed)
            if peer_versions:  # the peers first: they are quick, and the table has them early
                projects = work / f"peers-{count}"
                say(f"N={count}: writing the peers' projects into {projects}")
                write_peer_projects(archive, projects)
                for peer in PEERS:
                    measure_peer(peer, projects, work, count, args.runs, args.limit,
                                 peers.setdefault(peer, {}).setdefault(count, []), save,
                                 published.setdefault(peer, {}).setdefault(count, []))
            measure_ours(archive, work, count, args.runs, args.ours_limit, ours.setdefault(count, {}),
                         stages.setdefault(count, {}), identical, save, published.setdefault("ours", {}).setdefault(count, []))
    except BenchError as error:
        print(f"bench: error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        save()
        say(f"interrupted; the figures so far are in {args.results}")
        return 130
    print(save(complete=True))
    say(f"wrote {args.results}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
