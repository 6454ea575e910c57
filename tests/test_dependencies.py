"""The dependency record: a rebuild assembles only the article, claim, theme, index and article-list
pages whose inputs changed, and every page read through another record (a carrier's outlet, a
claim's label, a theme's title, the footer's pages, the site's title, an event, an article's date)
still comes out as a clean build makes it."""

import functools
import shutil

import pytest

from framing import dependencies, pages, pipeline
from framing.project import Project
from test_determinism import digest_tree

from conftest import REPO, record_calls


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
    return record_calls(monkeypatch, pages, "article_page", lambda view, article: (view.edition.code, article.slug))


@pytest.fixture
def planned(seed):
    """The seed's plan, and view_of(archive, shared): the default edition's view of a changed archive
    (or of other shared passages), to digest again."""
    project = Project.at(seed)
    plan = pipeline.plan_site(project)
    view, catalogue = plan.views[0], pipeline.load_catalogue(project)

    def view_of(archive=None, shared=None):
        return pages.edition_views(archive or view.archive, catalogue, plan.converter, view.assets,
                                   view.index.shared if shared is None else shared)[0]

    return plan, view_of


def page_reads(index):
    return dependencies.PageReads(index, dependencies.Limits(named=9, shared_listed=100, carriers_listed=12))


@pytest.fixture
def assembled_pages(monkeypatch):
    """(page function, edition, what the page is of: an article's slug, a claim's id, a theme's slug or
    a list page's number) of every page with a dependency record assembled from now on."""
    made = []
    for name in ("article_page", "claim_page", "theme_page", "index_page", "article_list_page"):
        record_calls(monkeypatch, pages, name, functools.partial(_assembled, name), into=made)
    return made


def _assembled(name, view, *args):
    key = args[0] if args else ""
    return name, view.edition.code, getattr(key, "slug", getattr(key, "id", key))


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
    assert len(articles) == 6 and len(assembled) == 18  # six articles, three editions
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


def test_the_digest_covers_what_an_article_page_reads_and_nothing_of_other_articles(planned):
    from dataclasses import replace

    plan, view_of = planned
    view = plan.views[0]
    archive = view.archive
    article = archive.articles[0]
    reads = page_reads(view.index)
    digest = reads.article(view, article)
    assert digest == reads.article(view, article) == page_reads(view.index).article(view, article)
    assert digest != reads.article(plan.views[1], article)  # another edition

    def digest_with(changed_archive):
        again = view_of(changed_archive)
        return page_reads(again.index).article(again, changed_archive.articles[0])

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


def test_an_annotation_edit_assembles_only_the_pages_that_show_it(seed, tmp_path, assembled_pages):
    project, site = Project.at(seed), seed / "site"
    build(project, site)
    assert {name for name, _, _ in assembled_pages} == {"article_page", "claim_page", "theme_page", "index_page",
                                                         "article_list_page"}
    assembled_pages.clear()
    pipeline.build(project, site, force=True, search=False)
    assert assembled_pages == []  # nothing changed: every page with a record comes from the previous site
    # gc-embassy-statement: theme 'accusation', claim 'embassy-liu-pengyu' (whose passages are all in 'accusation')
    edit(seed / "content" / "annotations" / "guancha-silent-war.md", "意思相同。", "意思基本相同。")
    after = build(project, site)
    editions = ("en", "zh-hans", "zh-hant")
    assert sorted(assembled_pages) == sorted(
        [("article_page", e, "guancha-silent-war") for e in editions]
        + [("claim_page", e, "embassy-liu-pengyu") for e in editions]
        + [("theme_page", e, "accusation") for e in editions])
    assert after == clean_build(project, tmp_path / "clean")


