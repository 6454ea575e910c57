"""A rebuild takes each page whose input did not change from the previous site, and never a wrong one."""

import shutil

import pytest
from markupsafe import Markup

from framing import pipeline

from framing.output import render
from framing.incremental.pagecache import RECORD_FILE, RenderedPages
from framing.project import Project
from conftest import record_calls
from test_determinism import digest_tree


@pytest.fixture
def rendered(monkeypatch):
    """The (edition, route) of every page rendered from now on."""
    made = []
    original = render.Renderer.render

    def counting(self, template, context):
        made.append((context["edition"], context["route"]))
        return original(self, template, context)

    monkeypatch.setattr(render.Renderer, "render", counting)
    return made


def clean_digest(project: Project, out):
    shutil.rmtree(out.with_name(f".{out.name}.cache"), ignore_errors=True)
    pipeline.build(project, out, force=True)
    return digest_tree(out)


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_an_annotation_edit_renders_only_the_pages_that_show_it(tiny, tmp_path, rendered):
    project, site = Project.at(tiny), tiny / "site"
    pipeline.build(project, site)
    every = list(rendered)
    before = digest_tree(site)
    rendered.clear()
    edit(tiny / "content" / "annotations" / "alpha.md", "公司数据。", "公司自己的数据。")
    pipeline.build(project, site)
    after = digest_tree(site)
    changed = {path for path in after if before.get(path) != after[path] and path.endswith(".html")}
    assert changed, "the edit shows somewhere"
    assert ("zh-hans", "articles/alpha/") in rendered and ("en", "articles/alpha/") in rendered
    assert ("zh-hans", "articles/beta/") not in rendered and ("zh-hans", "404.html") not in rendered
    assert len(rendered) < len(every) / 2
    assert len(rendered) >= len(changed)  # every page that changed was rendered
    assert after == clean_digest(project, tmp_path / "clean")


def test_a_page_altered_or_removed_in_the_site_is_rendered_again(tiny, tmp_path, rendered):
    project, site = Project.at(tiny), tiny / "site"
    pipeline.build(project, site)
    rendered.clear()
    page = site / "articles" / "alpha" / "index.html"
    page.write_bytes(page.read_bytes().replace(b"</main>", b"<p>added by hand</p></main>"))
    (site / "en" / "index.html").unlink()
    pipeline.build(project, site, force=True)
    assert sorted(rendered) == [("en", ""), ("zh-hans", "articles/alpha/")]
    assert digest_tree(site) == clean_digest(project, tmp_path / "clean")


def test_a_page_checked_once_is_trusted_by_its_file_identity_until_the_file_changes(tiny, tmp_path, rendered, monkeypatch):
    project, site = Project.at(tiny), tiny / "site"
    pipeline.build(project, site)
    pipeline.build(project, site, force=True)  # reads every page's file, and records which file held its bytes
    read = record_calls(monkeypatch, RenderedPages, "_recorded_bytes", lambda pages, path, entry: path)
    rendered.clear()
    pipeline.build(project, site, force=True)
    assert rendered == [] and read and not [path for path in read if "articles/" in path]
    page = site / "articles" / "alpha" / "index.html"
    data = page.read_bytes()
    page.write_bytes(data.replace(b"</main>", b"</MAIN>"))  # the same size, other bytes
    read.clear()
    pipeline.build(project, site, force=True)
    assert {path for path in read if "articles/" in path} == {"articles/alpha/index.html"}
    assert rendered == [("zh-hans", "articles/alpha/")]
    assert digest_tree(site) == clean_digest(project, tmp_path / "clean")


def test_a_template_change_renders_every_page(tiny, rendered):
    project, site = Project.at(tiny), tiny / "site"
    pipeline.build(project, site)
    every = sorted(rendered)
    rendered.clear()
    pipeline.build(project, site, force=True)
    assert rendered == []  # nothing changed: every page from the previous site
    edit(tiny / "templates" / "404.html", "{% block main %}", "{% block main %}{# a comment #}")
    pipeline.build(project, site)
    assert sorted(rendered) == every  # any template may shape any page


@pytest.mark.parametrize("record", ["{not json", '{"salt": "other", "pages": {}}', '{"salt": 1}', "[]"])
def test_a_corrupt_or_foreign_record_renders_every_page(tiny, tmp_path, rendered, record):
    project, site = Project.at(tiny), tiny / "site"
    pipeline.build(project, site)
    every = sorted(rendered)
    rendered.clear()
    (tiny / ".site.cache" / RECORD_FILE).write_text(record, encoding="utf-8")
    pipeline.build(project, site, force=True)
    assert sorted(rendered) == every
    assert digest_tree(site) == clean_digest(project, tmp_path / "clean")


def test_the_input_digest_tells_apart_what_renders_differently(tmp_path):
    pages = RenderedPages(tmp_path, tmp_path, "salt")
    digest = pages.input_digest
    assert digest("a.html", {"x": "<b>"}) == digest("a.html", {"x": "<b>"})
    assert digest("a.html", {"x": "<b>"}) != digest("a.html", {"x": Markup("<b>")})  # escaped, or not
    assert digest("a.html", {"x": 1, "y": 2}) != digest("a.html", {"y": 2, "x": 1})  # a loop shows the order
    assert digest("a.html", {"x": 1}) != digest("b.html", {"x": 1})
    assert digest("a.html", {"x": 1}) != RenderedPages(tmp_path, tmp_path, "other salt").input_digest("a.html", {"x": 1})
    assert digest("a.html", {"x": ["same", "same"]}) == digest("a.html", {"x": ["same", "".join(["sa", "me"])]})  # values, not objects


def test_a_context_that_is_not_plain_values_is_rendered_every_time(tmp_path):
    pages = RenderedPages(tmp_path, tmp_path, "salt")
    assert pages.input_digest("a.html", {"x": lambda: 1}) is None
    assert pages.previous("a.html", None) is None


def test_an_unchanged_page_is_linked_not_copied_and_its_search_text_not_made_again(tiny, tmp_path, monkeypatch):
    """The page file of the previous site becomes the new site's (a hard link); its search text is made
    again only when its index shard must be run again."""
    staged = record_calls(monkeypatch, pipeline, "staged_for_search", lambda converter, path, html: path)
    project, site = Project.at(tiny), tiny / "site"
    pipeline.build(project, site)
    indexed = len(staged)
    inode = (site / "articles" / "beta" / "index.html").stat().st_ino
    staged.clear()
    pipeline.build(project, site, force=True)
    assert staged == []  # nothing changed: every shard from the cache, no page's text made
    assert (site / "articles" / "beta" / "index.html").stat().st_ino == inode
    edit(tiny / "content" / "annotations" / "alpha.md", "公司数据。", "公司自己的数据。")
    pipeline.build(project, site)
    assert "articles/alpha/index.html" in staged and 0 < len(staged) <= indexed
    assert (site / "articles" / "beta" / "index.html").stat().st_ino == inode
    assert digest_tree(site) == clean_digest(project, tmp_path / "clean")


def test_where_links_fail_the_unchanged_pages_are_copied(tiny, tmp_path, monkeypatch):
    from framing.output import write
    project, site = Project.at(tiny), tiny / "site"
    pipeline.build(project, site)

    def refuse(source, target):
        raise OSError("links are not supported here")

    monkeypatch.setattr(write.os, "link", refuse)
    inode = (site / "articles" / "beta" / "index.html").stat().st_ino
    pipeline.build(project, site, force=True)
    assert (site / "articles" / "beta" / "index.html").stat().st_ino != inode
    assert digest_tree(site) == clean_digest(project, tmp_path / "clean")
