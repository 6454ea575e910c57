"""Output is all or nothing: a failed or killed build leaves the previous site exactly as it was."""

import errno
import os
import shutil
import signal
import subprocess
import sys
import time

import filelock
import pytest

from conftest import REPO, cli_for
from framing.output.write import OutputError, check_paths, output_lock, write_tree
from test_determinism import digest_tree


def test_failed_build_leaves_previous_site_untouched(tiny):
    site = tiny / "site"
    assert cli_for(tiny, "build", "--out", str(site)).returncode == 0
    before = digest_tree(site)
    bad = tiny / "content" / "annotations" / "alpha.md"
    bad.write_text(bad.read_text().replace("下载量突破6亿次", "下载量突破9亿次"))
    result = cli_for(tiny, "build", "--out", str(site))
    assert result.returncode == 1
    assert digest_tree(site) == before
    assert not [p for p in tiny.iterdir() if p.name.startswith((".site.new-", ".site.old-"))]  # no staging left


def test_template_error_leaves_previous_site_untouched(tiny):
    site = tiny / "site"
    assert cli_for(tiny, "build", "--out", str(site)).returncode == 0
    before = digest_tree(site)
    template = tiny / "templates" / "theme.html"
    template.write_text(template.read_text().replace("{{ theme.passage_count }}", "{{ theme.pasage_count }}"))
    result = cli_for(tiny, "build", "--out", str(site))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "templates/theme.html:" in result.stderr and "pasage_count" in result.stderr
    assert digest_tree(site) == before


def test_template_syntax_error_names_file_and_line(tiny):
    template = tiny / "templates" / "index.html"
    lines = template.read_text().split("\n")
    lines[3] = "{% for x in %}"
    template.write_text("\n".join(lines))
    result = cli_for(tiny, "check")
    assert result.returncode == 1
    assert "templates/index.html:4: template syntax error" in result.stderr


def test_two_outputs_at_one_path_are_refused():
    with pytest.raises(OutputError, match="same path"):
        check_paths(["a/index.html", "b.html", "A/index.html"])
    with pytest.raises(OutputError, match="outside"):
        check_paths(["../escape.html"])


def test_write_tree_replaces_the_whole_folder(tmp_path):
    out = tmp_path / "site"
    write_tree({"a.html": b"1", "old.html": b"x"}, out)
    write_tree({"a.html": b"2", "sub/b.html": b"3"}, out)
    assert digest_tree(out).keys() == {"a.html", "sub/b.html"}
    assert (out / "a.html").read_bytes() == b"2"
    assert [p.name for p in tmp_path.iterdir()] == ["site"]


SLOW_WRITES = """
import sys, time
sys.path.insert(0, {repo!r})
from framing.output import write
original = write.Path.write_bytes
def slow(self, data):
    time.sleep(0.002)
    return original(self, data)
write.Path.write_bytes = slow
"""  # the start of a script whose writes each take 2 ms, so that a kill lands in the middle of them
KILLER = SLOW_WRITES + """files = {{f"page-{{n}}/index.html": b"new" * 100 for n in range(400)}}
print("start", flush=True)
write.write_tree(files, write.Path({out!r}))
"""


@pytest.mark.parametrize("delay", [0.05, 0.3, 0.6])
def test_build_killed_at_any_moment_leaves_previous_site_whole(tmp_path, delay):
    out = tmp_path / "site"
    write_tree({f"page-{n}/index.html": b"old" for n in range(50)}, out)
    before = digest_tree(out)
    process = subprocess.Popen([sys.executable, "-c", KILLER.format(repo=str(REPO), out=str(out))], stdout=subprocess.PIPE)
    assert process.stdout.readline().strip() == b"start"
    time.sleep(delay)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    after = digest_tree(out)
    assert after == before or (len(after) == 400 and all(k.startswith("page-") for k in after))


@pytest.mark.parametrize("failing", ["a data file", "a page"])
def test_a_build_in_worker_processes_that_fails_leaves_the_site_and_no_worker(tiny, monkeypatch, failing):
    """With a pool of workers the data files are made there beside the pages: a failure in either
    stops the build, the previous site stays whole and the workers are gone."""
    import multiprocessing

    from framing.site import exports

    from framing.site import pages

    from framing.output import render
    from framing.errors import ContentError
    from framing.pipeline import Project, build

    project = Project.at(tiny)
    site = tiny / "site"
    build(project, site)
    before = digest_tree(site)
    monkeypatch.setattr(render, "PARALLEL_FROM", 2)

    def broken(*args, **kwargs):
        raise ContentError("content/claims/denial.md", 3, f"{failing} could not be made")

    monkeypatch.setattr(*(exports, "claims_csv") if failing == "a data file" else (pages, "data_page"), broken)
    shutil.rmtree(tiny / ".site.cache")  # or the output is kept: nothing it reads changed
    with pytest.raises(ContentError, match="could not be made"):
        build(project, site, force=True)
    assert digest_tree(site) == before
    assert multiprocessing.active_children() == []
    assert not [p for p in tiny.iterdir() if p.name.startswith((".site.new-", ".site.old-"))]


