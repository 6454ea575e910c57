"""The index lists only the newest articles and links the list of them all, paginated under
articles/, articles/page/2/, …; the timeline on the index shows only its most recent entries.

A synthetic archive of 232 articles (the tiny archive's two and 230 generated, 25 of them undated)
is built once at the root and once under a sub-path.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date, timedelta
from pathlib import Path

import pytest

from browserkit import BASE, Problems, SiteServer, launch, needs_chromium
from conftest import REPO, cli_for, sha, tiny_files, write_project
from framing.site.analysis import TIMELINE_ENTRIES, UNDATED_LISTED
from framing.site.pages import ARTICLES_PER_PAGE, RECENT_ARTICLES, page_count, page_window
from framing.site.pages import pagination as pagination_of
from sitecrawl import broken_links

GENERATED = 230
UNDATED = 25  # the first generated articles have no publication date
FIRST_DAY = date(2025, 5, 1)
TINY_DATES = {"alpha": "2025-11-15", "beta": "2025-11-14"}  # as conftest.article() dates them
# The characters generated text is drawn from, by hash, so that no two articles share a passage.
HAN = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处理府研"


def sentence(seed: str) -> str:
    """Twenty-four Han characters chosen by the SHA-256 of seed, and a full stop."""
    return "".join(HAN[b % len(HAN)] for b in hashlib.sha256(seed.encode()).digest()[:24]) + "。"


def published(n: int) -> str:
    """The publication date of generated article n ('' for the undated ones)."""
    return "" if n < UNDATED else (FIRST_DAY + timedelta(days=n)).isoformat()


def generated_article(n: int) -> tuple[str, str]:
    """Generated article n: its capture, and its article file with the capture's text verbatim."""
    slug = f"gen-{n:03d}"
    paragraphs = [sentence(f"{slug}/1"), sentence(f"{slug}/2")]
    capture = "\n\n".join(paragraphs) + "\n"
    date_line = f"published: {published(n)}\n" if published(n) else ""
    front = (f"---\ntitle: 报道{n:03d}\noutlet: 测试媒体{n % 7}\nauthors: [作者乙]\n{date_line}"
             f"sources:\n  - url: https://example.org/{slug}\nscript: zh-Hans\ncapture: {slug}.txt\nsha256: {sha(capture)}\n---\n")
    return capture, front + "\n\n".join(paragraphs) + "\n"


def large_files() -> dict[str, str]:
    files = tiny_files()
    for n in range(GENERATED):
        capture, text = generated_article(n)
        files[f"captures/gen-{n:03d}.txt"] = capture
        files[f"articles/gen-{n:03d}.md"] = text
    return files


def expected_order() -> list[str]:
    """Every slug in the archive's order: by publication date, then slug; undated articles last."""
    dated = [(published(n), f"gen-{n:03d}") for n in range(GENERATED) if published(n)] + [(d, s) for s, d in TINY_DATES.items()]
    undated = sorted(f"gen-{n:03d}" for n in range(GENERATED) if not published(n))
    return [slug for _, slug in sorted(dated)] + undated


def build(root: Path, *options: str) -> Path:
    project = write_project(root, large_files())
    result = cli_for(project, "build", "--out", str(project / "site"), "--quiet", *options)
    assert result.returncode == 0, result.stderr
    return project / "site"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return build(tmp_path_factory.mktemp("large") / "project")


@pytest.fixture(scope="module")
def site_subpath(tmp_path_factory) -> Path:
    return build(tmp_path_factory.mktemp("large-sub") / "project", "--base-url", "https://example.org/repo/")


def read(site: Path, route: str) -> str:
    return (site / route / "index.html").read_text(encoding="utf-8")


def listed(page: str) -> list[str]:
    """The slugs an article list on the page links, in order."""
    match = re.search(r'<ol class="article-list[^"]*"[^>]*>(.*?)</ol>', page, re.S)
    return re.findall(r'<li>\s*<a href="[^"]*/articles/([^/"]+)/"', match.group(1))


