"""Annotating from the preview in Chromium, on a copy of the real archive: select a passage that
occurs twice, add the annotation with the suggested suffix, see it highlighted after the reload,
edit it, delete it; and 'check' passes with it.

FRAMING_SCREENSHOTS=<folder> saves the screenshots EDITING.md shows, taken along the way.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from browserkit import Problems, launch, needs_chromium
from conftest import REPO, cli_for
from test_serve import preview, wait_for

pytestmark = [pytest.mark.browser, needs_chromium]

SLUG = "guancha-silent-war"  # captured in Simplified script, shown here in the Traditional edition
PARAGRAPH = 41
SHOWN = "千問APP的發佈,不"  # also in paragraph 36: 千问APP的发布,不仅仅是… and here 千问APP的发布,不仅是…
IDENT = "gc-launch-signal"
COMMENTARY = "文章把千问APP的发布写成一个“信号的释放”,把一次产品上线放进中美AI竞争的叙事中。"
EDITED = "把产品上线写成中美AI竞争中的信号。"

SELECT = """([paragraph, needle]) => {
  const para = document.querySelector('#p-' + paragraph + ' p.para');
  const walker = document.createTreeWalker(para, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const at = node.data.indexOf(needle);
    if (at < 0) continue;
    const range = document.createRange();
    range.setStart(node, at);
    range.setEnd(node, at + needle.length);
    document.getSelection().removeAllRanges();
    document.getSelection().addRange(range);
    para.scrollIntoView({block: 'center'});
    return true;
  }
  return false;
}"""


AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"


def accessibility_violations(page) -> list[str]:
    """What axe-core finds wrong on the page as it is, in light and dark mode ([] where node_modules is missing)."""
    if not AXE.is_file():
        return []
    found = []
    page.add_script_tag(path=str(AXE))
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        found += page.evaluate("""async (scheme) => {
            const r = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}});
            return r.violations.map(v => `${scheme}: ${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ')}`); }""", scheme)
    return found


class Screens:
    """Screenshots for EDITING.md, where FRAMING_SCREENSHOTS names a folder; nothing otherwise."""

    def __init__(self, page):
        self.page = page
        self.folder = Path(os.environ["FRAMING_SCREENSHOTS"]) if os.environ.get("FRAMING_SCREENSHOTS") else None

    def take(self, name: str, selector: str | None = None) -> None:
        """The viewport, or the element selector names."""
        if self.folder:
            self.folder.mkdir(parents=True, exist_ok=True)
            target = self.page.locator(selector) if selector else self.page
            target.screenshot(path=str(self.folder / f"{name}.png"))


@pytest.fixture
def archive_copy(tmp_path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(REPO / "content", root / "content")
    shutil.copytree(REPO / "templates", root / "templates")
    return root


def test_select_add_see_edit_and_delete_an_annotation(archive_copy):
    from playwright.sync_api import expect, sync_playwright

    zh = archive_copy / "content" / "annotations" / f"{SLUG}.md"
    en = archive_copy / "content" / "annotations" / f"{SLUG}.en.md"
    original_zh, original_en = zh.read_bytes(), en.read_bytes()
    assert original_zh.endswith(b"\n\n") and original_en.endswith(b"\n\n")  # each ends with a blank line, and still will
    with preview(archive_copy, "/repo/") as root, sync_playwright() as playwright:
        url = f"{root}/repo/zh-hant/articles/{SLUG}/"
        wait_for(url, lambda status, body: status == 200)
        browser = launch(playwright)
        page = browser.new_page(viewport={"width": 960, "height": 640}, reduced_motion="reduce")
        problems = Problems()
        problems.watch(page)
        screens = Screens(page)
        page.goto(url)

        # Select a passage that occurs twice: the panel quotes it in the article's script and offers
        # the shortest suffix that makes it unique.
        assert page.evaluate(SELECT, [PARAGRAPH, SHOWN])
        expect(page.locator("#annotate-start")).to_be_enabled()
        screens.take("annotate-1-select")
        page.locator("#annotate-start").click()
        expect(page.get_by_role("dialog", name="New annotation")).to_be_visible()
        expect(page.locator("#annotate-quote")).to_have_text("> 千问APP的发布,不")
        expect(page.locator("#annotate-context")).to_have_text("suffix: 仅是")
        expect(page.locator("#annotate-anchor")).to_contain_text("Occurs 2 times (paragraphs 36, 41)")
        expect(page.locator("#annotate-theme")).to_be_focused()
        expect(page.locator("#annotate-framing")).to_be_hidden()

        page.get_by_label("Theme").select_option("framing")
        expect(page.locator("#annotate-id")).to_have_value("gc-framing")  # proposed, free, in the article's style
        page.get_by_label("device").select_option("storyline")
        page.get_by_label("entman").select_option("define-problem")
        page.get_by_label("frame", exact=True).select_option("political")
        page.get_by_label("Id", exact=True).fill(IDENT)
        page.get_by_label("Commentary (Chinese, markdown)").fill(COMMENTARY)
        page.get_by_label("English gloss (optional)").fill("the launch of the Qianwen app is not only")
        page.locator("#annotate-panel").evaluate("panel => { panel.scrollTop = 0; }")
        screens.take("annotate-2-panel", "#annotate-panel")
        page.get_by_role("button", name="Add").click()

        # The file gets exactly the section an editor would write; the reload shows the highlight.
        mark = page.locator(f"mark#a-{IDENT}")
        expect(mark).to_have_text(SHOWN, timeout=30_000)
        section = (f"## {IDENT}\n\n> 千问APP的发布,不\n\nsuffix: 仅是\ntheme: framing\ndevice: storyline\n"
                   f"entman: define-problem\nframe: political\n\n{COMMENTARY}\n").encode()
        assert zh.read_bytes() == original_zh + section + b"\n"
        assert en.read_bytes() == original_en + f"## {IDENT}\n\ngloss: the launch of the Qianwen app is not only\n\n".encode()
        note = page.locator(f"#n-{IDENT}")
        expect(note).to_contain_text("信号的释放".replace("号", "號").replace("释", "釋"))
        screens.take("annotate-3-added")
        check = cli_for(archive_copy, "check")
        assert check.returncode == 0, check.stderr

        # Edit it from its note, with the same checks: only its section changes.
        note.get_by_role("button", name=f"Edit annotation {IDENT}").click()
        expect(page.get_by_role("dialog", name="Edit annotation")).to_be_visible()
        expect(page.locator("#annotate-commentary")).to_have_value(COMMENTARY)
        expect(page.locator("#annotate-frame")).to_have_value("political")
        page.locator("#annotate-commentary").fill("")
        page.get_by_role("button", name="Save").click()
        expect(page.locator("#annotate-problems")).to_contain_text(f"the annotation '{IDENT}' has no commentary")
        assert zh.read_bytes() == original_zh + section + b"\n"
        screens.take("annotate-4-checked", "#annotate-panel")
        refused = problems.take()  # the refusal is an HTTP 400, which Chromium logs as well
        assert refused and all("400" in seen for seen in refused), refused
        page.locator("#annotate-commentary").fill(EDITED)
        page.get_by_role("button", name="Save").click()
        expect(page.locator(f"#n-{IDENT}")).to_contain_text("把產品上線寫成", timeout=30_000)
        assert zh.read_bytes() == original_zh + section.replace(COMMENTARY.encode(), EDITED.encode()) + b"\n"

        # Delete it: both files are as they were.
        page.once("dialog", lambda confirm: confirm.accept())
        page.locator(f"#n-{IDENT}").get_by_role("button", name=f"Delete annotation {IDENT}").click()
        expect(page.locator(f"#a-{IDENT}")).to_have_count(0, timeout=30_000)
        expect(page.locator("#annotate-bar")).to_be_visible()
        assert zh.read_bytes() == original_zh and en.read_bytes() == original_en
        assert problems.take() == []
        browser.close()


def test_a_new_article_is_imported_annotated_in_the_browser_and_checked(archive_copy, tmp_path):
    """The whole of an editor's work on a new article: import, select, add with the commentary, check."""
    from playwright.sync_api import expect, sync_playwright

    capture = tmp_path / "capture.txt"
    capture.write_text("示例新闻网\n\n某公司称其模型下载量突破1亿次。\n\n分析人士说,下载量突破1亿次并不等于用户数。\n", encoding="utf-8")
    imported = cli_for(archive_copy, "import", str(capture), "--slug", "sample-new", "--trim", "1-1=the site's name")
    assert imported.returncode == 0, imported.stderr
    article = archive_copy / "content" / "articles" / "sample-new.md"
    article.write_text(article.read_text(encoding="utf-8").replace("title: ''", "title: 示例报道")
                       .replace("outlet: ''", "outlet: 示例新闻网"), encoding="utf-8")
    assert not (archive_copy / "content" / "annotations" / "sample-new.md").exists()
    with preview(archive_copy, "/") as root, sync_playwright() as playwright:
        url = f"{root}/en/articles/sample-new/"  # the English edition shows the text as captured
        wait_for(url, lambda status, body: status == 200)
        browser = launch(playwright)
        # axe is added as an inline script, which the pages' CSP forbids: this context bypasses it.
        page = browser.new_context(reduced_motion="reduce", bypass_csp=AXE.is_file()).new_page()
        problems = Problems()
        problems.watch(page)
        page.goto(url)
        assert page.evaluate(SELECT, [2, "下载量突破1亿次"])
        page.locator("#annotate-start").click()
        expect(page.locator("#annotate-context")).to_have_text("suffix: 并")
        assert accessibility_violations(page) == []
        page.get_by_label("Theme").select_option("statistics")
        expect(page.locator("#annotate-id")).to_have_value("sn-statistics")  # the slug's initials: its first id
        page.get_by_label("Commentary (Chinese, markdown)").fill("文章没有给出下载量的来源。")
        page.get_by_role("button", name="Add").press("Enter")  # the keyboard works the panel too
        expect(page.locator("mark#a-sn-statistics")).to_have_text("下载量突破1亿次", timeout=30_000)
        assert (archive_copy / "content" / "annotations" / "sample-new.md").read_text(encoding="utf-8") == (
            "## sn-statistics\n\n> 下载量突破1亿次\n\nsuffix: 并\ntheme: statistics\n\n文章没有给出下载量的来源。\n")
        assert (archive_copy / "content" / "annotations" / "sample-new.en.md").read_text(encoding="utf-8") == "## sn-statistics\n"
        assert problems.take() == []
        browser.close()
    check = cli_for(archive_copy, "check")
    assert check.returncode == 0, check.stderr