def test_an_output_folder_given_as_a_link_is_built_where_it_points_and_stays_a_link(tiny):
    target = tiny / "published"
    target.mkdir()
    (tiny / "site").symlink_to(target)
    first = cli_for(tiny, "build", "--out", str(tiny / "site"))
    assert first.returncode == 0, first.stderr
    assert (tiny / "site").is_symlink() and (target / "index.html").is_file()
    again = cli_for(tiny, "build", "--out", str(tiny / "site"))
    assert again.returncode == 0 and "is up to date" in again.stdout


@pytest.mark.parametrize("out, file", [("notes.txt", "notes.txt"), ("notes.txt/site", "notes.txt")])
def test_an_output_folder_that_is_or_lies_in_a_file_is_refused_before_building(tiny, out, file):
    (tiny / "notes.txt").write_text("keep me\n")
    result = cli_for(tiny, "build", "--out", str(tiny / out))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"cannot write the site at {tiny / out}: {tiny / file} is a file, not a folder; choose another --out folder" \
        in result.stderr
    assert (tiny / "notes.txt").read_text() == "keep me\n"
    assert not [p.name for p in tiny.iterdir() if ".new-" in p.name or ".build-record" in p.name]


def test_a_folder_the_system_refuses_to_make_is_an_output_error(tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied", str(tmp_path / ".site.new-x"))

    monkeypatch.setattr("framing.output.write.tempfile.mkdtemp", refuse)
    with pytest.raises(OutputError) as refused:
        write_tree({"index.html": b"x"}, tmp_path / "site")
    assert str(refused.value) == (f"cannot write the site at {tmp_path / 'site'}: Permission denied "
                                  f"({tmp_path / '.site.new-x'}); choose an --out folder this user can write to")
    assert not (tmp_path / "site").exists()


def test_a_second_build_of_one_folder_waits_for_the_first(tiny):
    site = tiny / "site"
    with filelock.FileLock(tiny / ".site.lock"):  # as a build in progress holds it, on any system
        build = subprocess.Popen([sys.executable, str(REPO / "build.py"), "build", "--out", str(site), "--timings",
                                  "--content", str(tiny / "content"), "--templates", str(tiny / "templates")],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                 env=os.environ | {"SOURCE_DATE_EPOCH": "1800000000"})
        time.sleep(3)
        assert build.poll() is None and not site.exists()  # waiting, not writing
    out, err = build.communicate(timeout=120)
    assert build.returncode == 0, err
    assert "waiting for another build of this folder" in err and (site / "index.html").is_file()


def test_the_lock_is_released_and_its_file_removed_after_a_build_or_a_failure(tmp_path):
    held = []
    with output_lock(tmp_path / "site", lambda: held.append("waited")):
        assert (tmp_path / ".site.lock").is_file()
        with pytest.raises(filelock.Timeout):  # held: another build could not take it
            filelock.FileLock(tmp_path / ".site.lock").acquire(timeout=0.1)
    with pytest.raises(RuntimeError):
        with output_lock(tmp_path / "site", lambda: held.append("waited")):
            raise RuntimeError("a build fails")
    assert held == [] and sorted(p.name for p in tmp_path.iterdir()) == []
    with filelock.FileLock(tmp_path / ".site.lock", timeout=0.1):  # free again
        pass


def test_a_folder_whose_system_cannot_lock_files_is_refused(tmp_path, monkeypatch):
    def no_locking(self, *args, **kwargs):
        raise OSError(errno.ENOSYS, "Function not implemented")

    monkeypatch.setattr(filelock.FileLock, "acquire", no_locking)
    with pytest.raises(OutputError, match=r"the file system cannot lock \.site\.lock .*choose an --out folder on a local disk"):
        with output_lock(tmp_path / "site", lambda: None):
            raise AssertionError("built without the lock")


def test_builds_of_one_folder_at_the_same_time_all_succeed(tiny):
    runs = [subprocess.Popen([sys.executable, str(REPO / "build.py"), "build", "--force", "--quiet", "--out", str(tiny / "site"),
                              "--content", str(tiny / "content"), "--templates", str(tiny / "templates")],
                             stderr=subprocess.PIPE, text=True, env=os.environ | {"SOURCE_DATE_EPOCH": "1800000000"})
            for _ in range(3)]
    errors = [run.communicate(timeout=300)[1] for run in runs]
    assert [run.returncode for run in runs] == [0, 0, 0], errors
    again = cli_for(tiny, "build", "--out", str(tiny / "site"))
    assert again.returncode == 0 and "is up to date" in again.stdout