def pagination(page: str) -> str:
    match = re.search(r'<nav class="pagination" aria-label="([^"]+)">(.*?)</nav>', page, re.S)
    return match.group(0) if match else ""


PAGES = page_count(GENERATED + 2, ARTICLES_PER_PAGE)


def test_the_archive_is_large_enough_to_paginate_and_cap():
    assert PAGES == 3 and RECENT_ARTICLES < GENERATED and TIMELINE_ENTRIES < GENERATED - UNDATED
    assert UNDATED > UNDATED_LISTED


# ---------------------------------------------------------------- the index

@pytest.mark.parametrize("edition, all_link, recent", [
    ("", "全部232篇文章", "最近发布的20篇,共232篇。"),
    ("zh-hant/", "全部232篇文章", "最近發佈的20篇,共232篇。"),
    ("en/", "All 232 articles", "The 20 most recently published of 232 articles."),
])
def test_the_index_lists_the_newest_articles_and_links_them_all(site, edition, all_link, recent):
    index = read(site, edition)
    dated = [slug for slug in expected_order() if slug in TINY_DATES or published(int(slug[4:]))]
    assert listed(index) == dated[-RECENT_ARTICLES:]
    assert f'<p class="more"><a href="/{edition}articles/">{all_link}</a></p>' in index
    assert f'<p class="meta">{recent}</p>' in index


def test_the_index_timeline_shows_the_most_recent_entries_and_says_how_many_are_left_out(site):
    index = read(site, "en/")
    timeline = re.search(r'<ol class="timeline-list">(.*?)</ol>', index, re.S).group(1)
    dates = re.findall(r"<li><time>([^<]+)</time>", timeline)
    dated = sorted([published(n) for n in range(UNDATED, GENERATED)] + list(TINY_DATES.values()))
    assert dates == dated[-TIMELINE_ENTRIES:]
    left_out = len(dated) - TIMELINE_ENTRIES
    assert (f"The timeline shows the {TIMELINE_ENTRIES} most recent entries; {left_out} earlier ones are left out. "
            '<a href="/en/articles/">All 232 articles</a>') in index
    chart = re.search(r'<svg[^>]*id="timeline-en".*?</svg>', index, re.S).group(0)
    assert chart.count('class="mark mark-article"') == TIMELINE_ENTRIES
    undated = re.search(r"<p>Articles whose publication date is unknown.*?</p>\s*<ul>(.*?)</ul>", index, re.S).group(1)
    assert undated.count("<li>") == UNDATED_LISTED + 1
    assert f'<li><a href="/en/articles/">and {UNDATED - UNDATED_LISTED} articles</a></li>' in undated


def test_the_index_stays_small(site):
    assert len(read(site, "").encode()) < 120_000


# ---------------------------------------------------------------- the list pages

def test_the_list_has_every_article_in_order_across_its_pages(site):
    for edition in ("", "zh-hant/", "en/"):
        routes = [f"{edition}articles/"] + [f"{edition}articles/page/{n}/" for n in range(2, PAGES + 1)]
        pages = [read(site, route) for route in routes]
        assert [len(listed(page)) for page in pages] == [100, 100, 32]
        assert sum((listed(page) for page in pages), []) == expected_order()
        assert '<ol class="article-list paged">' in pages[0]
        assert '<ol class="article-list paged" start="101">' in pages[1] and 'start="201"' in pages[2]
        assert not (site / f"{edition}articles/page/1").exists() and not (site / f"{edition}articles/page/{PAGES + 1}").exists()
        assert not (site / f"{edition}articles/page/index.html").exists()


