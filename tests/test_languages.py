"""Articles in any language: an English article beside the Chinese ones, in every edition.

Its language is detected on import and checked on load; its text is never converted between
scripts; quotes anchor at word boundaries; its numbers, quotations and attributions count in the
coverage report and the statistics table; and the English edition's check names what it lacks.
"""

from __future__ import annotations

import re
from decimal import Decimal

import opencc
import pytest

from conftest import cli_for, sha, tiny_files, write_project
from framing.source.anchor import AnchorFailure, TextFolder, anchor_quote
from framing.source.coverage import claim_like_passages
from framing.site.editions import ScriptConverter
from framing.commands.importer import detect_article_language
from framing.source.languages import detect_language, language_problem
from framing.source.numbers_en import describe_quantity, find_english_quantities, parse_any_quantity
from framing.source.records import Article, Span

ENGLISH = ("Beijing — Alibaba is helping the military, a memo alleged, the FT reported Friday.\n"
           "Alibaba said the claims were false. Analysts said the Qianwen (千问) app had 600 million downloads, up 17% in 12 months.\n")


def english_article(front: str = "") -> str:
    return (f"---\ntitle: Alibaba accused in memo\ntitle_zh: 阿里巴巴在备忘录中被指控\noutlet: Test Wire\nauthors: [Jane Doe]\n"
            f"published: 2025-11-14\nsources:\n  - url: https://example.org/wire\nlanguage: en\ncapture: e.txt\n"
            f"sha256: {sha(ENGLISH)}\n{front}---\n" + "\n\n".join(ENGLISH.strip().split("\n")) + "\n")


def with_english(files: dict[str, str]) -> dict[str, str]:
    """The tiny archive, its Chinese articles given English titles and outlets, and an English article."""
    files = dict(files)
    for slug in ("alpha", "beta"):
        files[f"articles/{slug}.md"] = files[f"articles/{slug}.md"].replace(
            "outlet: 测试媒体\n", f"title_en: Article {slug}\noutlet: 测试媒体\noutlet_en: Test Media\n")
    files["captures/e.txt"] = ENGLISH
    files["articles/wire.md"] = english_article()
    files["annotations/wire.md"] = (
        "## wi-downloads\n\n> 600 million downloads\n\nclaim: downloads\n\nThe same figure as the Chinese article.\n\n"
        "## wi-said\n\n> alibaba said\n\nclaim: denial\n\nThe denial, reported.\n")
    files["site.yaml"] += "numbers_theme: statistics\n"
    files["annotations/wire.en.md"] = "## wi-downloads\n\nThe figure as the wire gives it.\n"
    return files


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    files = with_english(tiny_files())
    return write_project(tmp_path_factory.mktemp("languages") / "project", files)


@pytest.fixture(scope="module")
def site(project):
    result = cli_for(project, "build", "--out", str(project / "site"))
    assert result.returncode == 0, result.stderr
    return project / "site"


def read(site, path):
    return (site / path).read_text(encoding="utf-8")


# ---------------------------------------------------------------- detection and loading

def test_the_language_of_a_capture_is_detected():
    assert detect_language(ENGLISH) == "en"
    assert detect_language("美国对阿里巴巴的指控缺乏证据。Qwen3和GPT-5都是模型。") == "zh"
    assert detect_article_language(ENGLISH) == "en"
    assert detect_article_language("美国对阿里巴巴的指控缺乏证据。这里的实验室。") == "zh-Hans"
    assert detect_article_language("美國對阿里巴巴的指控缺乏證據。這裡的實驗室。") == "zh-Hant"


def test_the_importer_records_an_english_capture_as_english(tmp_path):
    project = write_project(tmp_path / "project", tiny_files())
    capture = tmp_path / "wire.txt"
    capture.write_text(ENGLISH, encoding="utf-8")
    result = cli_for(project, "import", str(capture), "--slug", "wire")
    assert result.returncode == 0, result.stderr
    written = (project / "content" / "articles" / "wire.md").read_text(encoding="utf-8")
    assert "\nlanguage: en\n" in written and "script:" not in written
    assert "language en" in result.stdout


def test_language_tags_are_checked():
    assert language_problem("en") is None and language_problem("zh-Hant") is None and language_problem("en-GB") is None
    assert "script" in language_problem("zh")[0] and "script" in language_problem("zh-CN")[0]
    assert "not a language tag" in language_problem("English")[0]


