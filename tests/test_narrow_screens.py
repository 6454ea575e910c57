"""The published site on a phone, and on paper: real Chromium, the real archive served under a sub-path.

At 320 px (the narrowest phones) and 390 px (an iPhone 12 to 15), no page of any kind in any
edition scrolls sideways; the notes sit below their paragraph; a wide table or chart scrolls inside
its own box, which keyboard users can focus and scroll and which shows a shadow at the edge where
there is more. Printed, an article keeps its notes, each below its paragraph. Screenshots at 320 px
go to test-artifacts/screenshots/.
"""

from __future__ import annotations

import base64
import re
from pathlib import Path

import pytest

from browserkit import SiteServer, launch, needs_chromium
from conftest import REPO

pytestmark = [pytest.mark.browser, needs_chromium]

WIDTHS = (320, 390)
EDITIONS = ("", "zh-hant/", "en/")
SHOTS = REPO / "test-artifacts" / "screenshots"
A4_PRINTABLE = {"width": 718, "height": 1040}  # 190 mm by 275 mm at 96 px an inch: A4 less 10 mm margins

# The elements sticking out of the page on the right, outside any box that scrolls on its own.
STICKING_OUT = """() => {
    const width = document.documentElement.clientWidth, found = [];
    for (const element of document.body.querySelectorAll('*')) {
        const box = element.getBoundingClientRect();
        if (box.right <= width + 0.5 || element.parentElement.closest('.table-scroll, .chart-scroll')) continue;
        if (element.parentElement.getBoundingClientRect().right > width + 0.5) continue;  // its parent is named already
        found.push(`<${element.localName} class="${element.className.baseVal ?? element.className}"> to ${Math.round(box.right)} px: `
                   + element.textContent.trim().slice(0, 40));
    }
    return found.slice(0, 5); }"""


def page_kinds(site: Path) -> dict[str, str]:
    """{kind: route} for one page of every kind, and every article and theme (how wide they get
    depends on what their notes and tables hold)."""
    articles = sorted(p.name for p in (site / "articles").iterdir() if (p / "index.html").is_file() and not p.name.isdigit())
    themes = sorted(p.name for p in (site / "themes").iterdir())
    claim = sorted(p.name for p in (site / "claims").iterdir())[0]
    routes = {"index": "", "list": "articles/", "methodology": "methodology/", "data": "data/",
              "search": "search/?q=Qwen", "404": "no-such-page/", "claim": f"claims/{claim}/"}
    routes |= {f"article {slug}": f"articles/{slug}/" for slug in articles}
    routes |= {f"theme {slug}": f"themes/{slug}/" for slug in themes}
    for route in routes.values():
        assert route.startswith(("search/", "no-such-page/")) or (site / route.partition("?")[0] / "index.html").is_file(), route
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


@pytest.fixture(params=WIDTHS, ids=lambda width: f"{width}px")
def phone(request, browser):
    context = browser.new_context(viewport={"width": request.param, "height": 800}, device_scale_factor=1)
    yield context.new_page()
    context.close()


def open_page(page, server, route: str) -> None:
    response = page.goto(server.url(route))
    assert response.status == (404 if "no-such-page" in route else 200), route
    if route.startswith("search/"):  # the results are laid out once they come
        page.locator("#search-status").filter(has_text=re.compile(r"\d|没有|沒有|No results")).wait_for()


def test_no_page_of_any_kind_in_any_edition_scrolls_sideways(phone, server, seed_site_subpath):
    wide = []
    for edition in EDITIONS:
        for kind, route in page_kinds(seed_site_subpath).items():
            open_page(phone, server, edition + route)
            scroll, client = phone.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
            if scroll > client:
                wide.append(f"/{edition}{route} ({kind}) is {scroll} px wide on a {client} px screen: {phone.evaluate(STICKING_OUT)}")
    assert wide == [], "\n".join(wide)