def test_each_list_page_has_its_title_heading_and_summary(site):
    second = read(site, "articles/page/2/")
    assert "<title>全部文章(第2页,共3页) · 测试档案</title>" in second
    assert "<h1>全部文章(第2页,共3页)</h1>" in second
    assert '<p class="meta">第101至200篇,共232篇,按发布时间排列。</p>' in second
    english = read(site, "en/articles/page/3/")
    assert "<h1>All articles (page 3 of 3)</h1>" in english
    assert '<p class="meta">Articles 201 to 232 of 232, by publication date.</p>' in english
    # The same item markup as the index: outlet, date (or 'date unknown') and notes; an outlet without
    # outlet_en is marked untranslated, for 'check'.
    assert re.search(r'<span class="meta"><span lang="zh-Hans" data-untranslated>测试媒体\d</span> · date unknown · 0 notes</span>', english)
    assert re.search(r'<span class="meta"><span lang="zh-Hans" data-untranslated>测试媒体</span> · <time>2025-11-15</time> · 2 notes</span>',
                     read(site, "en/articles/page/2/") + english + read(site, "en/articles/"))


def nav_links(page: str) -> list[tuple[str, str, bool]]:
    """(href, text, current) for each link of the page's pagination nav."""
    return [(href, text, "aria-current" in attrs)
            for href, attrs, text in re.findall(r'<a href="([^"]+)"([^>]*)>([^<]+)</a>', pagination(page))]


def test_pagination_has_previous_next_and_the_current_page(site):
    first, second, third = (read(site, route) for route in ("articles/", "articles/page/2/", "articles/page/3/"))
    assert nav_links(first) == [("/articles/", "1", True), ("/articles/page/2/", "2", False), ("/articles/page/3/", "3", False),
                                ("/articles/page/2/", "下一页", False)]
    assert nav_links(second) == [("/articles/", "上一页", False), ("/articles/", "1", False), ("/articles/page/2/", "2", True),
                                 ("/articles/page/3/", "3", False), ("/articles/page/3/", "下一页", False)]
    assert nav_links(third)[0] == ("/articles/page/2/", "上一页", False) and nav_links(third)[-1] == ("/articles/page/3/", "3", True)
    assert '<nav class="pagination" aria-label="文章列表分页">' in second
    assert 'rel="prev"' in second and 'rel="next"' in second and 'rel="next"' not in third
    assert '<a href="/articles/page/2/" aria-label="第2页" aria-current="page">2</a>' in second
    english = read(site, "en/articles/page/2/")
    assert '<nav class="pagination" aria-label="Pages of the article list">' in english
    assert '<a href="/en/articles/" rel="prev">Previous page</a>' in english
    assert '<a href="/en/articles/page/3/" aria-label="Page 3">3</a>' in english
    assert pagination(read(site, "zh-hant/articles/page/2/")).count("aria-current") == 1


def test_no_link_or_file_for_page_one_under_page(site):
    for path in site.rglob("*"):
        assert "articles/page/1/" not in path.relative_to(site).as_posix()
        if path.suffix in (".html", ".xml"):
            assert "articles/page/1/" not in path.read_text(encoding="utf-8"), path


def test_page_window_links_the_ends_and_the_neighbours():
    assert page_window(1, 1) == [1]
    assert page_window(2, 3) == [1, 2, 3]
    assert page_window(1, 10) == [1, 2, 3, None, 10]
    assert page_window(5, 10) == [1, 2, 3, 4, 5, 6, 7, None, 10]  # 2 is linked rather than left out alone
    assert page_window(50, 100) == [1, None, 48, 49, 50, 51, 52, None, 100]
    assert page_count(0, 100) == 1 and page_count(100, 100) == 1 and page_count(101, 100) == 2


class StubView:
    """What pagination() asks of an edition's view: its URLs and its interface strings."""

    def url(self, route: str) -> str:
        return "/base/" + route

    def fill(self, key: str, **values) -> str:
        return f"{key} {values}"