@pytest.mark.parametrize("front, message", [
    ("language: zh\nscript: zh-Hant\n", None),  # a bare zh with its script: the script says which
    ("script: zh-Hans\n", None),  # script: alone, as articles before language: have it
    ("language: zh-Hans\nscript: zh-Hant\n", "contradicts"),
    ("language: zh\n", "does not say which script"),
    ("language: Chinese\n", "is not a language tag"),
    ("language: zh-Hans\ntitle_zh: 标题\n", "title_zh"),
    ("", "'language' is missing"),
])
def test_language_and_its_alias_script(tmp_path, front, message):
    files = tiny_files()
    files["articles/beta.md"] = files["articles/beta.md"].replace("script: zh-Hant\n", front)
    project = write_project(tmp_path / "project", files)
    result = cli_for(project, "check")
    if message is None:
        assert result.returncode == 0, result.stderr
    else:
        assert result.returncode == 1 and message in result.stderr and "content/articles/beta.md:" in result.stderr, result.stderr


def test_an_english_article_may_not_have_a_title_en(tmp_path):
    files = with_english(tiny_files())
    files["articles/wire.md"] = english_article("title_en: Alibaba accused\n")
    result = cli_for(write_project(tmp_path / "project", files), "check")
    assert result.returncode == 1 and "its title is shown as it is in every edition" in result.stderr


# ---------------------------------------------------------------- no conversion, lang everywhere

def test_english_text_is_never_converted_between_scripts():
    converter = ScriptConverter()
    text = "The Qianwen (千问) app"
    assert converter.text(text, "en", "zh-Hant") == text and converter.text(text, "en", "zh-Hans") == text
    assert converter.html(f"<p>{text}</p>", "en", "zh-Hant") == f"<p>{text}</p>"
    assert converter.text("千问", "zh-Hans", "zh-Hant") == "千問"  # Chinese still is


def test_the_english_article_reads_in_english_in_every_edition(site):
    for prefix in ("", "zh-hant/", "en/"):
        page = read(site, f"{prefix}articles/wire/index.html")
        paragraphs = re.findall(r'<p class="para" lang="([^"]+)">(.*?)</p>', page, re.S)
        assert [lang for lang, _ in paragraphs] == ["en", "en"], prefix
        assert "Qianwen (千问) app" in paragraphs[1][1] and "千問" not in page.split('<section class="text"')[1], prefix
        assert '<span lang="en">Test Wire</span>' in page
    # A Chinese edition shows the editors' translation of the title, marked as one, and the original.
    hant = read(site, "zh-hant/articles/wire/index.html")
    assert '<h1 lang="zh-Hant">阿里巴巴在備忘錄中被指控</h1>' in hant
    assert re.search(r'<p class="translated-title">[^<]*编者所译|<p class="translated-title">[^<]*編者所譯', hant)
    assert '<cite lang="en">Alibaba accused in memo</cite>' in hant
    assert '<h1 lang="en">Alibaba accused in memo</h1>' in read(site, "en/articles/wire/index.html")


def test_the_english_edition_shows_chinese_articles_under_their_english_titles(site):
    page = read(site, "en/articles/alpha/index.html")
    assert '<h1 lang="en">Article alpha</h1>' in page
    assert '<cite lang="zh-Hans">文章alpha</cite>' in page  # the original, beside the translation
    assert '<p class="para" lang="zh-Hans">' in page


# ---------------------------------------------------------------- anchoring Latin text

@pytest.fixture(scope="module")
def folder():
    return TextFolder(opencc.OpenCC("t2s"))


def anchor(folder, paragraphs, quote, prefix="", suffix=""):
    paragraphs = tuple(paragraphs)
    return anchor_quote(folder, paragraphs, [folder.fold(p) for p in paragraphs], quote, prefix, suffix, spaced=True)


def test_a_latin_quote_anchors_whatever_its_case_and_spacing(folder):
    paragraphs = ["The FT said it could not  independently verify the claims."]
    span = anchor(folder, paragraphs, "the ft said it could not independently verify")
    assert paragraphs[0][span.start:span.end] == "The FT said it could not  independently verify"