def test_the_notes_sit_below_their_paragraph(phone, server, seed_site_subpath):
    checked = 0
    for edition in ("", "en/"):
        for kind, route in page_kinds(seed_site_subpath).items():
            if not kind.startswith("article"):
                continue
            open_page(phone, server, edition + route)
            misplaced = phone.evaluate("""() => [...document.querySelectorAll('.row.has-notes')].filter(row => {
                const para = row.querySelector('.para').getBoundingClientRect();
                const notes = row.querySelector('.notes').getBoundingClientRect();
                return notes.top < para.bottom || Math.abs(notes.left - para.left) > 1 || notes.right > para.right + 1;
            }).map(row => row.id)""")
            assert misplaced == [], f"/{edition}{route}: notes beside or across their paragraph in {misplaced[:5]}"
            checked += phone.locator(".row.has-notes").count()
    assert checked > 100


def test_long_web_addresses_and_hashes_wrap(phone, server):
    open_page(phone, server, "articles/guancha-silent-war/")
    width = phone.evaluate("document.documentElement.clientWidth")
    for selector in ("code.hash", ".provenance dd a[href^='http']", ".note"):
        boxes = phone.locator(selector).evaluate_all("els => els.map(e => e.getBoundingClientRect().right)")
        assert boxes and max(boxes) <= width, (selector, boxes)
    lines = phone.locator("code.hash").evaluate("code => code.getBoundingClientRect().height / parseFloat(getComputedStyle(code).fontSize)")
    assert lines > 2  # the 64 hex digits of the hash, on two lines or more


def edge_shades(page, element) -> tuple[float, float]:
    """The mean brightness (0-255) of the leftmost and rightmost 8 px of the element's box as drawn,
    with what the box holds made invisible (so only the box's own background counts)."""
    element.evaluate("box => { for (const child of box.children) child.style.visibility = 'hidden'; }")
    png = element.screenshot(animations="disabled")
    element.evaluate("box => { for (const child of box.children) child.style.visibility = ''; }")
    return tuple(page.evaluate("""async (data) => {
        const bitmap = new Image();  // a data: image, which the pages' Content-Security-Policy allows (fetch() it does not)
        bitmap.src = 'data:image/png;base64,' + data;
        await bitmap.decode();
        const canvas = new OffscreenCanvas(bitmap.width, bitmap.height), context = canvas.getContext('2d');
        context.drawImage(bitmap, 0, 0);
        const mean = x => { const pixels = context.getImageData(x, 0, 8, bitmap.height).data; let sum = 0;
                            for (let i = 0; i < pixels.length; i += 4) sum += (pixels[i] + pixels[i + 1] + pixels[i + 2]) / 3;
                            return sum / (pixels.length / 4); };
        return [mean(0), mean(bitmap.width - 8)]; }""", base64.b64encode(png).decode("ascii")))


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_wide_tables_and_charts_scroll_in_their_own_box_with_a_visible_cue(browser, server, scheme):
    context = browser.new_context(viewport={"width": 320, "height": 800}, device_scale_factor=1, color_scheme=scheme)
    page = context.new_page()
    open_page(page, server, "themes/statistics/")  # a matrix chart and the numbers table, both wider than a phone
    boxes = page.locator(".chart-scroll, .table-scroll:not(details:not([open]) *)")
    assert boxes.count() == 2
    for number in range(boxes.count()):
        box = boxes.nth(number)
        described = box.evaluate("""box => ({tabindex: box.getAttribute('tabindex'), role: box.getAttribute('role'),
            name: box.getAttribute('aria-label'),
            wider: box.scrollWidth > box.clientWidth})""")
        assert described["tabindex"] == "0" and described["role"] == "region" and described["name"] and described["wider"], described
        left, right = edge_shades(page, box)  # a shadow is darker than the page in light mode, lighter in dark mode
        assert abs(right - left) > 15 and (right < left) == (scheme == "light"), f"{scheme}: no shadow at the right edge ({left:.0f} vs {right:.0f})"
        box.focus()
        assert box.evaluate("box => box.matches(':focus-visible') && getComputedStyle(box).outlineStyle === 'solid'")
        for _ in range(3):
            page.keyboard.press("ArrowRight")  # the focused box scrolls, the page does not
        page.wait_for_function("box => box.scrollLeft > 0", arg=box.element_handle())
        assert page.evaluate("[scrollX, document.documentElement.scrollWidth <= document.documentElement.clientWidth]") == [0, True]
        box.evaluate("box => { box.scrollLeft = box.scrollWidth; }")
        left, right = edge_shades(page, box)
        assert abs(right - left) > 15 and (left < right) == (scheme == "light"), f"{scheme}: scrolled to the end, no shadow at the left edge ({left:.0f} vs {right:.0f})"
        box.evaluate("box => { box.scrollLeft = 0; }")
    # A box whose content fits shows no shadow at either edge.
    page.set_viewport_size({"width": 1366, "height": 800})
    page.goto(server.url(""))
    counts = page.locator("section:has(#outlets-heading) .table-scroll")
    assert counts.evaluate("box => box.scrollWidth <= box.clientWidth")
    left, right = edge_shades(page, counts)
    assert abs(left - right) < 2, (left, right)
    context.close()


