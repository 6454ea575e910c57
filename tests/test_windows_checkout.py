"""A checkout made on Windows: CR LF line ends (Git for Windows' core.autocrlf) and byte-order marks.

Content files and templates saved that way build the same site, byte for byte, as the LF files;
'check' mentions them in a note, never as an error; line numbers in messages do not move. Captures
are the verbatim record: .gitattributes keeps them byte-exact, and a capture that a checkout
converted all the same is named, with the fix.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import REPO, cli_for, in_english, tiny_files, write_project
from framing.source.lineends import TEXT_SUFFIXES

BOM = b"\xef\xbb\xbf"


def as_windows_checkout(root: Path) -> int:
    """Convert every text file under root/content (but its captures) and root/templates to CR LF line
    ends with a byte-order mark, as a Windows checkout and editor may leave them; returns how many."""
    converted = 0
    for folder in (root / "content", root / "templates"):
        for path in sorted(folder.rglob("*")):
            if path.is_file() and path.suffix in TEXT_SUFFIXES and "captures" not in path.relative_to(root).parts:
                data = path.read_bytes()
                assert b"\r" not in data, path
                path.write_bytes(BOM + data.replace(b"\n", b"\r\n"))
                converted += 1
    return converted


def messages(project: Path, *args: str) -> tuple[int, str]:
    """The exit status and messages of build.py on a project, its paths shown from the project folder."""
    result = cli_for(project, *args)
    assert "Traceback" not in result.stderr
    return result.returncode, result.stderr.replace(f"{project}/", "")


def tree(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def test_a_crlf_and_bom_copy_of_the_real_content_and_templates_builds_the_same_bytes(seed_site, tmp_path):
    project = tmp_path / "windows"
    shutil.copytree(REPO / "content", project / "content")
    shutil.copytree(REPO / "templates", project / "templates")
    converted = as_windows_checkout(project)
    assert converted > 200  # every article, annotation file, claim and theme, the site settings and every template
    assert (project / "templates" / "static" / "style.css").read_bytes().startswith(BOM)
    result = cli_for(project, "build", "--out", str(tmp_path / "site"), "--quiet")
    assert result.returncode == 0, result.stderr
    built, expected = tree(tmp_path / "site"), tree(seed_site)
    assert sorted(built) == sorted(expected)
    differing = [path for path in expected if built[path] != expected[path]]
    assert differing == []


def test_check_mentions_windows_line_ends_in_a_note_not_an_error(tmp_path):
    project = write_project(tmp_path / "project", in_english(tiny_files()))  # no English-page warnings either
    assert as_windows_checkout(project) > 10
    result = cli_for(project, "check")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert "note: " in result.stdout and "Windows (CR LF) line ends or a byte-order mark" in result.stdout
    assert "content/annotations/alpha.md" in result.stdout and "and " in result.stdout  # five named, then a count
    clean = cli_for(write_project(tmp_path / "clean", tiny_files()), "check")
    assert clean.returncode == 0 and "note" not in clean.stdout


@pytest.mark.parametrize("name,old,new", [
    ("annotations/alpha.md", "claim: downloads", "claim: download"),
    ("themes/statistics.md", "(claim:downloads)", "(claim:download)"),  # in markdown after the front matter
    ("site.yaml", "default_edition: zh-hans", "default_edition: zh-hanz"),  # in YAML
])
def test_line_numbers_in_messages_are_those_of_the_lf_file(tmp_path, name, old, new):
    found = []
    for label in ("lf", "windows"):
        files = tiny_files()
        files[name] = files[name].replace(old, new)
        project = write_project(tmp_path / label, files)
        if label == "windows":
            as_windows_checkout(project)
        status, text = messages(project, "check")
        assert status == 1
        found.append(text)
    assert f"content/{name}:" in found[0]
    assert found[0] == found[1]


def test_a_windows_template_renders_the_same_bytes(tmp_path):
    """Jinja2's trim_blocks takes the LF after a tag, not a CR LF: the template loader reads CR LF as LF."""
    lf = write_project(tmp_path / "lf", tiny_files())
    windows = write_project(tmp_path / "windows", tiny_files())
    for path in (windows / "templates").rglob("*.html"):
        path.write_bytes(BOM + path.read_bytes().replace(b"\n", b"\r\n"))
    for project in (lf, windows):
        result = cli_for(project, "build", "--out", str(project / "site"), "--quiet")
        assert result.returncode == 0, result.stderr
    assert tree(lf / "site") == tree(windows / "site")


def test_a_capture_converted_by_a_checkout_is_named_with_the_fix(tmp_path):
    project = write_project(tmp_path / "project", tiny_files())
    capture = project / "content" / "captures" / "a.txt"
    capture.write_bytes(capture.read_bytes().replace(b"\n", b"\r\n"))
    status, text = messages(project, "check")
    assert status == 1
    assert text.splitlines() == [
        "content/articles/alpha.md:10: the capture content/captures/a.txt has Windows (CR LF) line ends that a Git "
        "checkout added (core.autocrlf), so its SHA-256 no longer matches: captures are kept byte for byte",
        "    fix: check the captures out unconverted: run 'git config core.autocrlf false' (or pull the repository's "
        ".gitattributes, which keeps content/captures/ byte-exact), then 'git checkout -- content/captures/'",
    ]
    # A capture edited in any other way keeps the plain message: nothing says a checkout did it.
    capture.write_bytes(capture.read_bytes().replace(b"\r\n", b"\n").replace("新闻网".encode(), "新闻".encode()))
    status, text = messages(project, "check")
    assert status == 1 and "the SHA-256 of content/captures/a.txt is" in text
    assert "checkout" not in text


def git(*args: str, cwd: Path) -> str:
    return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args], cwd=cwd,
                          check=True, capture_output=True, text=True).stdout


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_gitattributes_keep_captures_byte_exact_in_a_windows_checkout(tmp_path):
    origin = write_project(tmp_path / "origin", tiny_files())
    shutil.copy(REPO / ".gitattributes", origin / ".gitattributes")
    git("init", "-q", cwd=origin)
    git("add", "-A", cwd=origin)
    git("commit", "-q", "-m", "archive", cwd=origin)
    clone = tmp_path / "clone"
    git("-c", "core.autocrlf=true", "clone", "-q", str(origin), str(clone), cwd=tmp_path)
    for name in ("a.txt", "b.txt"):
        assert (clone / "content" / "captures" / name).read_bytes() == (origin / "content" / "captures" / name).read_bytes()
    assert b"\r\n" in (clone / "content" / "site.yaml").read_bytes()  # the other text files are converted...
    assert b"\r\n" in (clone / "templates" / "base.html").read_bytes()
    result = cli_for(clone, "build", "--out", str(tmp_path / "site"), "--quiet")  # ...and build all the same
    assert result.returncode == 0, result.stderr
    # In the repository, every text file is stored with LF line ends.
    stored = git("ls-files", "--eol", cwd=clone).splitlines()
    assert stored and all(line.startswith(("i/lf", "i/none")) for line in stored), stored
