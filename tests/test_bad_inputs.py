"""Every broken or hostile input of tests/bad_inputs/ gives a clear error and loses nothing.

Each case of the corpus runs through build.py's own entry point in-process (fast), and the cases
marked cli=True also through a real `python build.py` subprocess: exit status 1, every expected
'file:line: message' and 'fix:' text, no traceback, and the previous site/ byte for byte as it was.
Hostile input that must build (HTML in titles and annotations) is checked in the built pages. A
running `build.py serve` shows each kind of error in the browser and recovers when it is fixed.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import io
import os
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest

from bad_inputs.cases import CASES, HOSTILE, Case
from conftest import REPO, run_cli, tiny_files, write_project
from htmlsafety import active_content

PREVIOUS = {"index.html": "previous build", "articles/alpha/index.html": "previous article"}


def _entry():
    spec = importlib.util.spec_from_file_location("build_entry_bad_inputs", REPO / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


ENTRY = _entry()


def prepared(tmp_path: Path, case: Case) -> tuple[Path, list[str]]:
    """The tiny project with a previous site/, the case applied, and the command line to run."""
    project = write_project(tmp_path / "project", tiny_files())
    for name, text in PREVIOUS.items():
        (project / "site" / name).parent.mkdir(parents=True, exist_ok=True)
        (project / "site" / name).write_text(text)
    case.change(project)
    if case.argv:
        return project, case.argv(project)
    return project, ["build", "--content", str(project / "content"), "--templates", str(project / "templates"),
                     "--out", str(project / "site")]


def snapshot(root: Path) -> dict[str, str]:
    """Every file, folder and link under root with a digest of its content: what a failed command must not change."""
    found = {}
    for folder, folders, files in os.walk(root):
        for name in folders + files:
            path = Path(folder) / name
            key = path.relative_to(root).as_posix()
            if path.is_symlink():
                found[key] = "-> " + os.readlink(path)
            elif path.is_file():
                found[key] = hashlib.sha256(path.read_bytes()).hexdigest()
            else:
                found[key] = "folder"
    return found


def run_in_process(argv: list[str], monkeypatch) -> tuple[int, str, str]:
    """build.py's main() as the command line runs it; any exception other than its own escapes (and fails)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")
    monkeypatch.setattr(sys, "argv", ["build.py", *argv])
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), pytest.raises(SystemExit) as exit_:
        ENTRY.main()
    return exit_.value.code, out.getvalue(), err.getvalue()


def assert_reported(project: Path, status: int, stderr: str, case: Case) -> None:
    message = stderr.replace(str(project) + "/", "")
    assert status == 1, message
    assert "Traceback" not in message
    for text in case.expected:
        assert text in message, f"{case.name}: expected {text!r} in\n{message}"
    if not case.argv:
        assert "fix:" in message, message
    site = project / "site"
    assert sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()) == sorted(PREVIOUS)
    for name, text in PREVIOUS.items():
        assert (site / name).read_text() == text
    assert not [p.name for p in project.iterdir() if p.name.startswith((".site.new-", ".site.old-"))]
    if case.argv and case.argv.__qualname__.startswith("importing"):
        assert sorted(p.name for p in (project / "content" / "articles").iterdir()) == ["alpha.md", "beta.md"]
        assert not list(project.parent.rglob("evil*"))


def test_the_corpus_is_large_and_named_uniquely():
    assert len(CASES) >= 40
    assert len({c.name for c in CASES}) == len(CASES)
    assert sum(c.cli for c in CASES) >= 10


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input_is_reported_and_site_kept(tmp_path, monkeypatch, case):
    project, argv = prepared(tmp_path, case)
    before = snapshot(tmp_path)
    status, _, stderr = run_in_process(argv, monkeypatch)
    assert_reported(project, status, stderr, case)
    assert snapshot(tmp_path) == before  # nothing anywhere was written, moved or lost


CLI_CASES = [c for c in CASES if c.cli]


@pytest.mark.parametrize("case", CLI_CASES, ids=[c.name for c in CLI_CASES])
def test_bad_input_through_the_real_command_line(tmp_path, case):
    project, argv = prepared(tmp_path, case)
    result = run_cli(*argv)
    assert_reported(project, result.returncode, result.stderr, case)


def test_a_case_that_is_not_broken_would_fail_the_check(tmp_path, monkeypatch):
    """The harness itself can fail: the unchanged tiny archive builds and replaces the previous site."""
    case = Case("nothing wrong", lambda project: None, ("anything",))
    project, argv = prepared(tmp_path, case)
    status, _, stderr = run_in_process(argv, monkeypatch)
    assert status == 0, stderr
    with pytest.raises(AssertionError):
        assert_reported(project, status, stderr, case)


# ---------------------------------------------------------------- hostile input that builds, neutralised

