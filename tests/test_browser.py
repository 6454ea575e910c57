"""The published site as a reader meets it: real Chromium, the site served under a sub-path.

From a theme to a passage in its article, the edition switch, search in both scripts (and the
Pagefind #1237 recall check), no console errors or failed requests, axe-core in light and dark
mode on every kind of page, lang on Chinese text inside English pages, no sideways scrolling on a
phone, and screenshots at phone and desktop widths in test-artifacts/screenshots/.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import opencc
import pytest

from browserkit import SiteServer, Problems, launch, needs_chromium, searchable_pages
from conftest import REPO

pytestmark = [pytest.mark.browser, needs_chromium]

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
SHOTS = REPO / "test-artifacts" / "screenshots"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
T2S = opencc.OpenCC("t2s")


def first_article(site: Path) -> str:
    return sorted(p.name for p in (site / "articles").iterdir() if p.is_dir())[0]


def first_theme(site: Path) -> str:
    return sorted(p.name for p in (site / "themes").iterdir())[0]


def kinds_of_page(site: Path, prefixes=("", "zh-hant/", "en/")) -> dict[str, str]:
    """One route of every kind of page, in each edition."""
    routes = {}
    for prefix in prefixes:
        name = prefix.rstrip("/") or "zh-hans"
        routes |= {f"{name}-index": prefix, f"{name}-article": f"{prefix}articles/{first_article(site)}/",
                   f"{name}-theme": f"{prefix}themes/{first_theme(site)}/", f"{name}-articles": f"{prefix}articles/",
                   f"{name}-search": f"{prefix}search/?q=Qwen", f"{name}-data": f"{prefix}data/",
                   f"{name}-corrections": f"{prefix}corrections/",
                   f"{name}-404": f"{prefix}no-such-page/"}
    return routes


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
    """A page as a reader has it (CSP enforced), and the problems it meets."""
    context = browser.new_context(viewport=DESKTOP)
    problems = Problems()
    page = context.new_page()
    problems.watch(page)
    yield page, problems
    context.close()


def wait_for_results(page) -> list[str]:
    page.locator("#search-status").filter(has_text=re.compile(r"\d|没有|沒有|No results")).wait_for()
    return page.eval_on_selector_all("#search-results a", "links => links.map(a => a.getAttribute('href'))")


def in_edition(url: str, edition: str) -> bool:
    rest = url.removeprefix("/repo/")
    return url.startswith("/repo/" + edition) and not any(e and e != edition and rest.startswith(e) for e in ("zh-hant/", "en/"))


def search(page, server, edition: str, query: str) -> list[str]:
    page.goto(server.url(f"{edition}search/"))
    page.fill("#search-query", query)
    page.press("#search-query", "Enter")
    return wait_for_results(page)


# ---------------------------------------------------------------- reading

def test_from_a_theme_to_the_passage_in_its_article(reader, server):
    page, problems = reader
    page.goto(server.url())
    page.locator(".cards a").first.click()
    page.wait_for_url(re.compile(r"/repo/themes/[^/]+/$"))
    link = page.locator(".passage blockquote a").first
    href = link.get_attribute("href")
    annotation = href.split("#", 1)[1]
    link.click()
    page.wait_for_url(re.compile(r"/repo/articles/[^/]+/#a-"))
    assert page.url.endswith(href)
    target = page.locator(":target")
    assert target.count() == 1 and target.get_attribute("id") == annotation
    page.wait_for_function("""() => { const r = document.querySelector(':target').getBoundingClientRect();
                                      return r.top >= 0 && r.bottom <= innerHeight; }""")
    highlighted = page.evaluate("""() => { const t = document.querySelector(':target');
        const mark = t.matches('mark') ? t : t.nextElementSibling;
        const target = getComputedStyle(document.documentElement).getPropertyValue('--target').trim();
        const probe = document.createElement('span'); probe.style.color = target; document.body.append(probe);
        const wanted = getComputedStyle(probe).color; probe.remove();
        return {tag: mark.tagName, background: getComputedStyle(mark).backgroundColor, wanted}; }""")
    assert highlighted["tag"] == "MARK" and highlighted["background"] == highlighted["wanted"], highlighted
    assert problems.take() == []


@pytest.mark.parametrize("route", ["", "articles/", "articles/{article}/", "themes/{theme}/", "search/"])
def test_the_edition_switch_keeps_the_reader_on_the_same_page(reader, server, seed_site_subpath, route):
    page, problems = reader
    route = route.format(article=first_article(seed_site_subpath), theme=first_theme(seed_site_subpath))
    page.goto(server.url(route))
    for label, prefix, lang in (("繁體", "zh-hant/", "zh-Hant"), ("English", "en/", "en"), ("简体", "", "zh-Hans")):
        page.locator(".edition-switch a", has_text=label).click()
        page.wait_for_url(server.url(prefix + route))
        assert page.evaluate("document.documentElement.lang") == lang
    assert problems.take() == []


def test_the_site_reads_without_javascript_and_search_says_it_needs_it(browser, server, seed_site_subpath):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(server.url(f"articles/{first_article(seed_site_subpath)}/"))
    assert page.locator(".para").count() > 3 and page.locator("mark.hl").count() > 0
    page.goto(server.url("en/search/"))
    notice = page.locator("main noscript").inner_text()
    assert "JavaScript" in notice
    context.close()


def test_chinese_text_inside_english_pages_carries_its_lang(reader, server, seed_site_subpath):
    page, problems = reader
    for route in ("en/", f"en/articles/{first_article(seed_site_subpath)}/", f"en/themes/{first_theme(seed_site_subpath)}/",
                  "en/search/?q=Qwen", "en/no-such-page/"):
        page.goto(server.url(route))
        if "search" in route:
            wait_for_results(page)
        unmarked = page.evaluate("""() => {
            const bad = [];
            const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
            while (walker.nextNode()) {
                const node = walker.currentNode;
                // Chinese text: mostly Han characters (an English sentence quoting a Chinese word is English).
                const han = (node.data.match(/[\\u3400-\\u9fff]/g) || []).length;
                const latin = (node.data.match(/[A-Za-z]/g) || []).length;
                // SVG charts are role="img" (their text is hidden from assistive technology; a table repeats it).
                if (han < 2 || han < latin || node.parentElement.closest('script, noscript, svg')) continue;
                const lang = node.parentElement.closest('[lang]').getAttribute('lang');
                if (!['zh-Hans', 'zh-Hant'].includes(lang)) bad.push(lang + ': ' + node.data.trim().slice(0, 40));
            }
            return bad; }""")
        assert unmarked == [], f"{route}: {unmarked[:20]}"
    problems.take()  # the missing page's 404 is checked elsewhere
    # ...and the right one: each article's text in the English edition is in the language (and script) it was captured in.
    for article in sorted((REPO / "content" / "articles").glob("*.md")):
        script = re.search(r"^language: (zh-Han[st]|en)$", article.read_text(encoding="utf-8"), re.M).group(1)
        page.goto(server.url(f"en/articles/{article.stem}/"))
        langs = set(page.eval_on_selector_all(".para", "paras => paras.map(p => p.closest('[lang]').lang)"))
        assert langs == {script}, (article.stem, langs)


def test_no_sideways_scrolling_and_screenshots_at_phone_and_desktop_widths(browser, server, seed_site_subpath):
    SHOTS.mkdir(parents=True, exist_ok=True)
    routes = kinds_of_page(seed_site_subpath, ("", "en/"))
    wide = []
    for size_name, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        context = browser.new_context(viewport=viewport, device_scale_factor=1)
        page = context.new_page()
        for name, route in routes.items():
            page.goto(server.url(route))
            if "search" in name:
                wait_for_results(page)
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            if overflow > 0:
                wide.append(f"{size_name} {route}: {overflow}px wider than the screen")
            if name.startswith(("zh-hans", "en")):
                page.screenshot(path=str(SHOTS / f"{name}-{size_name}.png"), full_page=name.endswith(("index", "search")))
        context.close()
    assert wide == []
    assert (SHOTS / "en-article-phone.png").stat().st_size > 10_000


# ---------------------------------------------------------------- search

def test_search_finds_the_article(reader, server, seed_site_subpath):
    page, problems = reader
    slug = first_article(seed_site_subpath)
    title = re.search(r"<h1[^>]*>([^<]+)</h1>", (seed_site_subpath / "articles" / slug / "index.html").read_text()).group(1)
    query = re.sub(r"[^\w]+", " ", title).split()[0][:8]  # the title's first words, as a reader might type them
    for edition in ("", "zh-hant/", "en/"):
        results = search(page, server, edition, query)
        assert f"/repo/{edition}articles/{slug}/" in results, (edition, query, results)
        status = page.locator("#search-status").inner_text()
        assert re.search(r"\d", status)
    # The result links work, and the query is kept in the address for sharing.
    assert "q=" in page.url
    page.locator("#search-results a").first.click()
    page.wait_for_url(re.compile(r"/repo/en/(articles|themes)/"))
    assert problems.take() == []


@pytest.mark.parametrize("edition", ["", "zh-hant/", "en/"])
def test_a_query_in_either_script_finds_the_same_pages(reader, server, edition):
    page, problems = reader
    simplified = search(page, server, edition, "黄仁勋")
    traditional = search(page, server, edition, "黃仁勛")
    also_traditional = search(page, server, edition, "黃仁勳")
    assert simplified and sorted(simplified) == sorted(traditional) == sorted(also_traditional)
    assert all(in_edition(url, edition) for url in simplified), simplified
    assert problems.take() == []


@pytest.mark.parametrize("edition", ["", "zh-hant/", "en/"])
def test_an_english_query_finds_the_english_article_in_every_edition(reader, server, edition):
    """The English article's text is indexed in each edition's index, Chinese ones included."""
    page, problems = reader
    for query in ("Squawk Box Asia", "innuendoes", "rogue voice"):
        results = search(page, server, edition, query)
        assert f"/repo/{edition}articles/cnbc-alibaba-memo/" in results, (edition, query, results)
        assert all(in_edition(url, edition) for url in results), results
    assert problems.take() == []


@pytest.mark.parametrize("word", ["阿里巴巴", "千問", "開源", "美國", "黃仁勳", "Qwen"])
def test_a_word_on_n_traditional_pages_finds_all_n(reader, server, seed_site_subpath, word):
    """Pagefind issue #1237: index-time and query-time segmentation of Traditional Chinese must agree."""
    page, problems = reader
    pages = searchable_pages(seed_site_subpath, "zh-hant/")
    expected = {"/repo/" + route for route, text in pages.items() if word in text}
    assert expected, f"{word} is on no Traditional page: choose another word"
    found = set(search(page, server, "zh-hant/", word))
    assert expected <= found, f"{word}: {len(expected)} pages hold it, search found {len(expected & found)}: missing {sorted(expected - found)}"
    # ...and the Simplified form of the word finds the same Traditional pages.
    assert expected <= set(search(page, server, "zh-hant/", T2S.convert(word)))
    assert problems.take() == []


