"""The Traditional edition of the real archive: no known wrong conversion anywhere in it.

OpenCC converts phrase by phrase, and some of its phrases are wrong in context (美国历史 read as
美國+曆 'calendar'). content/script-overrides.yaml corrects them; this test scans every page of the
Traditional edition and its search text for the wrong forms found so far. When a new one is found,
add it here and an override to content/script-overrides.yaml.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import cli_for
from framing.source.scriptfold import han_characters, opencc_engine, script_fold

# (wrong, right): what OpenCC made, what the text means. Each wrong form is wrong wherever it stands.
KNOWN_BAD = (
    ("美國曆史", "美國歷史"),  # 国历 read as 國曆 (the national calendar)
    ("埃裏克", "埃里克"),  # a transliterated name: 里 is not 'inside'
    ("淨髮行", "淨發行"),  # net issuance, not 'hair': 净发 read as 淨髮
    ("單錶", "單表"),  # a single table: 表行 read as 錶行 (a watch shop)
    ("一傢俬營", "一家私營"),  # a private company: 家私 read as 傢俬 (furniture)
    ("很多隻來自", "很多只來自"),  # 'many only come from': 只 'only', not the measure word 隻
)
# The edition writes Taiwan's standard forms (s2tw): 裡 and 為, never OpenCC's 裏 and 爲. A capture
# in Traditional script keeps the forms its author wrote (Hong Kong's standard writes 裏), so its
# article page is not held to this.
OTHER_STANDARD = (("裏", "裡"), ("爲", "為"))


def traditional_texts(site: Path) -> dict[str, str]:
    """Every page of the Traditional edition, by path. (The search index holds the Simplified text
    once for every edition; the Traditional search page converts its excerpts character by character.)"""
    return {path.relative_to(site).as_posix(): path.read_text(encoding="utf-8")
            for path in sorted((site / "zh-hant").rglob("*.html"))}


@pytest.fixture(scope="module")
def texts(seed_site):
    found = traditional_texts(seed_site)
    assert sum(path.startswith("zh-hant/articles/") for path in found) >= 5
    return found


@pytest.mark.parametrize("wrong, right", KNOWN_BAD, ids=[wrong for wrong, _ in KNOWN_BAD])
def test_no_known_wrong_conversion_in_the_traditional_edition(texts, wrong, right):
    """Each known wrong form appears nowhere in the Traditional edition; the captured Traditional
    article is shown verbatim, so this also says that no capture holds one."""
    found = {path: text.count(wrong) for path, text in texts.items() if wrong in text}
    assert not found, f"{wrong} (should read {right}) in {found}"


def traditional_captures() -> set[str]:
    """The slugs of the real archive's articles captured in Traditional script."""
    folder = Path(__file__).resolve().parent.parent / "content" / "articles"
    return {path.stem for path in folder.glob("*.md") if re.search(r"^(?:script|language): zh-Hant$", path.read_text(encoding="utf-8"), re.M)}


@pytest.mark.parametrize("wrong, right", OTHER_STANDARD, ids=[wrong for wrong, _ in OTHER_STANDARD])
def test_the_traditional_edition_writes_one_standard(texts, wrong, right):
    captured = traditional_captures()
    assert captured  # the NetEase article
    shown = {path: text for path, text in texts.items() if path.endswith(".html")
             and not any(path == f"zh-hant/articles/{slug}/index.html" for slug in captured)}
    found = sorted(path for path, text in shown.items() if wrong in text)
    assert not found, f"{wrong} (the edition writes {right}) in {found}"
    assert any(right in text for text in shown.values())


def test_the_corrected_forms_are_there(texts):
    """The right forms of the seed's corrections appear, so the scan above is looking at real text."""
    pages = "".join(text for path, text in texts.items() if path.endswith(".html"))
    for right in ("美國歷史", "埃里克", "淨發行", "單表", "一家私營", "很多只來自"):
        assert right in pages, right


# ---------------------------------------------------------------- the overrides, applied

def test_an_override_is_taken_where_it_stands_longest_first():
    from framing.source.scriptoverrides import PhraseOverrides
    s2tw = opencc_engine("s2tw").convert
    assert s2tw("美国历史") == "美國曆史"  # what OpenCC does on its own
    overrides = PhraseOverrides([("国历史", "國歷史"), ("美国历史", "美國歷史"), ("单表", "單表")])
    assert overrides.convert("美国历史和中国历史", s2tw) == "美國歷史和中國歷史"
    assert overrides.convert("AI表格单表行数上限为千万行", s2tw) == "AI表格單表行數上限為千萬行"
    assert overrides.convert("没有要改的", s2tw) == s2tw("没有要改的")
    assert PhraseOverrides().convert("美国历史", s2tw) == "美國曆史"


