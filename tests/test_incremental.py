"""Rebuilds: nothing is rebuilt when nothing changed, and a rebuild equals a clean build."""

import os
import shutil

import pytest

from conftest import cli_for
from framing.incremental.reuse import STORE_FILE, cache_folder
from framing.incremental.store import Store
from test_determinism import digest_tree


def build(project, out, *extra):
    result = cli_for(project, "build", "--out", str(out), *extra)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_unchanged_input_is_not_rebuilt(tiny):
    site = tiny / "site"
    assert "built" in build(tiny, site)
    stamp = os.stat(site / "index.html").st_mtime_ns
    assert "is up to date" in build(tiny, site)
    assert os.stat(site / "index.html").st_mtime_ns == stamp
    assert "built" in build(tiny, site, "--force")


def test_each_kind_of_change_rebuilds_and_matches_a_clean_build(tiny):
    site = tiny / "site"
    build(tiny, site)
    changes = [
        (tiny / "content" / "annotations" / "alpha.md", "阿里巴巴的**否认**。", "阿里巴巴的**否认**,已核实。"),
        (tiny / "content" / "articles" / "beta.md", "title: 文章beta", "title: 文章贝塔"),
        (tiny / "templates" / "article.html", "{% block main %}", "{% block main %}<!-- edited -->"),
        (tiny / "content" / "claims" / "denial.md", "verdict: consistent", "verdict: overstated"),
    ]
    for path, old, new in changes:
        path.write_text(path.read_text().replace(old, new))
        assert "built" in build(tiny, site), path
        clean = tiny / "clean"
        shutil.rmtree(tiny / ".clean.cache", ignore_errors=True)  # clean: no cache either
        build(tiny, clean, "--force")
        assert digest_tree(site) == digest_tree(clean), path


def _append(path):
    with path.open("ab") as handle:  # in place: the folder's entries stay as they were
        handle.write(b"<!-- edited by hand -->")


TOUCHES = {
    "a file removed": lambda site: (site / "404.html").unlink(),
    "a file edited in place": lambda site: _append(site / "articles" / "alpha" / "index.html"),
    "a file added deep down": lambda site: (site / "articles" / "alpha" / "notes.txt").write_text("mine"),
    "a folder added at the top": lambda site: (site / "extra").mkdir(),
    "a file renamed": lambda site: (site / "robots.txt").rename(site / "robots.old"),
}


def snapshot(site):
    """Every file's digest, and every folder."""
    return digest_tree(site), sorted(path for path in site.rglob("*") if path.is_dir())


@pytest.mark.parametrize("touch", TOUCHES.values(), ids=TOUCHES.keys())
def test_a_touched_output_is_rebuilt(tiny, touch):
    site = tiny / "site"
    build(tiny, site)
    before = snapshot(site)
    touch(site)
    assert snapshot(site) != before
    assert "built" in build(tiny, site)
    assert snapshot(site) == before
    assert "is up to date" in build(tiny, site)


def test_another_base_url_is_rebuilt(tiny):
    site = tiny / "site"
    build(tiny, site)
    assert "built" in build(tiny, site, "--base-url", "/repo/")
    assert 'href="/repo/assets/' in (site / "index.html").read_text()


def test_a_failed_build_forgets_nothing_it_should_not(tiny):
    site = tiny / "site"
    build(tiny, site)
    before = digest_tree(site)
    annotations = tiny / "content" / "annotations" / "alpha.md"
    good = annotations.read_text()
    annotations.write_text(good.replace("theme", "thme") + "## broken\n")
    assert cli_for(tiny, "build", "--out", str(site)).returncode == 1
    assert digest_tree(site) == before
    annotations.write_text(good)  # back to the built state: the previous output is current again
    assert "built" in build(tiny, site) or "up to date" in build(tiny, site)
    assert digest_tree(site) == before


def test_the_record_fingerprints_files_as_os_walk_lists_them(tmp_path):
    """Every file below the folder with its size and time, sorted; a linked folder is not entered,
    and a broken link or a link loop is fingerprinted as the link itself."""
    from framing.incremental.inputs import _tree_entries
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "deep.html").write_text("x")
    (tmp_path / "top.txt").write_text("yy")
    os.symlink(tmp_path / "a", tmp_path / "linked-folder")
    os.symlink(tmp_path / "missing", tmp_path / "broken")
    os.symlink(tmp_path / "loop", tmp_path / "loop")
    expected = []
    for folder, _, names in os.walk(tmp_path):
        for name in names:
            path = os.path.join(folder, name)
            stat = os.stat(path) if os.path.exists(path) else os.lstat(path)
            expected.append(f"{os.path.relpath(path, tmp_path)} {stat.st_size} {stat.st_mtime_ns}")
    assert _tree_entries(tmp_path) == sorted(expected)
    assert [entry.split(" ")[0] for entry in _tree_entries(tmp_path)] == ["a/b/deep.html", "broken", "loop", "top.txt"]


def test_a_build_leaves_the_garbage_collector_as_it_found_it(tiny):
    import gc

    from framing import pipeline
    from framing.project import Project

    before = gc.get_threshold()
    pipeline.build(Project.at(tiny), tiny / "site")
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0 and gc.isenabled()


def test_rendering_the_pages_and_data_files_makes_no_reference_cycles():
    """What lets a build run with the cyclic collector off once the content is loaded
    (collector.few_collections): rendering every page of the seed archive and making every data file
    leaves nothing for the collector to find."""
    import gc

    from conftest import REPO
    from framing import pipeline
    from framing.project import Project
    from framing.site.reads import recording

    plan = pipeline.plan_site(Project.at(REPO))
    gc.collect()
    gc.disable()
    try:
        for output in plan.outputs():
            with recording():
                output.make()
        found = gc.collect()
    finally:
        gc.enable()
    assert found == 0


@pytest.mark.parametrize("damage", [
    lambda record: "not a record",
    lambda record: record | {"files": [7] + record["files"]},
    lambda record: record | {"files": record["files"][1:]},  # a file left out of the list
    lambda record: {key: value for key, value in record.items() if key != "files"},
], ids=["not a record", "a path that is not text", "a file missing from the list", "no list"])
def test_a_damaged_build_record_only_costs_a_rebuild(tiny, damage):
    site = tiny / "site"
    build(tiny, site)
    before = snapshot(site)
    store = Store(cache_folder(site) / STORE_FILE)
    store.put("build", "last", damage(store.get("build", "last")))
    store.commit()
    result = cli_for(tiny, "build", "--out", str(site))
    assert result.returncode == 0 and "built" in result.stdout and "Traceback" not in result.stderr
    assert snapshot(site) == before
    assert "is up to date" in build(tiny, site)