def test_worker_processes_are_handed_only_the_pages_an_edit_changed(seed, tmp_path, monkeypatch):
    """With worker processes, this process finds the pages whose reads are unchanged and hands the
    workers the others, a few at a time; the rebuild still gives the bytes of a clean build."""
    from framing import render

    monkeypatch.setattr(render, "PARALLEL_FROM", 2)
    monkeypatch.setattr(render, "AHEAD", 1)  # one chunk a worker at a time
    monkeypatch.setattr(render, "LOOKAHEAD", 3)  # and pages decided only just ahead of the writer
    project, site = Project.at(seed), seed / "site"
    paths = [page.path for page in pipeline.plan_site(project).pages]
    chunks = record_calls(monkeypatch, render.ProcessPoolExecutor, "submit", lambda pool, function, *args:
                          [paths[number] for number, _ in args[0]] if function is render._render_in_worker else [])
    build(project, site)
    everything = {path for chunk in chunks for path in chunk}
    chunks.clear()
    edit(seed / "content" / "annotations" / "guancha-silent-war.md", "意思相同。", "意思基本相同。")
    after = build(project, site)
    without_record = {page.path for page in pipeline.plan_site(project).pages if page.reads is None}
    changed = {f"{prefix}{kind}/{name}/index.html" for prefix in ("", "zh-hant/", "en/")
               for kind, name in (("articles", "guancha-silent-war"), ("claims", "embassy-liu-pengyu"),
                                  ("themes", "accusation"))}
    handed = sorted(path for chunk in chunks for path in chunk)
    assert everything == set(paths) and handed == sorted(changed | without_record)
    assert after == clean_build(project, tmp_path / "clean")


def test_an_annotation_edit_makes_again_only_the_data_files_that_read_annotations(seed, tmp_path, monkeypatch):
    from framing import exports, feeds

    made = []
    for module, name in ((exports, "annotation_collection"), (exports, "claims_json"), (exports, "claims_csv"),
                         (exports, "shared_passages"), (feeds, "atom")):
        record_calls(monkeypatch, module, name, lambda *args, name=name: name, into=made)
    project, site = Project.at(seed), seed / "site"
    build(project, site)
    assert sorted(made) == ["annotation_collection", "atom", "atom", "atom", "claims_csv", "claims_json", "shared_passages"]
    made.clear()
    pipeline.build(project, site, force=True, search=False)
    assert made == []  # nothing changed: every data file from the previous site
    edit(seed / "content" / "annotations" / "guancha-silent-war.md", "意思相同。", "意思基本相同。")
    after = build(project, site)
    assert sorted(made) == ["annotation_collection", "atom", "atom", "atom"]  # every article is among the newest
    assert after == clean_build(project, tmp_path / "clean")
    made.clear()
    (site / "data" / "claims.csv").write_bytes(b"edited by hand\n")  # a file changed in the site is made again
    edit(seed / "content" / "annotations" / "guancha-silent-war.md", "意思基本相同。", "意思相同。")
    after = build(project, site)
    assert sorted(made) == ["annotation_collection", "atom", "atom", "atom", "claims_csv"]
    assert after == clean_build(project, tmp_path / "clean")


# Each edit changes what a theme page, a claim page, the index or the article list shows through a
# record other than the page's own: (what, file, old text, new text, a page it must change).
BEYOND_ARTICLES = [
    ("an event's label", "events.yaml", "label: 白宫备忘录据报道的落款日期", "label: 白宫备忘录据报道之落款日期", "index.html"),
    ("an article's date", "articles/chinacom-us-anxiety.md", "published: 2025-11-17 16:05:07",
     "published: 2025-11-18 16:05:07", "articles/index.html"),
    ("an article's outlet", "articles/chinacom-us-anxiety.md", "outlet: 中华网", "outlet: 中华网站", "themes/statistics/index.html"),
    ("an annotation's theme", "annotations/guancha-silent-war.md", "theme: accusation\ntags: precedents",
     "theme: framing\ntags: precedents", "themes/framing/index.html"),
    ("an annotation's claim", "annotations/guancha-silent-war.md", "claim: embassy-liu-pengyu", "claim: alibaba-denial-wording",
     "claims/alibaba-denial-wording/index.html"),
    ("a claim's source value", "claims/alibaba-380b-capex.md", "source_value: 3800亿元", "source_value: 3900亿元",
     "themes/statistics/index.html"),
]