def test_editing_a_note_that_leaves_its_theme_to_its_claim_and_saving_it_unchanged_writes_nothing(tiny):
    from playwright.sync_api import expect, sync_playwright

    files = {path: path.read_bytes() for path in (tiny / "content" / "annotations").iterdir()}
    with preview(tiny, "/") as root, sync_playwright() as playwright:
        url = f"{root}/articles/alpha/"
        wait_for(url, lambda status, body: status == 200)
        browser = launch(playwright)
        page = browser.new_page()
        problems = Problems()
        problems.watch(page)
        page.goto(url)
        page.get_by_role("button", name="Edit annotation al-denial").click()
        expect(page.get_by_role("dialog", name="Edit annotation")).to_be_visible()
        expect(page.locator("#annotate-theme")).to_have_value("accusation")  # the claim's theme
        expect(page.locator("#annotate-claim")).to_have_value("denial")
        expect(page.locator("#annotate-commentary")).to_be_focused()
        page.get_by_role("button", name="Save").click()
        expect(page.locator("#annotate-status")).to_have_text("Nothing changed in al-denial: no file written.")
        page.keyboard.press("Escape")
        assert {path: path.read_bytes() for path in (tiny / "content" / "annotations").iterdir()} == files
        assert problems.take() == []
        browser.close()


