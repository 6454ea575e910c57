"""The spare tree: a build updates the site before last instead of writing a whole new tree, and
the result is exactly the tree it was asked for, whatever the spare held."""

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time

import pytest

from conftest import REPO, cli_for
from framing.output import write
from framing.output.write import StagedTree
from test_atomic_write import SLOW_WRITES
from test_determinism import digest_tree


def contents(folder):
    """Every file's bytes and every folder, by relative path: what the tree is, empty folders included."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() if p.is_file() else "folder"
            for p in sorted(folder.rglob("*"))}


def expected(files):
    tree = dict(files)
    for path in files:
        parts = path.split("/")[:-1]
        tree.update({"/".join(parts[:depth]): "folder" for depth in range(1, len(parts) + 1)})
    return dict(sorted(tree.items()))


def staged(out, spare, files):
    """One build's output through a StagedTree with a spare: files maps paths to bytes, or to a
    path under the live site whose file is handed over (an unchanged page)."""
    with StagedTree(out, spare) as tree:
        for path, data in sorted(files.items()):
            tree.write_file(path, out / data[5:] if isinstance(data, str) else data)
        tree.commit()


def test_the_tree_a_swap_takes_out_is_kept_and_updated_next_time(tmp_path):
    out, spare = tmp_path / "site", tmp_path / "cache" / "spare"
    staged(out, spare, {"index.html": b"1", "a/index.html": b"a1", "gone/index.html": b"g"})
    assert not spare.exists()  # nothing was taken out yet
    staged(out, spare, {"index.html": b"2", "a/index.html": "site:a/index.html", "b/c/index.html": b"c"})
    assert contents(spare) == expected({"index.html": b"1", "a/index.html": b"a1", "gone/index.html": b"g"})
    staged(out, spare, {"index.html": b"3", "a/index.html": "site:a/index.html", "b/c/index.html": "site:b/c/index.html"})
    assert contents(out) == expected({"index.html": b"3", "a/index.html": b"a1", "b/c/index.html": b"c"})
    assert contents(spare) == expected({"index.html": b"2", "a/index.html": b"a1", "b/c/index.html": b"c"})
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no staging folder left


def test_a_file_the_spare_already_holds_is_not_linked_again(tmp_path, monkeypatch):
    out, spare = tmp_path / "site", tmp_path / "spare"
    pages = {f"p{n}/index.html": b"page %d" % n for n in range(5)}
    staged(out, spare, pages)
    staged(out, spare, dict(pages))  # written again: the spare, the first tree, holds other files with these bytes
    linked = []
    monkeypatch.setattr(write, "_link_or_copy", lambda source, target: linked.append(source) or os.link(source, target))
    staged(out, spare, {path: f"site:{path}" for path in pages} | {"p0/index.html": b"changed"})
    assert linked == [out / f"p{n}/index.html" for n in range(1, 5)]  # the spare held other copies of these
    linked.clear()
    staged(out, spare, {path: f"site:{path}" for path in pages})
    assert linked == [out / "p0/index.html"]  # the only file that changed since the spare was the site
    assert contents(out) == expected(pages | {"p0/index.html": b"changed"})


def test_writing_the_new_tree_never_writes_into_the_live_site(tmp_path):
    out, spare = tmp_path / "site", tmp_path / "spare"
    staged(out, spare, {"a.html": b"first", "b.html": b"b"})
    staged(out, spare, {"a.html": "site:a.html", "b.html": "site:b.html"})
    staged(out, spare, {"a.html": "site:a.html", "b.html": "site:b.html"})
    assert os.stat(out / "a.html").st_ino == os.stat(spare / "a.html").st_ino  # one file in both trees
    with StagedTree(out, spare) as tree:
        tree.write_file("a.html", b"second")
        tree.write_file("b.html", out / "b.html")
        assert (out / "a.html").read_bytes() == b"first"  # the live site, before the swap
        tree.commit()
    assert (out / "a.html").read_bytes() == b"second" and (spare / "a.html").read_bytes() == b"first"


def test_whatever_the_spare_holds_the_site_is_exactly_what_was_written(tmp_path):
    out, spare = tmp_path / "site", tmp_path / "spare"
    wanted = {"index.html": b"home", "a/index.html": b"a", "b": b"a file where a folder was", "c/d/e.html": b"deep"}
    staged(out, spare, {"index.html": b"old"})
    spare.mkdir()
    (spare / "index.html").write_bytes(b"stale bytes at a wanted path")
    (spare / "a").write_bytes(b"a file where a folder goes")
    (spare / "b" / "x").mkdir(parents=True)
    (spare / "b" / "x" / "y.html").write_bytes(b"inside a folder where a file goes")
    (spare / "c" / "d").mkdir(parents=True)
    (spare / "c" / "d" / "left-over.html").write_bytes(b"not written this time")
    (spare / "empty" / "folders").mkdir(parents=True)
    (spare / "link").symlink_to(tmp_path)
    staged(out, spare, wanted)
    assert contents(out) == expected(wanted)


def test_a_spare_file_with_other_bytes_is_replaced_even_when_handed_over_as_a_file(tmp_path):
    out, spare = tmp_path / "site", tmp_path / "spare"
    staged(out, spare, {"page.html": b"right"})
    staged(out, spare, {"page.html": "site:page.html"})
    (spare / "page.html").unlink()
    (spare / "page.html").write_bytes(b"wrong")  # another file at the path: its inode is not the site's
    staged(out, spare, {"page.html": "site:page.html"})
    assert (out / "page.html").read_bytes() == b"right"


def test_a_spare_file_that_holds_the_bytes_written_is_kept_and_one_that_does_not_is_replaced(tmp_path):
    out, spare = tmp_path / "site", tmp_path / "spare"
    files = {"capture.txt": b"verbatim", "data.json": b"[1, 2]", "feed.xml": b"<feed/>"}
    staged(out, spare, files)
    staged(out, spare, files)
    for path in files:  # a second name for each file of the spare, so that a file put in its place is another
        os.link(spare / path, tmp_path / f"witness-{path}")
    staged(out, spare, files | {"data.json": b"[1, 3]", "feed.xml": b"<feed/>\n"})  # same size, then another size
    assert (out / "capture.txt").samefile(tmp_path / "witness-capture.txt")  # not written again
    assert not (out / "data.json").samefile(tmp_path / "witness-data.json")
    assert not (out / "feed.xml").samefile(tmp_path / "witness-feed.xml")
    assert (tmp_path / "witness-data.json").read_bytes() == b"[1, 2]"  # never written into
    assert contents(out) == expected(files | {"data.json": b"[1, 3]", "feed.xml": b"<feed/>\n"})


def test_a_failed_build_keeps_the_spare_for_the_next(tmp_path):
    out, spare = tmp_path / "site", tmp_path / "spare"
    staged(out, spare, {"a.html": b"1"})
    staged(out, spare, {"a.html": b"2"})
    before = contents(out)
    with pytest.raises(RuntimeError), StagedTree(out, spare) as tree:
        tree.write_file("half.html", b"written before the failure")
        raise RuntimeError("the build failed")
    assert contents(out) == before
    assert spare.is_dir() and [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    staged(out, spare, {"a.html": b"3"})
    assert contents(out) == expected({"a.html": b"3"})


KILLER = SLOW_WRITES + """print("start", flush=True)
with write.StagedTree(write.Path({out!r}), write.Path({spare!r})) as tree:
    for n in range(400):
        tree.write_file(f"page-{{n}}/index.html", b"new" * 100)
    tree.commit()