@pytest.mark.parametrize("what, file, old, new, shown_on", BEYOND_ARTICLES, ids=[e[0] for e in BEYOND_ARTICLES])
def test_an_edit_shown_beyond_article_pages_rebuilds_like_a_clean_build(seed, tmp_path, what, file, old, new, shown_on):
    project, site = Project.at(seed), seed / "site"
    before = build(project, site)
    edit(seed / "content" / file, old, new)
    after = build(project, site)
    assert before[shown_on] != after[shown_on], f"{what} shows on {shown_on}"
    assert after == clean_build(project, tmp_path / "clean")


def test_the_digests_of_claim_theme_and_index_pages_cover_what_they_show(planned):
    from dataclasses import replace

    plan, view_of = planned
    view = plan.views[0]
    archive = view.archive
    claim = next(c for c in archive.claims if view.index.by_claim[c.id])
    theme = claim.theme
    first = view.index.articles[view.index.by_claim[claim.id][0].article]
    listed = [a.slug for a in archive.articles]

    def digests_in(view):
        reads = page_reads(view.index)
        return {"claim": reads.claim(view, claim.id), "theme": reads.theme(view, theme), "index": reads.overview(view),
                "list": reads.article_list(view, 1, 1, listed)}

    def digests(changed_archive):
        return digests_in(view_of(changed_archive))

    known = digests(archive)
    assert known == digests(archive) == digests_in(view)
    assert all(known[kind] != other for kind, other in digests_in(plan.views[1]).items())  # another edition

    def changed(changed_archive):
        now = digests(changed_archive)
        return {kind for kind in known if now[kind] != known[kind]}

    retitled = replace(archive, articles=tuple(replace(a, title=a.title + "!") if a is first else a for a in archive.articles))
    assert changed(retitled) == {"claim", "theme", "index", "list"}
    carrying = view.index.by_claim[claim.id][0]
    reglossed = replace(archive, annotations=tuple(replace(a, gloss_en=a.gloss_en + "!") if a is carrying else a
                                                   for a in archive.annotations))
    assert changed(reglossed) == {"claim", "theme"}  # the index shows where annotations stand, not what they say
    span = carrying.span

    def marking_otherwise(article):
        paragraphs = list(article.paragraphs)
        text = paragraphs[span.paragraph]
        paragraphs[span.paragraph] = text[:span.start] + ("X" if text[span.start] != "X" else "Y") + text[span.start + 1:]
        return replace(article, paragraphs=tuple(paragraphs))

    remarked = replace(archive, articles=tuple(marking_otherwise(a) if a.slug == carrying.article else a
                                               for a in archive.articles))
    assert {"claim", "theme"} <= changed(remarked)  # the text a passage marks
    other = next(a for a in archive.annotations if a.theme != theme and a.claim != claim.id
                 and not any(b.claim == a.claim for b in view.index.by_theme[theme]))
    elsewhere = replace(archive, annotations=tuple(replace(a, gloss_en=a.gloss_en + "!") if a is other else a
                                                   for a in archive.annotations))
    assert changed(elsewhere) == set()
    moved = replace(archive, annotations=tuple(replace(a, theme=theme) if a is other else a for a in archive.annotations))
    assert {"theme", "index"} <= changed(moved)
    added = replace(archive, articles=archive.articles + (replace(archive.articles[0], slug="a-copy"),))
    assert changed(added) == {"theme", "index", "list"}  # a column of the matrix, an entry of the index
    event = archive.events[0]
    relabelled = replace(archive, events=(replace(event, label=event.label + "!"),) + archive.events[1:])
    assert changed(relabelled) == {"index"}



def test_the_digest_of_the_shared_theme_page_covers_the_shared_passages_it_lists(planned):
    plan, view_of = planned
    view = plan.views[0]
    listing, other = view.archive.config.shared_theme, view.archive.config.numbers_theme
    assert view.index.shared and listing and other != listing

    def theme_digests(shared):
        again = view_of(shared=shared)
        reads = page_reads(again.index)
        return reads.theme(again, listing), reads.theme(again, other)

    known = theme_digests(view.index.shared)
    fewer = theme_digests(view.index.shared[:-1])
    assert fewer[0] != known[0] and fewer[1] == known[1]
    assert theme_digests(view.index.shared[::-1])[0] != known[0]