def test_a_long_list_links_the_ends_the_neighbours_and_marks_the_gaps():
    nav = pagination_of(StubView(), 50, 100)
    assert nav["previous"]["url"] == "/base/articles/page/49/" and nav["next"]["url"] == "/base/articles/page/51/"
    assert [link["number"] if link else None for link in nav["pages"]] == [1, None, 48, 49, 50, 51, 52, None, 100]
    assert [link["url"] for link in nav["pages"] if link and link["current"]] == ["/base/articles/page/50/"]
    assert nav["pages"][0]["url"] == "/base/articles/"
    first = pagination_of(StubView(), 1, 100)
    assert first["previous"] is None and first["next"]["url"] == "/base/articles/page/2/"
    assert pagination_of(StubView(), 100, 100)["next"] is None
    assert pagination_of(StubView(), 1, 1) is None  # a single page needs no nav


# ---------------------------------------------------------------- every edition, every link, a sub-path

def test_every_link_resolves_at_the_root(site):
    assert broken_links(site, "/") == []


def test_every_link_resolves_under_a_sub_path_and_editions_point_at_the_same_page(site_subpath):
    assert broken_links(site_subpath, "/repo/") == []
    page = read(site_subpath, "zh-hant/articles/page/2/")
    assert '<link rel="canonical" href="https://example.org/repo/zh-hant/articles/page/2/">' in page
    for lang, prefix in (("zh-Hans", ""), ("zh-Hant", "zh-hant/"), ("en", "en/")):
        assert f'<link rel="alternate" hreflang="{lang}" href="/repo/{prefix}articles/page/2/">' in page
    assert '<a href="/repo/en/articles/page/2/" lang="en" hreflang="en"' in page
    assert '<a href="/repo/zh-hant/articles/" rel="prev">' in page
    sitemap = (site_subpath / "sitemap.xml").read_text()
    for route in ("articles/", "articles/page/2/", "articles/page/3/", "en/articles/page/3/"):
        assert f"<loc>https://example.org/repo/{route}</loc>" in sitemap
    assert 'href="/articles/' not in read(site_subpath, "") + page  # nothing escapes the sub-path


def test_the_list_pages_are_valid_html(site):
    from test_html_valid import nu_errors

    pages = [site / "articles/index.html", site / "articles/page/2/index.html", site / "en/articles/page/3/index.html",
             site / "index.html", site / "en/index.html"]
    errors = nu_errors(pages)
    assert errors == [], [f"{m.get('url', '').split('/site/', 1)[-1]}:{m.get('lastLine', '?')}: {m['message']}" for m in errors]


@pytest.mark.browser
@needs_chromium
@pytest.mark.skipif(not (REPO / "node_modules" / "axe-core" / "axe.min.js").is_file(), reason="node_modules/axe-core is missing (run 'npm ci')")
def test_axe_finds_no_violations_on_the_paginated_list(site_subpath):
    from playwright.sync_api import sync_playwright

    server = SiteServer(site_subpath)
    failures = []
    try:
        with sync_playwright() as playwright:
            browser = launch(playwright)
            context = browser.new_context(bypass_csp=True, viewport={"width": 390, "height": 844})
            page = context.new_page()
            problems = Problems()
            problems.watch(page)
            for route in ("articles/page/2/", "en/articles/", "en/"):
                for scheme in ("light", "dark"):
                    page.emulate_media(color_scheme=scheme)
                    assert page.goto(server.url(route)).status == 200
                    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
                    page.add_script_tag(path=str(REPO / "node_modules" / "axe-core" / "axe.min.js"))
                    failures += [f"{scheme} {BASE}{route}: {v}" for v in page.evaluate("""async () => {
                        const r = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}});
                        return r.violations.map(v => `${v.id} (${v.impact}): ${v.nodes.length}x ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ')}`); }""")]
            # The pagination works from the keyboard: the next page's link leads there.
            page.goto(server.url("articles/page/2/"))
            page.locator(".pagination a[rel=next]").focus()
            page.keyboard.press("Enter")
            page.wait_for_url(server.url("articles/page/3/"))
            assert problems.take() == []
            context.close()
            browser.close()
    finally:
        server.close()
    assert failures == [], "\n".join(failures)