"""


@pytest.mark.parametrize("delay", [0.05, 0.4])
def test_a_build_killed_while_updating_the_spare_leaves_the_site_whole(tmp_path, delay):
    out, spare = tmp_path / "site", tmp_path / "spare"
    staged(out, spare, {f"page-{n}/index.html": b"older" for n in range(300)})
    staged(out, spare, {f"page-{n}/index.html": b"old" for n in range(300)})
    before = digest_tree(out)
    process = subprocess.Popen([sys.executable, "-c", KILLER.format(repo=str(REPO), out=str(out), spare=str(spare))],
                               stdout=subprocess.PIPE)
    assert process.stdout.readline().strip() == b"start"
    time.sleep(delay)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    after = digest_tree(out)
    new = hashlib.sha256(b"new" * 100).hexdigest()
    assert after == before or (len(after) == 400 and set(after.values()) == {new})
    staged(out, spare, {"page-0/index.html": b"after"})
    assert contents(out) == expected({"page-0/index.html": b"after"})


def test_rebuilds_through_the_spare_equal_a_clean_build(tiny):
    site = tiny / "site"
    article = tiny / "content" / "articles" / "beta.md"
    edits = [("title: 文章beta", "title: 文章贝塔"), ("title: 文章贝塔", "title: 文章beta"), ("title: 文章beta", "title: 文章乙")]
    assert cli_for(tiny, "build", "--out", str(site)).returncode == 0
    for old, new in edits:
        article.write_text(article.read_text().replace(old, new))
        assert cli_for(tiny, "build", "--out", str(site)).returncode == 0
        assert (tiny / ".site.cache" / "spare" / "index.html").is_file()
        clean = tiny / "clean"
        shutil.rmtree(tiny / ".clean.cache", ignore_errors=True)
        assert cli_for(tiny, "build", "--out", str(clean), "--force").returncode == 0
        assert contents(site) == contents(clean)
    assert not [p for p in tiny.iterdir() if p.name.startswith((".site.new-", ".site.old-"))]
