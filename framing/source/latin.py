"""Word boundaries and spacing in text written with spaces between words (English, French, …).

Anchoring compares text folded without white space (framing/source/anchor.py), which suits Chinese. In a
spaced language that alone would let a quote start or end inside a word ("ali" in "Alibaba") and
let "apart" stand for "a part". A passage found there is kept only where it starts and ends at a
word boundary and has the same words as the quote, compared without regard to case, punctuation or
the kind and amount of white space. Nothing here does I/O.
"""

from __future__ import annotations

import re
import unicodedata

_WORD = re.compile(r"[^\W_]+")


def _is_word_char(char: str) -> bool:
    """A letter or digit of a spaced script (a Han character is a word of its own)."""
    return char.isalnum() and not ("\u2e80" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff")


def at_word_boundaries(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] neither starts nor ends inside a word."""
    if start > 0 and _is_word_char(text[start]) and _is_word_char(text[start - 1]):
        return False
    return not (end < len(text) and _is_word_char(text[end - 1]) and _is_word_char(text[end]))


def words(text: str) -> list[str]:
    """The words of text, compatibility-folded and without case: what a quote must share with its passage."""
    return _WORD.findall(unicodedata.normalize("NFKC", text).casefold())


def same_words(quote: str, passage: str) -> bool:
    """Whether the passage is the quote word for word (spacing, case and punctuation aside)."""
    return words(quote) == words(passage)