def test_the_converter_applies_overrides_and_forgets_what_it_converted_under_others():
    from framing.site.editions import ScriptConverter
    converter = ScriptConverter()
    assert converter.text("美国历史里", "zh-Hans", "zh-Hant") == "美國曆史裡"
    converter.use_overrides([("国历史", "國歷史")])
    assert converter.text("美国历史里", "zh-Hans", "zh-Hant") == "美國歷史裡"
    assert converter.html("<b>美国历史</b>里", "zh-Hans", "zh-Hant") == "<b>美國歷史</b>裡"
    assert converter.text("美國曆史", "zh-Hant", "zh-Hans") == "美国历史"  # to Simplified: OpenCC's t2s alone
    converter.use_overrides([])
    assert converter.text("美国历史里", "zh-Hans", "zh-Hant") == "美國曆史裡"


def test_the_traditional_edition_writes_taiwan_standard_characters_and_never_other_words():
    """s2tw: Taiwan's standard characters (為, 裡, 著), OpenCC's phrases, none of s2twp's vocabulary."""
    from framing.site.editions import ScriptConverter
    converter = ScriptConverter()
    shown = converter.text("为了这里的信息和软件,跟着看", "zh-Hans", "zh-Hant")
    assert shown == "為了這裡的信息和軟件,跟著看"  # s2twp would write 資訊 and 軟體


def test_a_paragraph_cut_at_its_highlights_is_converted_as_a_whole():
    """A highlight's edge inside a phrase changes nothing: OpenCC and the overrides see the paragraph."""
    from framing.site.editions import ScriptConverter
    converter = ScriptConverter()
    converter.use_overrides([("单表", "單表")])
    paragraph = "AI表格单表行数上限为千万行"
    assert converter.text(paragraph[5:], "zh-Hans", "zh-Hant").startswith("錶行數")  # the piece on its own
    pieces = converter.pieces(paragraph, "zh-Hans", "zh-Hant")
    assert pieces(0, 5) + pieces(5, len(paragraph)) == "AI表格單表行數上限為千萬行"
    assert converter.pieces(paragraph, "zh-Hans", None)(5, 7) == "表行"  # the English edition: as captured


# ---------------------------------------------------------------- the fold

def test_every_form_the_traditional_edition_writes_folds_as_its_simplified_text():
    """A quote copied from either Traditional standard anchors to the Simplified article, and a
    query typed in either finds it: per character, each form folds as what it was converted from."""
    fold = script_fold()
    characters = han_characters()
    for config in ("s2tw", "s2t"):
        converted = opencc_engine(config).convert("\n".join(characters)).split("\n")
        assert len(converted) == len(characters)
        wrong = [(c, t) for c, t in zip(characters, converted) if len(t) == 1 and fold.convert(t) != fold.convert(c)]
        assert not wrong, (config, wrong[:20])
    assert fold.convert("為爲为裡裏里著着") == "为为为里里里着着"
    assert fold.convert("美国历史,什么") == "美国历史,什么"  # Simplified text stays as it is


def test_a_quote_in_taiwan_forms_anchors_to_a_simplified_article():
    from framing.source.anchor import TextFolder, anchor_quote
    from framing.source.records import Span
    folder = TextFolder(script_fold())
    paragraphs = ("他跟着说,这里的表格为单表。",)
    folded = [folder.fold(p) for p in paragraphs]
    span = anchor_quote(folder, paragraphs, folded, "跟著說,這裡的表格為單表")
    assert span == Span(0, 1, 13)


# ---------------------------------------------------------------- rebuilds

def _theme_page(site: Path) -> str:
    return (site / "zh-hant" / "themes" / "statistics" / "index.html").read_text(encoding="utf-8")


def test_an_edit_to_the_overrides_rebuilds_the_traditional_pages(tiny):
    """The build record and the page cache both see content/script-overrides.yaml: each edit shows
    at the next build, which gives the bytes of a clean build."""
    from test_determinism import digest_tree
    theme = tiny / "content" / "themes" / "statistics.md"
    theme.write_text(theme.read_text(encoding="utf-8").replace("关于数字的介绍", "美国历史里的数字"), encoding="utf-8")
    site, overrides = tiny / "site", tiny / "content" / "script-overrides.yaml"

    def build(out: Path, *extra: str) -> None:
        result = cli_for(tiny, "build", "--out", str(out), *extra)
        assert result.returncode == 0, result.stderr

    build(site)
    assert "美國曆史裡的數字" in _theme_page(site)
    for text, shown in (("国历史: 國歷史\n", "美國歷史裡的數字"), ("美国历史里: 美國歷史里\n国历史: 國歷史\n", "美國歷史里的數字"),
                        (None, "美國曆史裡的數字")):
        if text is None:
            overrides.unlink()
        else:
            overrides.write_text(text, encoding="utf-8")
        build(site)
        assert shown in _theme_page(site), text
        assert "美国历史里的数字" in (site / "themes" / "statistics" / "index.html").read_text(encoding="utf-8")
        shutil.rmtree(tiny / ".clean.cache", ignore_errors=True)
        build(tiny / "clean", "--force")
        assert digest_tree(site) == digest_tree(tiny / "clean"), text