def test_a_new_claim_is_created_with_the_annotation_and_the_preview_says_what_it_lacks(tiny):
    from playwright.sync_api import expect, sync_playwright

    with preview(tiny, "/") as root, sync_playwright() as playwright:
        url = f"{root}/articles/alpha/"
        wait_for(url, lambda status, body: status == 200)
        browser = launch(playwright)
        page = browser.new_page()
        page.goto(url)
        assert page.evaluate(SELECT, [1, "为军方提供技术支持"])
        page.locator("#annotate-start").click()
        expect(page.locator("#annotate-anchor")).to_have_text("Anchors once (paragraph 1).")
        expect(page.locator("#annotate-new-claim")).to_be_hidden()
        page.locator("#annotate-claim").select_option(label="New claim…")
        page.get_by_label("Claim id").fill("military-support")
        page.get_by_label("Claim id").press("Tab")
        expect(page.locator("#annotate-id")).to_have_value("al-military-support")
        page.get_by_label("Label (Chinese)").fill("美国指控阿里巴巴为军方提供技术支持")
        page.get_by_label("Commentary (Chinese, markdown)").fill("备忘录的指控。")
        page.get_by_role("button", name="Add").click()
        # The claim has no sources yet: the preview shows check's message until the editor adds them.
        expect(page.locator("body")).to_contain_text("the claim has no sources and no 'no_source' reason", timeout=30_000)
        browser.close()
    assert (tiny / "content" / "claims" / "military-support.md").read_text(encoding="utf-8") == (
        '---\ntheme: accusation\nlabel: "美国指控阿里巴巴为军方提供技术支持"\nverdict: unverifiable\nsources: []\n---\n')
    assert "## al-military-support\n\n> 为军方提供技术支持\n\ntheme: accusation\nclaim: military-support\n\n备忘录的指控。\n" in \
        (tiny / "content" / "annotations" / "alpha.md").read_text(encoding="utf-8")