def test_screenshots_of_an_article_and_a_theme_at_320_px(browser, server):
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 320, "height": 800}, device_scale_factor=1)
    page = context.new_page()
    for name, route, spot in (("article", "articles/guancha-silent-war/", "#n-gc-stat-stargate-name"),
                              ("theme", "themes/statistics/", "#numbers-heading")):
        open_page(page, server, route)
        page.locator(spot).scroll_into_view_if_needed()
        path = SHOTS / f"narrow-320-{name}.png"
        page.screenshot(path=str(path))
        assert path.stat().st_size > 10_000
    context.close()


def test_a_printed_article_keeps_its_notes_below_each_paragraph(browser, server):
    context = browser.new_context(viewport=A4_PRINTABLE, device_scale_factor=1)
    page = context.new_page()
    page.emulate_media(media="print")
    open_page(page, server, "en/articles/guancha-silent-war/")
    printed = page.evaluate("""() => {
        const shown = e => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden';
        const rows = [...document.querySelectorAll('.row.has-notes')];
        const style = getComputedStyle(document.querySelector('.para'));
        return {
            navigation: [...document.querySelectorAll('.site-header nav')].some(shown),
            notes: document.querySelectorAll('.note').length,
            notes_shown: [...document.querySelectorAll('.note')].filter(shown).length,
            own_notes: document.querySelectorAll('.note:not(.shared-note)').length,
            refs_shown: [...document.querySelectorAll('.note-ref')].filter(shown).length,
            notes_below: rows.filter(row => row.querySelector('.notes').getBoundingClientRect().top
                                           >= row.querySelector('.para').getBoundingClientRect().bottom).length,
            rows: rows.length,
            text: [style.color, getComputedStyle(document.documentElement).backgroundColor, parseFloat(style.fontSize)],
            wide: document.documentElement.scrollWidth > document.documentElement.clientWidth,
        }; }""")
    assert printed["navigation"] is False
    assert printed["notes"] > 20 and printed["notes_shown"] == printed["notes"] and printed["refs_shown"] >= printed["own_notes"]
    assert printed["notes_below"] == printed["rows"] > 10
    assert printed["text"][:2] == ["rgb(0, 0, 0)", "rgb(255, 255, 255)"] and printed["text"][2] >= 13  # 10 pt or more
    assert printed["wide"] is False
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "print-article.png"))
    assert len(page.pdf(format="A4")) > 50_000  # Chromium lays the article out on paper without an error
    # On paper a link cannot be followed: a source's web address is written out after it.
    open_page(page, server, "en/themes/statistics/")
    written = page.locator(".sources a[href^='http']").evaluate_all(
        "links => links.map(a => getComputedStyle(a, '::after').content.includes(a.getAttribute('href')))")
    assert written and all(written)
    context.close()
