"""Quote anchoring: exact, whitespace- and script-insensitive, code-point offsets, never a lookalike."""

import opencc
import pytest
from hypothesis import given, settings, strategies as st

from framing.source.anchor import AnchorFailure, TextFolder, anchor_quote
from framing.source.records import Span
from framing.source.scriptfold import script_fold


@pytest.fixture(scope="module")
def folder():
    return TextFolder(script_fold())  # the build's fold


def anchor(folder, paragraphs, quote, prefix="", suffix=""):
    paragraphs = tuple(paragraphs)
    return anchor_quote(folder, paragraphs, [folder.fold(p) for p in paragraphs], quote, prefix, suffix)


def test_exact_quote_gives_code_point_offsets(folder):
    paragraphs = ["第一段。", "黄仁勋称赞其为“顶尖开源模型”,马斯克夸赞。"]
    span = anchor(folder, paragraphs, "“顶尖开源模型”")
    assert span == Span(1, 7, 15)
    assert paragraphs[1][span.start:span.end] == "“顶尖开源模型”"


def test_offsets_count_code_points_beyond_the_bmp(folder):
    paragraphs = ["𠮷野家𠮷称:开源赢了。"]
    span = anchor(folder, paragraphs, "开源赢了")
    assert paragraphs[0][span.start:span.end] == "开源赢了"
    assert span.start == 6


def test_simplified_quote_anchors_in_traditional_text(folder):
    paragraphs = ["黃仁勛曾在GTC大會上展示一張圖。", "Qwen不是實驗室里的玩具。"]
    span = anchor(folder, paragraphs, "黄仁勋曾在GTC大会上展示一张图")
    assert span == Span(0, 0, 16)
    assert paragraphs[0][span.start:span.end] == "黃仁勛曾在GTC大會上展示一張圖"
    assert anchor(folder, paragraphs, "实验室里的玩具") == Span(1, 6, 13)


def test_traditional_quote_anchors_in_simplified_text(folder):
    assert anchor(folder, ["美国对阿里巴巴的指控缺乏证据。"], "美國對阿里巴巴的指控") == Span(0, 0, 10)


def test_whitespace_and_width_are_folded(folder):
    paragraphs = ["Airbnb CEO布莱恩·切斯基直言,公司“大量依赖”。"]
    span = anchor(folder, paragraphs, "Airbnb  CEO 布莱恩·切斯基直言，公司")
    assert paragraphs[0][span.start:span.end] == "Airbnb CEO布莱恩·切斯基直言,公司"


def test_curly_and_straight_quotes_are_folded(folder):
    span = anchor(folder, ["他说“开源是免费的”。"], '他说"开源是免费的"')
    assert span == Span(0, 0, 10)


def test_quote_that_occurs_twice_is_ambiguous(folder):
    result = anchor(folder, ["千问APP上线。", "千问APP上线当天。"], "千问APP上线")
    assert isinstance(result, AnchorFailure) and result.reason == "ambiguous" and result.count == 2


def test_prefix_and_suffix_choose_one_occurrence(folder):
    paragraphs = ["千问APP上线。", "千问APP上线当天。"]
    assert anchor(folder, paragraphs, "千问APP上线", suffix="当天") == Span(1, 0, 7)
    assert anchor(folder, paragraphs, "APP上线", prefix="千问", suffix="。") == Span(0, 2, 7)


def test_quote_that_matches_nowhere_names_the_closest_passage(folder):
    paragraphs = ["第一段没有关系。", "全球模型社区下载量突破6亿次,衍生模型超17万个。"]
    result = anchor(folder, paragraphs, "下载量突破7亿次")
    assert isinstance(result, AnchorFailure) and result.reason == "nowhere"
    assert result.closest_paragraph == 1
    assert "下载量突破6亿次" in result.closest


def test_lookalike_is_never_accepted(folder):
    result = anchor(folder, ["衍生模型超17万个"], "衍生模型超18万个")
    assert isinstance(result, AnchorFailure)


def test_empty_quote(folder):
    assert anchor(folder, ["文字"], "  ").reason == "empty"


han = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
text = st.text(alphabet=st.one_of(han, st.sampled_from("ABCabc123,。“”  ")), min_size=1, max_size=60)


@settings(max_examples=150, deadline=None)
@given(before=text, quote=text, after=text)
def test_any_unique_substring_anchors_to_itself(folder, before, quote, after):
    paragraph = before + quote + after
    folded_quote, folded = folder.fold(quote).text, folder.fold(paragraph).text
    starts = [i for i in range(len(folded)) if folded.startswith(folded_quote, i)]  # overlapping too
    if not folded_quote or len(starts) != 1:
        return
    span = anchor(folder, [paragraph], quote)
    assert isinstance(span, Span)
    assert folder.fold(paragraph[span.start:span.end]).text == folded_quote


@settings(max_examples=100, deadline=None)
@given(paragraph=text)
@pytest.mark.parametrize("config", ["s2t", "s2tw"])  # OpenCC's standard, and the Traditional edition's
def test_converted_script_anchors_back(folder, paragraph, config):
    traditional = opencc.OpenCC(config).convert(paragraph)
    folded = folder.fold(paragraph).text
    if not folded or len(traditional) != len(paragraph) or folder.fold(traditional).text != folded:
        return
    assert isinstance(anchor(folder, [traditional], paragraph), Span)