def test_a_latin_quote_never_starts_or_ends_inside_a_word(folder):
    paragraphs = ["Alibaba denied it. Baba said no."]
    assert isinstance(anchor(folder, paragraphs, "baba denied"), AnchorFailure)  # inside 'Alibaba'
    assert isinstance(anchor(folder, paragraphs, "Alibaba deni"), AnchorFailure)  # inside 'denied'
    assert anchor(folder, paragraphs, "Baba said") == Span(0, 19, 28)  # the word itself, not the end of 'Alibaba'
    # Spacing counts between words: 'apart' is not 'a part'.
    assert isinstance(anchor(folder, ["It was a part of the deal."], "apart of the deal"), AnchorFailure)


def test_a_repeated_latin_quote_needs_a_prefix(folder):
    paragraphs = ["“The claims are false,” Alibaba said. “We question the leak,” Alibaba said."]
    result = anchor(folder, paragraphs, "Alibaba said")
    assert isinstance(result, AnchorFailure) and result.reason == "ambiguous" and result.count == 2
    span = anchor(folder, paragraphs, "Alibaba said", prefix="the leak,”")
    assert paragraphs[0][span.start:] == "Alibaba said."


def test_a_repeated_quote_in_an_english_article_is_refused_until_it_has_a_prefix(tmp_path):
    files = with_english(tiny_files())
    project = write_project(tmp_path / "project", files)
    annotations = project / "content" / "annotations" / "wire.md"
    text = annotations.read_text(encoding="utf-8")
    assert cli_for(project, "check").returncode == 0  # 'alibaba said' (in any case) occurs once
    annotations.write_text(text.replace("> alibaba said", "> said"), encoding="utf-8")  # 'Alibaba said', 'Analysts said'
    result = cli_for(project, "check")
    assert result.returncode == 1 and "content/annotations/wire.md:" in result.stderr and "prefix" in result.stderr, result.stderr
    annotations.write_text(text.replace("> alibaba said\n\n", "> said\n\nprefix: Analysts\n"), encoding="utf-8")
    assert cli_for(project, "check").returncode == 0


# ---------------------------------------------------------------- numbers, coverage, statistics

@pytest.mark.parametrize("text, value, unit, currency, percent", [
    ("$6.5 million", "6500000", "", "USD", False),
    ("17%", "17", "%", "", True),
    ("600 million", "600000000", "", "", False),
    ("12 months", "12", "个月", "", False),
    ("US$380 billion", "380000000000", "", "USD", False),
    ("22.32 percent", "22.32", "%", "", True),
])
def test_english_numerals_are_parsed_like_the_chinese_ones(text, value, unit, currency, percent):
    quantity = parse_any_quantity(text)
    assert (quantity.value, quantity.unit, quantity.currency, quantity.percent) == (Decimal(value), unit, currency, percent)


def test_what_is_not_an_english_quantity():
    assert find_english_quantities("GPT-5 and Qwen3 ran on H100 chips on Nov. 1, 2025 and 14 November; 5m away") == []
    assert [q.text for q in find_english_quantities("more than 300 models cost nearly $6.5bn")] == ["nearly $6.5bn"]
    assert describe_quantity(parse_any_quantity("12 months"), "en") == "12 months"
    assert describe_quantity(parse_any_quantity("1957年"), "en") == "the year 1957"


def test_the_claim_like_passages_of_english_text():
    english = Article("wire", None, "t", "o", (), None, (), "en", "en", "", "", (), "", (ENGLISH.split("\n")[1],), (1,))
    kinds = {(p.kind, p.text) for p in claim_like_passages(english)}
    assert ("number", "600 million downloads") in kinds and ("number", "17%") in kinds and ("number", "12 months") in kinds
    assert ("attribution", "Alibaba said the claims were false") in kinds


def test_the_statistics_table_sets_an_english_figure_beside_the_chinese_one(site):
    for prefix in ("", "en/"):
        page = read(site, f"{prefix}themes/statistics/index.html")
        table = page[page.index('<table class="numbers">'):]
        table = table[:table.index("</table>")]
        rows = re.findall(r'<td><a href="[^"]+" lang="([^"]+)"[^>]*>([^<]+)</a></td>\s*<td lang="([^"]+)">([^<]+)</td>\s*<td>([^<]+)</td>', table)
        stated = {(text, value) for _, _, _, text, value in rows}
        assert ("600 million downloads", "600,000,000 times" if prefix else "6亿(600,000,000)次") in stated, rows
        assert any(lang == "en" and text == "600 million downloads" for _, _, lang, text, _ in rows)
        assert "⚑" not in table  # 6亿次 and 600 million downloads agree


