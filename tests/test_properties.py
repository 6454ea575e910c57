"""Property-based tests: slugs never escape their folder; script folding is idempotent and maps back.

Quote anchoring has its own properties in tests/test_anchor.py.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath, PureWindowsPath

import opencc
import pytest
from hypothesis import HealthCheck, example, given, settings, strategies as st

from framing.source.anchor import TextFolder
from framing.errors import UsageError
from framing.source.fields import SLUG_MAX, SLUG_PATTERN, is_slug, parse_date
from framing.commands.importer import import_capture

# Characters that matter to paths on some system, mixed with ordinary slug characters.
PATHLIKE = st.text(alphabet=st.one_of(st.sampled_from("abcz09-_./\\:~ \t\n\x00\x1b%$*?<>|\"'"),
                                      st.characters(codec="utf-8")), max_size=24)


def safe_as_file_name(slug: str) -> bool:
    """One plain path component on POSIX and on Windows, not hidden, no control characters."""
    return (len(PurePosixPath(slug).parts) == 1 and len(PureWindowsPath(slug).parts) == 1
            and not PureWindowsPath(slug).drive and slug not in (".", "..") and not slug.startswith(".")
            and slug.isprintable() and slug.isascii() and slug == slug.strip())


@settings(max_examples=400, deadline=None)
@given(PATHLIKE)
@example("../evil")
@example("/etc/passwd")
@example("C:evil")
@example("a\nb")
@example("evil\n")
def test_every_slug_the_pattern_accepts_is_one_plain_file_name(slug):
    if is_slug(slug):
        assert safe_as_file_name(slug)
        assert slug == slug.lower() and "--" not in slug and not slug.startswith("-") and not slug.endswith("-")


@settings(max_examples=200, deadline=None)
@given(st.from_regex(SLUG_PATTERN, fullmatch=True))
def test_every_generated_slug_is_a_file_inside_its_folder(slug):
    articles = Path("/archive/content/articles")
    target = (articles / f"{slug}.md").resolve()
    assert target.parent == articles and safe_as_file_name(slug)


@pytest.fixture(scope="module")
def import_root(tmp_path_factory):
    root = tmp_path_factory.mktemp("imports")
    capture = root / "incoming" / "capture.txt"
    capture.parent.mkdir()
    capture.write_text("标题\n\n正文。\n", encoding="utf-8")
    (root / "content").mkdir()
    return root, capture


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(slug=PATHLIKE | st.from_regex(SLUG_PATTERN, fullmatch=True))
@example(slug="../escape")
@example(slug="..")
@example(slug="/tmp/escape")
@example(slug="ok-slug")
@example(slug="0" * 300)  # a name longer than a file system takes: refused, not an OSError
@example(slug="a" * SLUG_MAX)
def test_import_slug_never_writes_outside_articles(import_root, slug):
    root, capture = import_root
    content = root / "content"
    before = {p for p in root.rglob("*")}
    try:
        imported = import_capture(capture, slug, content, [])
    except UsageError as error:
        assert not is_slug(slug) or "already exists" in str(error)
        assert {p for p in root.rglob("*")} == before  # nothing written on refusal
        return
    assert is_slug(slug)
    assert imported.article.resolve().parent == (content / "articles").resolve()
    assert imported.capture.resolve().parent == (content / "captures").resolve()
    imported.article.unlink()


# ---------------------------------------------------------------- script normalisation

@pytest.fixture(scope="module")
def folder():
    return TextFolder(opencc.OpenCC("t2s"))


han = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
compat = st.characters(min_codepoint=0xF900, max_codepoint=0xFAFF)  # CJK compatibility ideographs
wide = st.characters(min_codepoint=0xFF01, max_codepoint=0xFF5E)  # full-width ASCII
marks = st.sampled_from("“”‘’「」『』﹁﹂„‚,。、:;!?  \t\u3000\u00a0\u2028")
anything = st.characters(codec="utf-8")
TEXT = st.text(alphabet=st.one_of(han, compat, wide, marks, anything, st.sampled_from("Qwen 6亿")), max_size=80)


@settings(max_examples=500, deadline=None)
@given(TEXT)
@example("黃仁勛稱Qwen是頂尖開源模型。")
@example("Ａｉｒｂｎｂ　ＣＥＯ「開源」")
def test_folding_is_idempotent(folder, text):
    once = folder.fold(text).text
    assert folder.fold(once).text == once


@settings(max_examples=500, deadline=None)
@given(TEXT)
def test_folding_maps_every_character_back_to_its_original(folder, text):
    folded = folder.fold(text)
    positions = folded.positions if folded.positions is not None else tuple(range(len(text)))
    assert len(positions) == len(folded.text)  # one original offset per folded character
    assert list(positions) == sorted(set(positions))  # strictly increasing: order kept, nothing doubled
    assert all(0 <= p < len(text) for p in positions)
    for index, position in enumerate(positions):
        assert folder.fold(text[position]).text == folded.text[index]
    dropped = set(range(len(text))) - set(positions)
    assert all(folder.fold(text[i]).text == "" for i in dropped)  # only white space is dropped
    assert folded.original(len(folded.text), len(text)) == (len(text) if folded.positions is not None else len(folded.text))
    assert " " not in folded.text and all(not c.isspace() for c in folded.text)


def to_full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else "\u3000" if c == " " else c for c in text)


@settings(max_examples=300, deadline=None)
@given(TEXT, st.lists(st.integers(min_value=0, max_value=80), max_size=5), st.sampled_from([" ", "\n", "\u3000", "\t"]))
def test_folding_ignores_width_and_white_space(folder, text, cuts, space):
    folded = folder.fold(text).text
    assert folder.fold(to_full_width(text)).text == folded
    spaced = text
    for cut in sorted(cuts, reverse=True):
        spaced = spaced[:cut] + space + spaced[cut:]
    assert folder.fold(spaced).text == folded


# ---------------------------------------------------------------- dates

@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("0123456789-: T/"), max_size=20) | st.text(max_size=20))
def test_parse_date_never_raises(text):
    import datetime as dt
    date, why = parse_date(text, dt.date(2026, 1, 1))
    assert (date is None) == bool(why)
    if date is not None:
        assert date.year >= 1 and (date.month is None or 1 <= date.month <= 12)
        assert date.iso() <= "2026-01-01" or date.iso().startswith("2026-01-01")
