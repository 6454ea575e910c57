"""Claim-like passages of English text, for the coverage report (framing/source/coverage.py).

The English counterparts of the Chinese patterns: a number with a unit, currency, percentage or
scale (framing/source/numbers_en.py), a quotation in curly or straight double quotes, and a clause with an
attribution: a reporting verb (said, told, claimed, alleged, denied …) or "according to". A clause
runs between clause marks: , ; : and a sentence's end (a full stop, ! or ? before white space).
"""

from __future__ import annotations

import re
from typing import Iterator

from framing.source.numbers_en import find_english_quantities

QUOTATION = re.compile(r"“[^”]{2,}”|\"[^\"]{2,}\"")
ATTRIBUTION = re.compile(r"\b(?:said|says|say|told|tells|stated|states|claimed|claims|alleged|alleges|denied|denies|"
                         r"reported|reports|noted|notes|added|wrote|warned|argued|insisted|acknowledged|admitted|"
                         r"pointed out|according to)\b", re.I)
_CLAUSE_END = re.compile(r"[,;:](?=\s|$)|[.!?](?=[\s”\"]|$)")


def _clause(text: str, position: int) -> tuple[int, int]:
    """The clause around position: from just after the previous clause mark to the next one."""
    start = 0
    for mark in _CLAUSE_END.finditer(text, 0, position):
        start = mark.end()
    after = _CLAUSE_END.search(text, position)
    end = after.start() if after else len(text)
    while start < end and (text[start].isspace() or text[start] in "”\"’"):
        start += 1
    return start, end


def english_claim_like(paragraph: str) -> Iterator[tuple[int, int, str, str]]:
    """(start, end, kind, text) of each number, quotation and attribution clause of an English paragraph."""
    for quantity in find_english_quantities(paragraph):
        yield quantity.start, quantity.end, "number", quantity.text
    for match in QUOTATION.finditer(paragraph):
        yield match.start(), match.end(), "quotation", match.group()
    for match in ATTRIBUTION.finditer(paragraph):
        start, end = _clause(paragraph, match.start())
        yield start, end, "attribution", paragraph[start:end]