# ---------------------------------------------------------------- accessibility

@pytest.mark.skipif(not AXE.is_file(), reason="node_modules/axe-core is missing (run 'npm ci')")
def test_axe_finds_no_violations_on_any_kind_of_page_in_light_and_dark_mode(browser, server, seed_site_subpath):
    # axe is injected as an inline script, which the pages' CSP forbids: this context bypasses it.
    # The Traditional edition is the Simplified one's templates with converted text: two editions suffice.
    context = browser.new_context(bypass_csp=True, viewport=DESKTOP)
    page = context.new_page()
    problems = Problems()
    problems.watch(page)
    failures = []
    for name, route in kinds_of_page(seed_site_subpath, ("", "en/")).items():
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            response = page.goto(server.url(route))
            assert response.status == (404 if name.endswith("404") else 200), route
            assert page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches") == (scheme == "dark")
            if "search" in name:
                wait_for_results(page)
            page.add_script_tag(path=str(AXE))
            result = page.evaluate("""async () => {
                const r = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}});
                return r.violations.map(v => `${v.id} (${v.impact}): ${v.nodes.length}x ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ')}`); }""")
            failures += [f"{scheme} /{route}: {v}" for v in result]
    context.close()
    assert failures == [], "\n".join(failures)
    assert [p for p in problems.take() if "404" not in p] == []


