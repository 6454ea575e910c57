"""Search as a reader meets it in each edition, from one index: the edition's own URLs, titles and
excerpts, for queries in either script, and the facets (outlet, theme, verdict, month) with their
counts, chosen on the page or given in the address. Real Chromium, the seed built under a sub-path."""

from __future__ import annotations

import html as htmlcodec
import re
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

import opencc
import pytest

from browserkit import SiteServer, Problems, launch, needs_chromium
from test_browser import in_edition, search, wait_for_results

pytestmark = [pytest.mark.browser, needs_chromium]

EDITIONS = ("", "zh-hant/", "en/")
S2T = opencc.OpenCC("s2t")


@pytest.fixture(scope="module")
def server(seed_site_subpath):
    served = SiteServer(seed_site_subpath)
    yield served
    served.close()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


@pytest.fixture
def reader(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    problems = Problems()
    page = context.new_page()
    problems.watch(page)
    yield page, problems
    context.close()


def heading(site: Path, url: str) -> str:
    page = (site / url.removeprefix("/repo/") / "index.html").read_text(encoding="utf-8")
    return htmlcodec.unescape(re.sub(r"<[^>]+>", "", re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S).group(1))).strip()


def shown(page) -> list[dict]:
    return page.eval_on_selector_all("#search-results li", """items => items.map(li => {
        const a = li.querySelector('h2 a'), p = li.querySelector('.excerpt');
        return {href: a.getAttribute('href'), title: a.textContent, marks: Array.from(p.querySelectorAll('mark'), m => m.textContent),
                excerpt: p.textContent}; })""")


@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.parametrize("query", ["黄仁勋", "黃仁勳"])
def test_each_edition_shows_its_own_urls_titles_and_excerpts(reader, server, seed_site_subpath, edition, query):
    page, problems = reader
    assert search(page, server, edition, query)
    results = shown(page)
    for result in results:
        assert in_edition(result["href"], edition), result
        assert result["title"] == heading(seed_site_subpath, result["href"]), result  # the title that page shows
    excerpts = "".join(result["excerpt"] for result in results)
    assert all(result["marks"] for result in results), results
    if edition == "zh-hant/":
        assert "黃仁勳" in excerpts and "黄仁勋" not in excerpts
        # Every excerpt reads in Traditional script: converting it again changes no character.
        assert all(S2T.convert(result["excerpt"]) == result["excerpt"] for result in results), results
    else:
        assert "黄仁勋" in excerpts
    assert problems.take() == []


def expected_pages(site: Path, facet: str, value: str, edition: str) -> set[str]:
    """The pages of an edition a filter should keep, from what the Simplified pages show (not from
    what the index holds)."""
    found = set()
    for path in sorted((site / "articles").glob("*/index.html")) + sorted((site / "themes").glob("*/index.html")):
        text, route = path.read_text(encoding="utf-8"), path.parent.relative_to(site).as_posix() + "/"
        article = route.startswith("articles/")
        main = re.search(r"<main\b.*?</main>", text, re.S).group(0)
        keep = {
            "theme": route == f"themes/{value}/" or (article and f'class="note-theme" href="/repo/themes/{value}/"' in main),
            "verdict": article and f'<span class="verdict verdict-{value}">' in main,
            "outlet": article and f"<dt>媒体</dt><dd lang=\"zh-Hans\">{htmlcodec.escape(value)}</dd>" in main,
            "month": article and bool(re.search(rf"<dt>发布时间</dt><dd><time>{value}-", main)),
        }[facet]
        if keep:
            found.add(f"/repo/{edition}{route}")
    return found


FACETS = {"theme": "endorsements", "verdict": "contradicted", "outlet": "港股研究社", "month": "2025-11"}


@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.parametrize("facet", sorted(FACETS))
def test_a_filter_given_in_the_address_lists_its_pages_with_their_count(reader, server, seed_site_subpath, edition, facet):
    """?theme=… (and the others) with no query lists every page the filter keeps: what a theme or
    claim page can link to. The box is ticked and its count is the number of pages listed."""
    page, problems = reader
    value = FACETS[facet]
    expected = expected_pages(seed_site_subpath, facet, value, edition)
    assert expected and len(expected) < 9, "choose a value that keeps some pages and not all"
    page.goto(server.url(f"{edition}search/?{facet}={quote(value)}"))
    found = wait_for_results(page)
    assert set(found) == expected, (sorted(found), sorted(expected))
    box = page.locator(f'fieldset[data-facet="{facet}"] input[value="{value}"]')
    assert box.is_checked()
    label = page.locator(f'label[for="{box.get_attribute("id")}"]').inner_text()
    assert label.endswith(f"({len(expected)})"), label
    assert problems.take() == []


@pytest.mark.parametrize("edition", EDITIONS)
def test_ticking_facets_narrows_the_results_and_keeps_them_in_the_address(reader, server, seed_site_subpath, edition):
    page, problems = reader
    everything = set(search(page, server, edition, "千问"))
    counts = dict(page.eval_on_selector_all('fieldset[data-facet="verdict"] li:not([hidden])', """items => items.map(li =>
        [li.querySelector('input').value, li.querySelector('.count').textContent])"""))
    assert counts and all(re.fullmatch(r"\(\d+\)", count) for count in counts.values()), counts
    page.locator('fieldset[data-facet="verdict"] input[value="contradicted"]').check()
    page.wait_for_function("() => new URL(location.href).searchParams.get('verdict') === 'contradicted'")
    page.wait_for_function(f"() => document.querySelectorAll('#search-results li').length === {counts['contradicted'][1:-1]}")
    narrowed = set(wait_for_results(page))
    assert narrowed and narrowed == everything & expected_pages(seed_site_subpath, "verdict", "contradicted", edition)
    # A second value of the same facet adds its pages; a value of another facet narrows again.
    page.locator('fieldset[data-facet="verdict"] input[value="overstated"]').check()
    page.wait_for_function("() => new URL(location.href).searchParams.getAll('verdict').length === 2")
    wider = everything & (expected_pages(seed_site_subpath, "verdict", "contradicted", edition)
                          | expected_pages(seed_site_subpath, "verdict", "overstated", edition))
    page.wait_for_function(f"() => document.querySelectorAll('#search-results li').length === {len(wider)}")
    assert set(wait_for_results(page)) == wider
    page.locator(f'fieldset[data-facet="outlet"] input[value="{FACETS["outlet"]}"]').check()
    both = wider & expected_pages(seed_site_subpath, "outlet", FACETS["outlet"], edition)
    page.wait_for_function(f"() => document.querySelectorAll('#search-results li').length === {len(both)}")
    assert set(wait_for_results(page)) == both
    query = parse_qs(urlsplit(page.url).query)
    assert query["q"] == ["千问"] and sorted(query["verdict"]) == ["contradicted", "overstated"] and query["outlet"] == [FACETS["outlet"]]
    assert problems.take() == []


@pytest.mark.parametrize("edition", EDITIONS)
def test_a_theme_page_links_to_the_search_for_its_pages(reader, server, seed_site_subpath, edition):
    page, problems = reader
    page.goto(server.url(f"{edition}themes/endorsements/"))
    page.locator(f'main .meta a[href="/repo/{edition}search/?theme=endorsements"]').click()
    found = wait_for_results(page)
    assert set(found) == expected_pages(seed_site_subpath, "theme", "endorsements", edition)
    assert problems.take() == []