def test_the_english_article_stands_beside_the_chinese_ones_in_the_matrix(site):
    page = read(site, "en/themes/accusation/index.html")
    head = re.search(r"<thead><tr><th scope=\"col\">Claim</th>(.*?)</tr></thead>", page).group(1)
    assert sorted(re.findall(r'lang="([^"]+)"[^>]*>([^<]+)</a>', head)) == [("en", "Test Media"), ("en", "Test Media"), ("en", "Test Wire")]
    claim = page[page.index('id="claim-denial"'):]
    assert '<blockquote lang="en">' in claim and '<blockquote lang="zh-Hans">' in claim  # its passages, side by side


# ---------------------------------------------------------------- the English edition's check

def test_check_names_a_missing_english_title(tmp_path):
    files = with_english(tiny_files())
    files["articles/alpha.md"] = files["articles/alpha.md"].replace("title_en: Article alpha\n", "")
    project = write_project(tmp_path / "project", files)
    warned = cli_for(project, "check")
    assert warned.returncode == 0 and "warning: " in warned.stderr
    strict = cli_for(project, "check", "--strict")
    assert strict.returncode == 1
    assert re.search(r"content/articles/alpha\.md:2: the English pages show 'title' in Chinese \(“文章alpha”\)", strict.stderr), strict.stderr
    assert "fix: add 'title_en:' with an English translation" in strict.stderr
    # A source the archive describes in Chinese, in brackets, needs its English description too.
    files["claims/denial.md"] = files["claims/denial.md"].replace("    title: 报道\n", "    title: \"[报道,原标题未取得]\"\n")
    described = cli_for(write_project(tmp_path / "described", files), "check", "--strict")
    assert re.search(r"content/claims/denial\.md:6: the English pages show 'sources' \(entry 1\) in Chinese", described.stderr), described.stderr
    assert "add 'title_en:' beside the title" in described.stderr
    # Filled in, the warning goes.
    assert "content/articles/alpha.md" not in cli_for(write_project(tmp_path / "again", with_english(tiny_files())), "check").stderr


# ---------------------------------------------------------------- shared passages in English

def english(slug, *paragraphs):
    return Article(slug, None, slug, slug, (), None, (), "en", "en", "", "", (), "", tuple(paragraphs), tuple(range(len(paragraphs))))


def test_a_passage_two_english_articles_share_runs_from_word_to_word(folder):
    from framing.source.records import Archive
    from framing.site.shared import find_shared

    shared_words = "the assertions and innuendoes in the article are completely false"
    first = english("one", f"Reuters wrote that xx{shared_words}yy according to a spokesperson.")
    second = english("two", f"The company said {shared_words}, and more.", "Alibaba said no.")
    third = english("three", "Alibaba said no.")  # shared, but far too short to count in English
    passages = find_shared(Archive(None, (first, second, third), (), (), ()), folder, 12)
    assert len(passages) == 1
    texts = {o.article: a.paragraphs[o.spans[0].paragraph][o.spans[0].start:o.spans[0].end]
             for o in passages[0].occurrences for a in (first, second) if a.slug == o.article}
    # 'xxthe' and 'falseyy' are words of their own in the first article: the passage leaves them out.
    assert texts == {"one": "assertions and innuendoes in the article are completely",
                     "two": "assertions and innuendoes in the article are completely"}


def test_chinese_words_in_english_notes_are_marked_with_their_language():
    from framing.site.marking import mark_html, mark_text

    assert mark_text("The page's “相关内容” list & more") == \
        'The page&#39;s “<span lang="zh-Hans">相关内容</span>” list &amp; more'
    assert mark_html('<p>Called <em>千问恐慌</em>, <span lang="zh-Hant">千問</span>.</p>') == \
        '<p>Called <em><span lang="zh-Hans">千问恐慌</span></em>, <span lang="zh-Hant">千問</span>.</p>'
    assert mark_html("<p>No Chinese here.</p>") == "<p>No Chinese here.</p>"