def test_the_404_page_keeps_its_style_and_links_under_the_sub_path(reader, server):
    page, problems = reader
    response = page.goto(server.url("themes/no-such-theme/deeper/"))
    assert response.status == 404
    assert page.evaluate("getComputedStyle(document.body).maxWidth") != "none"  # the stylesheet loaded
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
    assert hrefs and all(h.startswith(server.url()) or not h.startswith(server.origin) for h in hrefs)
    page.locator("main a").first.click()
    page.wait_for_load_state()
    assert page.evaluate("document.title") and "404" not in urlsplit(page.url).path  # not the port: it may hold 404
    assert [p for p in problems.take() if "no-such-theme" not in p and "status of 404" not in p] == []


# ---------------------------------------------------------------- search over a sharded index

def serve_sharded(folder, default_edition: str):
    """The tiny archive, with default_edition at its root, built with one article per index shard:
    its articles are found only through the shards the search page merges."""
    from conftest import tiny_files, write_project
    from framing import pipeline
    from framing.search import layout as indexing
    from framing.project import Project
    files = tiny_files()
    files["site.yaml"] = files["site.yaml"].replace("default_edition: zh-hans", f"default_edition: {default_edition}")
    project = write_project(folder / "project", files)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(indexing, "SHARD_SIZE", 1)
        pipeline.build(Project.at(project), project / "site", "/repo/", force=True)
    assert (project / "site" / "pagefind" / "shard-1" / "pagefind-entry.json").is_file()
    return SiteServer(project / "site")


