"""The build cache beside the output folder: it makes builds faster and never makes them different."""

import hashlib
import json
import shutil

from conftest import cli_for
from test_determinism import digest_tree


def build(project, out, *extra):
    result = cli_for(project, "build", "--out", str(out), "--force", *extra)
    assert result.returncode == 0, result.stderr
    return result


def cold_digest(project, tmp_path):
    out = tmp_path / "cold"
    shutil.rmtree(tmp_path / ".cold.cache", ignore_errors=True)
    build(project, out)
    return digest_tree(out)


def test_a_warm_cache_gives_the_bytes_of_a_cold_one(tiny, tmp_path):
    site = tiny / "site"
    build(tiny, site)
    cache = tiny / ".site.cache"
    assert (cache / "markdown.json").is_file()
    assert list((cache / "templates").rglob("*.cache")), "the compiled templates are kept"
    build(tiny, site)
    assert digest_tree(site) == cold_digest(tiny, tmp_path)
    assert not (site / ".site.cache").exists() and "cache" not in {p.name for p in site.iterdir()}


def test_a_corrupt_or_foreign_cache_is_ignored(tiny, tmp_path):
    site = tiny / "site"
    build(tiny, site)
    cache = tiny / ".site.cache"
    for compiled in (cache / "templates").rglob("*.cache"):
        compiled.write_bytes(b"not bytecode")
    markdown = json.loads((cache / "markdown.json").read_text(encoding="utf-8"))
    # The same texts, rendered wrongly, by "another version of the generator": never used.
    (cache / "markdown.json").write_text(json.dumps({"generator": "other", "html": {k: "<p>WRONG</p>" for k in markdown["html"]}}),
                                         encoding="utf-8")
    build(tiny, site)
    assert digest_tree(site) == cold_digest(tiny, tmp_path)
    (cache / "markdown.json").write_text("{not json", encoding="utf-8")
    build(tiny, site)
    assert digest_tree(site) == cold_digest(tiny, tmp_path)


def test_the_cache_keeps_only_what_the_last_build_used(tiny):
    site = tiny / "site"
    build(tiny, site)
    before = json.loads((tiny / ".site.cache" / "markdown.json").read_text(encoding="utf-8"))["html"]
    claim = tiny / "content" / "claims" / "denial.md"
    claim.write_text(claim.read_text(encoding="utf-8").replace("阿里巴巴的声明与来源一致。", "阿里巴巴的声明与来源一致,已改写。"),
                     encoding="utf-8")
    build(tiny, site)
    after = json.loads((tiny / ".site.cache" / "markdown.json").read_text(encoding="utf-8"))["html"]
    assert "<p>阿里巴巴的声明与来源一致。</p>" in before.values()
    assert "<p>阿里巴巴的声明与来源一致,已改写。</p>" in after.values()
    assert "<p>阿里巴巴的声明与来源一致。</p>" not in after.values()  # the old text's entry went with it
    assert set(after) - set(before) == {hashlib.sha256("阿里巴巴的声明与来源一致,已改写。".encode()).hexdigest()}


def test_a_cache_that_cannot_be_written_does_not_fail_the_build(tiny, tmp_path):
    (tiny / ".site.cache").write_text("a file where the cache folder would go", encoding="utf-8")
    build(tiny, tiny / "site")
    assert digest_tree(tiny / "site") == cold_digest(tiny, tmp_path)


def test_a_failed_build_leaves_the_cache_as_it_was(tiny):
    site = tiny / "site"
    build(tiny, site)
    before = digest_tree(tiny / ".site.cache")
    (tiny / "templates" / "article.html").write_text("{% block main %}{{ nowhere.defined }}{% endblock %}", encoding="utf-8")
    assert cli_for(tiny, "build", "--out", str(site)).returncode == 1
    assert digest_tree(tiny / ".site.cache") == before


def test_shared_passages_are_found_again_only_when_an_article_text_changed(tiny, monkeypatch):
    from framing.incremental import cache as build_cache
    from framing import pipeline
    from framing.project import Project
    from framing.site.shared import find_shared
    found = []

    def counting(*args):
        found.append(1)
        return find_shared(*args)

    monkeypatch.setattr(build_cache, "find_shared", counting)
    project, site = Project.at(tiny), tiny / "site"
    first = pipeline.build(project, site, force=True)
    kept = (tiny / ".site.cache" / "shared-passages.json").read_bytes()
    assert len(found) == 1 and first.archive and kept
    annotation = tiny / "content" / "annotations" / "alpha.md"
    annotation.write_text(annotation.read_text(encoding="utf-8").replace("公司数据。", "公司自己的数据。"), encoding="utf-8")
    pipeline.build(project, site)
    assert len(found) == 1  # an annotation changed: the passages come from the cache
    warm = digest_tree(site)
    shutil.rmtree(tiny / ".site.cache")
    pipeline.build(project, site, force=True)
    assert digest_tree(site) == warm and len(found) == 2  # the same bytes as found afresh
    article = tiny / "content" / "articles" / "alpha.md"
    article.write_text(article.read_text(encoding="utf-8").replace("title: 文章alpha", "title: 新标题"), encoding="utf-8")
    pipeline.build(project, site)
    assert len(found) == 2  # a title is not the text
    capture, text = tiny / "content" / "captures" / "a.txt", article.read_text(encoding="utf-8")
    new_capture = capture.read_text(encoding="utf-8").replace("下载量突破6亿次", "下载量突破7亿次")
    capture.write_text(new_capture, encoding="utf-8")
    old_hash = text.split("sha256: ")[1].split("\n")[0]
    article.write_text(text.replace("下载量突破6亿次", "下载量突破7亿次").replace(old_hash, hashlib.sha256(new_capture.encode()).hexdigest()),
                       encoding="utf-8")
    annotation.write_text(annotation.read_text(encoding="utf-8").replace("下载量突破6亿次", "下载量突破7亿次"), encoding="utf-8")
    pipeline.build(project, site)
    assert len(found) == 3  # the text changed


def test_an_unreadable_shared_passage_cache_is_found_again(tiny, tmp_path):
    site = tiny / "site"
    build(tiny, site)
    kept = tiny / ".site.cache" / "shared-passages.json"
    key = kept.read_bytes().split(b"\n", 1)[0]
    kept.write_bytes(key + b"\n[[\"shared-1\", \"x\", [[\"alpha\", [[0, 1]]]]]]")  # the right key over a broken body
    build(tiny, site)
    assert digest_tree(site) == cold_digest(tiny, tmp_path)
