"""The store beside the output folder: it makes builds faster and never makes them different."""

import shutil
import sqlite3

import pytest

from conftest import cli_for
from test_determinism import digest_tree

from framing.incremental.reuse import STORE_FILE, cache_folder
from framing.incremental.store import Store


def build(project, out, *extra):
    result = cli_for(project, "build", "--out", str(out), "--force", *extra)
    assert result.returncode == 0, result.stderr
    return result


def cold_digest(project, tmp_path):
    out = tmp_path / "cold"
    shutil.rmtree(tmp_path / ".cold.cache", ignore_errors=True)
    build(project, out)
    return digest_tree(out)


def kinds(site):
    with sqlite3.connect(cache_folder(site) / STORE_FILE) as db:
        return {kind: count for kind, count in db.execute("SELECT kind, count(*) FROM entries GROUP BY kind")}


def test_a_warm_store_gives_the_bytes_of_a_cold_one(tiny, tmp_path):
    site = tiny / "site"
    build(tiny, site)
    kept = kinds(site)
    assert {"load", "bytecode", "output", "shared", "build", "salt"} <= set(kept), kept
    build(tiny, site)
    assert digest_tree(site) == cold_digest(tiny, tmp_path)
    assert "cache" not in {p.name for p in site.iterdir()}


@pytest.mark.parametrize("damage", ["not a database", "empty", "truncated"])
def test_a_corrupt_store_is_ignored_and_replaced(tiny, tmp_path, damage):
    site = tiny / "site"
    build(tiny, site)
    store = cache_folder(site) / STORE_FILE
    whole = store.read_bytes()
    store.write_bytes({"not a database": b"not a database" * 100, "empty": b"", "truncated": whole[:len(whole) // 3]}[damage])
    build(tiny, site)
    assert digest_tree(site) == cold_digest(tiny, tmp_path)
    assert "output" in kinds(site)


def test_a_store_of_another_generator_is_not_read(tiny, tmp_path):
    site = tiny / "site"
    build(tiny, site)
    path = cache_folder(site) / STORE_FILE
    foreign = Store(path, salt="another generator")
    assert foreign.get("output", "index.html") is None
    foreign.put("output", "index.html", "wrong")
    foreign.commit()  # a store of another salt is emptied before it is written
    assert set(kinds(site)) == {"output", "salt"}
    build(tiny, site)
    assert digest_tree(site) == cold_digest(tiny, tmp_path)


def test_the_store_keeps_only_what_the_last_build_used(tiny):
    site = tiny / "site"
    build(tiny, site)
    before = kinds(site)
    article = tiny / "content" / "articles" / "beta.md"
    annotations = tiny / "content" / "annotations" / "beta.md"
    capture = tiny / "content" / "captures" / "b.txt"
    for path in (article, annotations, capture):
        path.unlink()
    build(tiny, site)
    after = kinds(site)
    assert after["shared"] == 1
    assert after["load"] < before["load"]
    assert after["output"] < before["output"]
    store = Store(cache_folder(site) / STORE_FILE)
    assert not [path for path in store.all("output") if "beta" in path]


def test_a_store_that_cannot_be_written_does_not_fail_the_build(tiny, tmp_path):
    cache_folder(tiny / "site").write_text("a file where the store's folder goes")
    build(tiny, tiny / "site")
    assert digest_tree(tiny / "site") == cold_digest(tiny, tmp_path)


def test_a_failed_build_leaves_the_store_as_it_was(tiny):
    site = tiny / "site"
    build(tiny, site)
    store = cache_folder(site) / STORE_FILE
    before = store.read_bytes()
    claim = tiny / "content" / "claims" / "denial.md"
    claim.write_text(claim.read_text(encoding="utf-8").replace("verdict: consistent", "verdict: [oops"), encoding="utf-8")
    assert cli_for(tiny, "build", "--out", str(site)).returncode == 1
    assert store.read_bytes() == before


def test_shared_passages_are_found_again_only_when_an_article_text_changed(tiny, monkeypatch):
    from framing import pipeline
    from framing.project import Project

    found = []
    original = pipeline.find_shared
    monkeypatch.setattr(pipeline, "find_shared", lambda *args: found.append(1) or original(*args))
    project, site = Project.at(tiny), tiny / "site"
    pipeline.build(project, site, search=False)
    assert len(found) == 1
    annotation = tiny / "content" / "annotations" / "alpha.md"
    annotation.write_text(annotation.read_text(encoding="utf-8").replace("公司数据。", "公司的数据。"), encoding="utf-8")
    pipeline.build(project, site, search=False)
    assert len(found) == 1, "an annotation edit leaves the articles' texts as they were"
    article = tiny / "content" / "articles" / "beta.md"
    article.write_text(article.read_text(encoding="utf-8").replace("title: 文章beta", "title: 文章贝塔"), encoding="utf-8")
    pipeline.build(project, site, search=False)
    assert len(found) == 1, "a title is not part of the texts compared"