@pytest.fixture(scope="module")
def sharded_server(tmp_path_factory):
    served = serve_sharded(tmp_path_factory.mktemp("sharded"), "zh-hans")
    yield served
    served.close()


@pytest.fixture(scope="module")
def english_rooted_server(tmp_path_factory):
    served = serve_sharded(tmp_path_factory.mktemp("english-rooted"), "en")
    yield served
    served.close()


@pytest.mark.parametrize("edition", ["", "zh-hant/", "en/"])
def test_a_sharded_index_finds_pages_in_the_main_bundle_and_in_the_shards(reader, sharded_server, edition):
    page, problems = reader
    articles = search(page, sharded_server, edition, "黄仁勋")  # in both articles, which live in shard 1
    assert {f"/repo/{edition}articles/alpha/", f"/repo/{edition}articles/beta/"} <= set(articles), articles
    themes = search(page, sharded_server, edition, "介绍" if edition != "en/" else "accusation")  # theme pages: the main bundle
    assert f"/repo/{edition}themes/accusation/" in themes, themes
    assert problems.take() == []


@pytest.mark.parametrize("edition", ["", "zh-hans/"])
def test_a_sharded_index_finds_pages_in_the_shards_when_english_is_at_the_root(reader, english_rooted_server, edition):
    page, problems = reader
    articles = search(page, english_rooted_server, edition, "黄仁勋")
    assert {f"/repo/{edition}articles/alpha/", f"/repo/{edition}articles/beta/"} <= set(articles), articles
    themes = search(page, english_rooted_server, edition, "accusation" if edition == "" else "介绍")
    assert f"/repo/{edition}themes/accusation/" in themes, themes
    assert problems.take() == []
