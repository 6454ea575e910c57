"""Reads recorded as pages are assembled: a rebuild makes again only the outputs whose reads changed,
and takes every other output from the last build, checked to be intact."""

import shutil

import pytest

from conftest import REPO
from test_determinism import digest_tree

from framing import pipeline
from framing.incremental import outputs as output_records
from framing.project import Project
from framing.site.reads import ALL, ORDER, Digests, RecordedList, RecordedMap, recording, replay


@pytest.fixture
def seed(tmp_path):
    """A copy of the real project (content/ and templates/) to edit."""
    root = tmp_path / "project"
    for name in ("content", "templates"):
        shutil.copytree(REPO / name, root / name)
    return root


@pytest.fixture
def made(monkeypatch):
    """The path of every output made (not taken from the last build) from now on."""
    paths = []
    original = pipeline._make

    def making(outputs, stage, number):
        paths.append(outputs[number].path)
        return original(outputs, stage, number)

    monkeypatch.setattr(pipeline, "_make", making)
    return paths


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def clean_build(project, out):
    shutil.rmtree(out.with_name(f".{out.name}.cache"), ignore_errors=True)
    pipeline.build(project, out, force=True, search=False)
    return digest_tree(out)


EDITIONS = ("", "zh-hant/", "en/")


def test_an_annotation_edit_makes_again_only_the_outputs_that_show_it(seed, tmp_path, made):
    project, site = Project.at(seed), tmp_path / "site"
    pipeline.build(project, site, search=False)
    made.clear()
    edit(seed / "content" / "annotations" / "guancha-silent-war.md", "意思相同。", "意思基本相同。")
    pipeline.build(project, site, search=False)
    pages = {path for path in made if path.endswith(".html")}
    expected = {f"{edition}{route}index.html" for edition in EDITIONS
                for route in ("articles/guancha-silent-war/", "themes/accusation/", "claims/embassy-liu-pengyu/", "")}
    assert pages == expected
    assert "data/annotations.jsonld" in made and "data/shared-passages.json" not in made
    assert digest_tree(site) == clean_build(project, tmp_path / "clean")


def test_an_edit_of_article_html_makes_again_only_the_article_pages(seed, tmp_path, made):
    project, site = Project.at(seed), tmp_path / "site"
    pipeline.build(project, site, search=False)
    made.clear()
    edit(seed / "templates" / "article.html", "{% block main %}", "{% block main %}<!-- edited -->")
    pipeline.build(project, site, search=False)
    assert made and all(path.startswith(("articles/", "zh-hant/articles/", "en/articles/")) for path in made)
    articles = len(list((seed / "content" / "articles").glob("*.md")))
    assert len([path for path in made if path.endswith("/index.html")]) == 3 * articles
    assert digest_tree(site) == clean_build(project, tmp_path / "clean")


def test_an_edit_of_base_html_makes_every_page_again(seed, tmp_path, made):
    project, site = Project.at(seed), tmp_path / "site"
    pipeline.build(project, site, search=False)
    pages = {path for path in digest_tree(site) if path.endswith(".html")}
    made.clear()
    edit(seed / "templates" / "base.html", '<main id="main">', '<main id="main"><!-- edited -->')
    pipeline.build(project, site, search=False)
    assert {path for path in made if path.endswith(".html")} == pages


def test_a_title_edit_makes_again_the_pages_that_show_it_and_no_other_article(seed, tmp_path, made):
    """The lists, and the articles whose notes name it as another carrier of a passage they share."""
    project, site = Project.at(seed), tmp_path / "site"
    pipeline.build(project, site, search=False)
    index = pipeline.plan_site(project).views[0].index
    sharing = {occurrence.article for passage, _ in index.shared_by_article.data["netease-meta-avocado"]
               for occurrence in passage.occurrences}
    assert sharing and len(sharing) < 5
    made.clear()
    edit(seed / "content" / "articles" / "netease-meta-avocado.md", "title: ", "title: 新")
    pipeline.build(project, site, search=False)
    assert "articles/index.html" in made and "index.html" in made
    articles = {path.split("/")[-2] for path in made if path.endswith("/index.html") and "articles/" in path}
    assert articles == sharing | {"articles"}
    assert digest_tree(site) == clean_build(project, tmp_path / "clean")


def test_an_output_altered_or_removed_in_the_site_is_made_again(tiny, tmp_path, made):
    project, site = Project.at(tiny), tmp_path / "site"
    pipeline.build(project, site, search=False)
    before = digest_tree(site)
    (site / "articles" / "alpha" / "index.html").write_text("altered by hand")
    (site / "404.html").unlink()
    made.clear()
    pipeline.build(project, site, force=True, search=False)
    assert sorted(made) == ["404.html", "articles/alpha/index.html"]
    assert digest_tree(site) == before


def test_an_output_checked_once_is_trusted_by_its_file_identity(tiny, tmp_path, monkeypatch):
    project, site = Project.at(tiny), tmp_path / "site"
    pipeline.build(project, site, search=False)
    hashed = []
    original = output_records.file_sha256
    monkeypatch.setattr(output_records, "file_sha256", lambda path: hashed.append(path) or original(path))
    pipeline.build(project, site, force=True, search=False)
    assert hashed == [], "files untouched since the last build are not read"
    (site / "index.html").touch()
    pipeline.build(project, site, force=True, search=False)
    assert hashed == [site / "index.html"]


def test_an_unchanged_output_is_linked_and_its_search_text_not_made_again(tiny, tmp_path, monkeypatch):
    project, site = Project.at(tiny), tmp_path / "site"
    pipeline.build(project, site)
    staged = []
    original = pipeline.staged_for_search
    monkeypatch.setattr(pipeline, "staged_for_search", lambda *args: staged.append(args[1]) or original(*args))
    inode = (site / "articles" / "alpha" / "index.html").stat().st_ino
    pipeline.build(project, site, force=True)
    assert staged == []
    assert (site / "articles" / "alpha" / "index.html").stat().st_ino == inode


def test_a_read_records_the_collection_and_key_and_a_reused_value_replays_its_reads():
    articles = RecordedList("articles", [type("A", (), {"slug": s, "fingerprint": s.encode()})() for s in "abcd"],
                            lambda a: a.slug)
    claims = RecordedMap("claims", {"x": 1, "y": 2})
    with recording() as reads:
        claims["x"]
        articles[1:3]
    assert reads == {("claims", "x"), ("articles" + ORDER, ALL), ("articles", "b"), ("articles", "c")}
    with recording() as outer:
        with recording() as inner:
            list(claims)
        assert inner == {("claims", ALL)}
    assert outer == inner
    with recording() as later:
        replay(inner)
    assert later == inner
    digests = Digests([articles, claims])
    assert digests.of(("claims", "x")) != digests.of(("claims", "y"))
    assert digests.of(("claims", "gone")) == digests.of(("articles", "gone"))
    assert digests.of(("articles", "b")) == b"b"
