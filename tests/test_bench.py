"""The benchmark harness: bench/run.py measures our builds and writes a table; bench/generate.py is
deterministic for a seed and makes archives that the build accepts."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

from conftest import REPO

GENERATE = REPO / "bench" / "generate.py"
RUN = REPO / "bench" / "run.py"


def generate(out: Path, articles: int, seed: int) -> None:
    subprocess.run([sys.executable, str(GENERATE), "--articles", str(articles), "--out", str(out),
                    "--seed", str(seed)], check=True, timeout=600, cwd=REPO)


def files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def load_runner():
    spec = importlib.util.spec_from_file_location("bench_run", RUN)
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_run"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_generate_is_deterministic_for_a_seed_and_the_build_accepts_it(tmp_path):
    generate(tmp_path / "a", 12, seed=7)
    generate(tmp_path / "b", 12, seed=7)
    first, second = files(tmp_path / "a"), files(tmp_path / "b")
    assert len([name for name in first if name.startswith("content/articles/")]) == 12
    assert first == second, "two runs with one seed differ"
    generate(tmp_path / "c", 12, seed=8)
    assert files(tmp_path / "c") != first, "another seed gives the same archive"
    check = subprocess.run([sys.executable, str(REPO / "build.py"), "check", "--content", str(tmp_path / "a" / "content"),
                            "--templates", str(tmp_path / "a" / "templates")],
                           capture_output=True, text=True, timeout=600, cwd=REPO)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "ok: 12 articles" in check.stdout


def test_each_generated_article_is_written_in_the_script_it_declares(tmp_path):
    import opencc
    generate(tmp_path / "a", 10, seed=7)
    to_simplified = opencc.OpenCC("t2s")
    scripts = []
    for path in sorted((tmp_path / "a" / "content" / "articles").glob("*.md")):
        front, body = path.read_text(encoding="utf-8").split("---\n", 2)[1:]
        script = re.search(r"^script: (\S+)$", front, re.M).group(1)
        scripts.append(script)
        # Simplified text stays as it is under OpenCC's t2s; Traditional text does not.
        assert (to_simplified.convert(body) == body) == (script == "zh-Hans"), path.name
    assert scripts.count("zh-Hant") == 2  # every fifth article


def test_peer_projects_hold_the_same_articles_with_tags(tmp_path):
    runner = load_runner()
    archive = tmp_path / "archive"
    generate(archive, 6, seed=3)
    (archive / "bench-stamp.json").write_text("{}")
    runner.write_peer_projects(archive, tmp_path / "peers")
    articles = sorted((archive / "content" / "articles").glob("*.md"))
    for peer, folder in (("pelican", "content"), ("mkdocs", "docs/articles"), ("hugo", "content/articles")):
        written = sorted((tmp_path / "peers" / peer / folder).glob("*.md"))
        assert [p.name for p in written] == [p.name for p in articles], peer
    source = articles[0].read_text(encoding="utf-8")
    body = source.split("---\n", 2)[2].lstrip("\n")
    outlet = re.search(r"^outlet: (.*)$", source, re.M).group(1)
    hugo = (tmp_path / "peers" / "hugo" / "content" / "articles" / articles[0].name).read_text(encoding="utf-8")
    pelican = (tmp_path / "peers" / "pelican" / "content" / articles[0].name).read_text(encoding="utf-8")
    assert hugo.endswith(body) and pelican.endswith(body), "the peers get the article text unchanged"
    assert outlet in re.search(r"^tags: (.*)$", hugo, re.M).group(1)
    assert re.search(rf"^Tags: {re.escape(outlet)}(, (accusation|statistics|endorsements|framing))*$", pelican, re.M)
    assert "hasCJKLanguage = true" in (tmp_path / "peers" / "hugo" / "config.toml").read_text()


def test_quick_run_measures_our_builds_and_writes_the_table(tmp_path):
    results = tmp_path / "results.md"
    done = subprocess.run([sys.executable, str(RUN), "--quick", "--ours-only", "--work", str(tmp_path / "work"),
                           "--results", str(results)], capture_output=True, text=True, timeout=1200, cwd=REPO)
    assert done.returncode == 0, done.stderr[-3000:]
    table = results.read_text(encoding="utf-8")
    assert table in done.stdout
    for label in ("full clean build", "no-op rebuild", "rebuild after editing one annotation",
                  "rebuild after editing that annotation again", "rebuild after editing one article",
                  "rebuild after editing one template"):
        row = next((line for line in table.splitlines() if line.startswith(f"| ours: {label}")), None)
        assert row is not None, f"no row for {label}"
        assert re.search(r"\| \d+(\.\d+)? s \| \d+ MiB \|", row), row
    assert "nproc" in table and "Python 3" in table
    # The clean build's own account of its stages (build.py build --timings), per article too.
    assert "## Where a clean build of ours spends its time" in table
    assert re.search(r"^\| loading content \| \d+\.\d\d \| \d+\.\d \|$", table, re.M), table
    assert re.search(r"^\| total \| \d+\.\d\d \| \d+\.\d \|$", table, re.M), table
    assert "Pelican" not in table.split("## Machine")[0], "--ours-only still ran the peers"


def test_the_seed_benchmark_times_each_step_in_a_copy_and_writes_the_table(tmp_path):
    """bench/seed.py builds a copy of the seed archive, leaving the repository's content/ as it was,
    and gives each step a row of figures."""
    results = tmp_path / "seed-results.md"
    content_before = files(REPO / "content")
    done = subprocess.run([sys.executable, str(REPO / "bench" / "seed.py"), "--runs", "2", "--results", str(results)],
                          capture_output=True, text=True, timeout=600, cwd=REPO)
    assert done.returncode == 0, done.stderr[-3000:]
    table = results.read_text(encoding="utf-8")
    assert table in done.stdout
    for label in ("clean build", "no-op rebuild", "rebuild after editing one annotation"):
        row = next((line for line in table.splitlines() if line.startswith(f"| {label} |")), None)
        assert row is not None, f"no row for {label}"
        assert re.fullmatch(r"\| [a-z -]+ \| 2 \|(?: \d+\.\d\d s \|){4} \d+ MiB \|", row), row
    assert re.search(r"\d+ CPUs?, Python 3\.\d+", table), table
    assert files(REPO / "content") == content_before