def test_the_active_content_finder_finds_what_it_should():
    assert active_content('<p onclick="x">a</p><script>alert(1)</script><a href=" JavaScript:x">b</a>') == \
        ["p onclick=", "<script>", "inline script 'alert(1)'", "a href= JavaScript:x"]
    assert active_content('<script src="/a.js"></script><a href="https://x.org">x</a>') == []
    assert active_content('<script type="application/ld+json">{"a": "\\u003c/script\\u003e"}</script>') == []
    assert active_content('<script type="application/ld+json">{"a": "</b>"}</script>') == ["JSON-LD with '<' '{\"a\": \"</b>\"}'"]


@pytest.mark.parametrize("hostile", HOSTILE, ids=[h.name for h in HOSTILE])
def test_hostile_text_is_escaped_or_stripped(tmp_path, monkeypatch, hostile):
    project = write_project(tmp_path / "project", tiny_files())
    hostile.change(project)
    out = project / "site"
    status, _, stderr = run_in_process(["build", "--content", str(project / "content"), "--templates",
                                        str(project / "templates"), "--out", str(out), "--quiet"], monkeypatch)
    assert status == 0, stderr
    page = (out / hostile.page).read_text()
    if hostile.shown:
        assert hostile.shown in page
    for path in sorted(out.rglob("*.html")):
        found = active_content(path.read_text())
        assert found == [], (path.relative_to(out).as_posix(), found)
    for path in sorted(out.rglob("*.xml")):  # feeds and sitemaps: well-formed, the markup stays text
        tree = ElementTree.parse(path)
        assert not [e for e in tree.iter() if e.tag.rsplit("}", 1)[-1].lower() in ("script", "img", "a")], path
        assert all(e.get("type") != "html" or "<script" not in (e.text or "").lower() for e in tree.iter()), path


# ---------------------------------------------------------------- the live preview survives every kind

def save_and_wait(path: Path, data: bytes, url: str, predicate) -> tuple[int, str]:
    """Write the file and wait for the preview to show the result; save once more if the watcher missed it."""
    from test_serve import wait_for

    for attempt in range(2):
        if path.is_symlink():
            path.unlink()
        path.write_bytes(data)
        try:
            return wait_for(url, predicate, timeout=20)
        except AssertionError:
            if attempt:
                raise
    raise AssertionError("unreachable")


SERVE_BREAKS = [
    ("content error", "content/annotations/beta.md", "theme: accusation", "theme: acusation",
     ["annotations/beta.md:5", "unknown theme", "did you mean"]),
    ("YAML error", "content/articles/alpha.md", "title: 文章alpha", 'title: "文章alpha',
     ["articles/alpha.md:2", "the YAML does not parse", "never closed"]),
    ("template error", "templates/index.html", "{{ site_title }}", "{{ site_titel }}",
     ["templates/index.html:3", "site_titel", "is undefined"]),
    ("template syntax error in the error page itself", "templates/error.html", "{% endfor %}", "{% endfor",
     ["templates/error.html", "template syntax error"]),
    ("encoding error", "content/themes/accusation.md", None, "---\ntitle: 指控\n---\n關於指控。\n".encode("big5", "replace"),
     ["themes/accusation.md:", "not valid UTF-8", "Big5"]),
    ("symlink out of content/", "content/articles/beta.md", None, "symlink",
     ["articles/beta.md", "symbolic link that points outside content/"]),
]


def test_serve_shows_each_kind_of_error_and_recovers(tiny):
    from test_serve import fetch, preview, wait_for

    log_path = tiny.parent / "serve.log"
    log_file = open(log_path, "wb")
    with log_file, preview(tiny, "/sub/", log_file) as server:
        root = server + "/sub/"
        wait_for(root, lambda s, b: s == 200 and "测试档案" in b)
        for name, file, old, new, expected in SERVE_BREAKS:
            path = tiny / file
            good = path.read_bytes()
            if new == "symlink":
                target = tiny.parent / "outside.md"
                target.write_bytes(good)
                path.unlink()
                path.symlink_to(target)
            broken = lambda s, b: s == 500 and all(e in b for e in expected)  # noqa: E731
            if new == "symlink":
                status, page = wait_for(root, broken)
            else:
                status, page = save_and_wait(path, new if old is None else good.replace(old.encode(), new.encode(), 1), root, broken)
            assert "Traceback" not in page, name
            assert fetch(root + "themes/accusation/")[0] == 500, name  # every page shows the error
            save_and_wait(path, good, root, lambda s, b: s == 200 and "测试档案" in b)
    log = log_path.read_text(encoding="utf-8", errors="replace")
    assert "unknown theme" in log and "rebuilt in" in log  # the terminal shows the errors too
    assert "Traceback" not in log, log[-3000:]


def test_serve_starts_with_broken_content_and_recovers(tiny):
    from test_serve import preview, wait_for

    site_yaml = tiny / "content" / "site.yaml"
    good = site_yaml.read_bytes()
    site_yaml.write_bytes(good.replace(b"\n", b"\r"))
    with preview(tiny, "/") as server:
        root = server + "/"
        wait_for(root, lambda s, b: s == 500 and "site.yaml:1" in b and "old Mac (CR) line ends" in b)
        save_and_wait(site_yaml, good, root, lambda s, b: s == 200 and "测试档案" in b)
