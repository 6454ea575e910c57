"""The dependency record: a rebuild assembles only the article pages whose inputs changed, and every
page read through another record (a carrier's outlet, a claim's label, a theme's title, the footer's
pages, the site's title) still comes out as a clean build makes it."""

import shutil

import pytest

from framing import dependencies, pages, pipeline
from framing.project import Project
from test_determinism import digest_tree

from conftest import REPO


@pytest.fixture
def seed(tmp_path):
    """A copy of the real project (content/ and templates/) to edit."""
    root = tmp_path / "project"
    for name in ("content", "templates"):
        shutil.copytree(REPO / name, root / name)
    return root


@pytest.fixture
def assembled(monkeypatch):
    """The (edition, slug) of every article page assembled from now on."""
    made = []
    original = pages.article_page

    def counting(view, article):
        made.append((view.edition.code, article.slug))
        return original(view, article)

    monkeypatch.setattr(pages, "article_page", counting)
    return made


def build(project: Project, out):
    pipeline.build(project, out, search=False)
    return digest_tree(out)


def clean_build(project: Project, out):
    shutil.rmtree(out.with_name(f".{out.name}.cache"), ignore_errors=True)
    pipeline.build(project, out, force=True, search=False)
    return digest_tree(out)


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_an_annotation_edit_assembles_only_its_articles_pages(seed, tmp_path, assembled):
    project, site = Project.at(seed), seed / "site"
    build(project, site)
    articles = {slug for _, slug in assembled}
    assert len(articles) == 5 and len(assembled) == 15  # five articles, three editions
    assembled.clear()
    build(project, site)  # a no-op: not even planned
    pipeline.build(project, site, force=True, search=False)
    assert assembled == []  # forced, with nothing changed: every article page from the previous site
    edit(seed / "content" / "annotations" / "guancha-silent-war.md", "意思相同。", "意思基本相同。")
    after = build(project, site)
    assert sorted(assembled) == [("en", "guancha-silent-war"), ("zh-hans", "guancha-silent-war"),
                                 ("zh-hant", "guancha-silent-war")]
    assert after == clean_build(project, tmp_path / "clean")


def shared_carrier(site_json: dict) -> tuple[str, str]:
    """(an article that carries a shared passage, another article that shows it in a note)."""
    passage = site_json["passages"][0]
    first, second = passage["occurrences"][0]["article"], passage["occurrences"][1]["article"]
    return first, second


# Each edit changes what article pages show through a record other than their own article and annotations.
EDITS = [
    ("a claim's label", "claims/embassy-liu-pengyu.md", "label: ", "label: 经核对的"),
    ("a theme's title", "themes/endorsements.md", "title: ", "title: 关于"),
    ("a text page's title", "pages/methodology.md", "title: 方法说明", "title: 方法与范围"),
    ("the site's title", "site.yaml", "title: 框架档案", "title: 框架之档案"),
    ("a claim's verdict", "claims/embassy-liu-pengyu.md", "verdict: consistent", "verdict: overstated"),
]


@pytest.mark.parametrize("what, file, old, new", EDITS, ids=[e[0] for e in EDITS])
def test_an_edit_read_through_another_record_rebuilds_like_a_clean_build(seed, tmp_path, what, file, old, new):
    project, site = Project.at(seed), seed / "site"
    before = build(project, site)
    edit(seed / "content" / file, old, new)
    after = build(project, site)
    changed = {p for p in after if before.get(p) != after[p] and "/articles/" in "/" + p}
    assert changed, f"{what} shows on some article page"
    assert after == clean_build(project, tmp_path / "clean")


def test_a_carriers_outlet_changes_the_notes_of_the_other_articles(seed, tmp_path, assembled):
    import json

    project, site = Project.at(seed), seed / "site"
    build(project, site)
    carrier, other = shared_carrier(json.loads((site / "data" / "shared-passages.json").read_text(encoding="utf-8")))
    edit(seed / "content" / "articles" / f"{carrier}.md", "\noutlet: ", "\noutlet: 【转】")
    assembled.clear()
    after = build(project, site)
    assert ("zh-hans", other) in assembled  # its note names the carrier by outlet
    assert "【转】" in (site / "articles" / other / "index.html").read_text(encoding="utf-8")
    assert after == clean_build(project, tmp_path / "clean")


def test_the_digest_covers_what_an_article_page_reads_and_nothing_of_other_articles(seed):
    from dataclasses import replace

    project = Project.at(seed)
    plan = pipeline.plan_site(project)
    view = plan.views[0]
    archive = view.archive
    article = archive.articles[0]
    reads = dependencies.ArticleReads(view.index, 9)
    digest = reads.digest(view, article)
    assert digest == reads.digest(view, article) == dependencies.ArticleReads(view.index, 9).digest(view, article)
    assert digest != reads.digest(plan.views[1], article)  # another edition

    def digest_with(changed_archive):
        again = pages.edition_views(changed_archive, pipeline.load_catalogue(project), plan.converter, view.assets,
                                    view.index.shared)[0]
        return dependencies.ArticleReads(again.index, 9).digest(again, changed_archive.articles[0])

    assert digest_with(archive) == digest
    lonely = [a for a in archive.articles[1:] if not view.index.shared_by_article.get(a.slug)]
    retitled = replace(archive, articles=archive.articles[:1] + tuple(
        replace(a, title=a.title + "!") if a in lonely else a for a in archive.articles[1:]))
    assert digest_with(retitled) == digest  # another article that shares nothing with it
    mine = next(a for a in archive.annotations if a.article == article.slug)
    renoted = replace(archive, annotations=tuple(replace(a, gloss_en=a.gloss_en + "!") if a is mine else a
                                                 for a in archive.annotations))
    assert digest_with(renoted) != digest
    relabelled = replace(archive, claims=(replace(archive.claims[0], label=archive.claims[0].label + "!"),) + archive.claims[1:])
    assert digest_with(relabelled) != digest
    retitled_site = replace(archive, config=replace(archive.config, title=archive.config.title + "!"))
    assert digest_with(retitled_site) != digest
