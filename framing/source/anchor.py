"""Anchoring a quote to exactly one passage of an article, whatever its script and spacing.

Both the article and the quote are folded the same way, one code point at a time so offsets map
back: Unicode compatibility forms (full-width and half-width punctuation), curly quotes, and
every Traditional form of a character to one Simplified one (framing/source/scriptfold.py) and case are folded, and white
space is dropped; in a language with spaces between words the passage must also start and end at
word boundaries and have the quote's words (framing/source/latin.py). A quote must then match exactly once; prefix and suffix choose between repeats. A quote
that matches nowhere is never attached to a lookalike: the error names the closest passage.
"""

from __future__ import annotations

from array import array
import unicodedata
from dataclasses import dataclass
from typing import Sequence

from framing.source.records import Span
from framing.source.latin import at_word_boundaries, same_words

_QUOTE_MARKS = {"“": '"', "”": '"', "„": '"', "‟": '"', "「": '"', "」": '"', "『": '"', "』": '"',
                "‘": "'", "’": "'", "‚": "'", "‛": "'", "﹁": '"', "﹂": '"'}


class TextFolder:
    """Folds text for comparison; keeps a per-character table so each character is converted once."""

    def __init__(self, t2s_converter):
        self._t2s = t2s_converter
        self._table: dict[int, str] = {}
        self._memo: dict[str, Folded] = {}  # each paragraph is folded once per build, then reused

    def _fold_char(self, char: str) -> str:
        if char.isspace():
            return " "
        folded = unicodedata.normalize("NFKC", char)
        if len(folded) != 1:
            folded = char
        folded = _QUOTE_MARKS.get(folded, folded)
        lower = folded.lower()
        if len(lower) == 1:
            folded = lower
        if folded >= "\u2e80":
            simplified = self._t2s.convert(folded)
            if len(simplified) == 1:
                folded = simplified
        return " " if folded.isspace() else folded

    def fold(self, text: str) -> "Folded":
        known = self._memo.get(text)
        if known is not None:
            return known
        table = self._table
        for char in set(text):
            if ord(char) not in table:
                table[ord(char)] = self._fold_char(char)
        spaced = text.translate(table)
        if " " not in spaced:
            folded = Folded(spaced, None)
        else:
            folded = Folded(spaced.replace(" ", ""), array("I", (i for i, c in enumerate(spaced) if c != " ")))
        self._memo[text] = folded
        return folded


@dataclass(frozen=True)
class Folded:
    """Folded text without white space, and where each of its characters was in the original."""

    text: str
    positions: Sequence[int] | None  # None: the identity; else an array of 4-byte offsets (an archive holds many)

    def original(self, index: int, length: int) -> int:
        """Offset in the original text of folded index (index == len(text) maps to the end)."""
        if self.positions is None:
            return index
        if index < len(self.positions):
            return self.positions[index]
        return length


@dataclass(frozen=True)
class AnchorFailure:
    """Why a quote did not anchor, with what to show the editor."""

    reason: str  # "empty", "nowhere", "ambiguous"
    count: int = 0
    closest: str = ""
    closest_paragraph: int = -1
    occurrences: tuple[Span, ...] = ()


def _occurrences(haystack: str, needle: str) -> list[int]:
    found, start = [], haystack.find(needle)
    while start != -1:
        found.append(start)
        start = haystack.find(needle, start + 1)
    return found


def _closest(folded: list[Folded], paragraphs: tuple[str, ...], quote: str) -> tuple[str, int]:
    """The passage most like the quote: around the longest run they share, the quote's length."""
    import difflib  # only for the message of a quote that is not found: a build never needs it

    best = (0, -1, 0)  # shared length, paragraph, start in folded paragraph
    for index, para in enumerate(folded):
        matcher = difflib.SequenceMatcher(None, para.text, quote, autojunk=False)
        match = matcher.find_longest_match(0, len(para.text), 0, len(quote))
        if match.size > best[0]:
            best = (match.size, index, max(0, match.a - match.b))
    size, index, start = best
    if index < 0:
        return "", -1
    para = folded[index]
    end = min(len(para.text), start + len(quote))
    original = paragraphs[index]
    first = para.original(start, len(original))
    last = para.original(end - 1, len(original)) + 1 if end > start else first
    return original[first:last], index


def anchor_quote(folder: TextFolder, paragraphs: tuple[str, ...], folded: list[Folded],
                 quote: str, prefix: str = "", suffix: str = "", spaced: bool = False) -> Span | AnchorFailure:
    """The one span of paragraphs that the quote (with optional prefix/suffix) designates. spaced: the
    article's language puts spaces between words, so a passage must also start and end at word
    boundaries and have the quote's words (framing/source/latin.py)."""
    needle = folder.fold(quote).text
    if not needle:
        return AnchorFailure("empty")
    before, after = folder.fold(prefix).text, folder.fold(suffix).text
    spans: list[Span] = []
    for index, para in enumerate(folded):
        for start in _occurrences(para.text, needle):
            end = start + len(needle)
            if before and not para.text[:start].endswith(before):
                continue
            if after and not para.text[end:].startswith(after):
                continue
            length = len(paragraphs[index])
            span = Span(index, para.original(start, length), para.original(end - 1, length) + 1)
            if spaced and not (at_word_boundaries(paragraphs[index], span.start, span.end)
                               and same_words(quote, paragraphs[index][span.start:span.end])):
                continue
            spans.append(span)
    if len(spans) == 1:
        return spans[0]
    if spans:
        return AnchorFailure("ambiguous", count=len(spans), occurrences=tuple(spans))
    closest, where = _closest(folded, paragraphs, needle)
    return AnchorFailure("nowhere", closest=closest, closest_paragraph=where)
