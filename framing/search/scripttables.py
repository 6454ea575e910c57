"""The character tables the search page works with, taken from OpenCC at build time and published as assets.

The index holds Simplified text (framing/search/searchrecords.py): the search page folds a query to
Simplified with script_table(), and the Traditional search page shows excerpts in Traditional with
excerpt_table(), a character at a time.
"""

from __future__ import annotations

import functools
import json

from framing.site.editions import ScriptConverter

SCRIPT_TABLE = "script-table.json"  # the asset name of script_table(): the search page folds queries with it
EXCERPT_TABLE = "excerpt-table.json"  # the asset name of excerpt_table(): the Traditional search page's excerpts

# Every Han character OpenCC knows: the CJK Unified Ideographs, Extension A and the compatibility block.
_HAN_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))


def _table(pairs: list[tuple[str, str]]) -> dict[str, str]:
    return {"from": "".join(source for source, _ in pairs), "to": "".join(target for _, target in pairs)}


def _converted(converter: ScriptConverter, characters: list[str], source: str, target: str) -> list[str]:
    """Each character converted alone (in one call: a conversion that joined or split lines is done one at a time)."""
    converted = converter.text("\n".join(characters), source, target).split("\n")
    if len(converted) != len(characters):
        converted = [converter.text(character, source, target) for character in characters]
    return converted


@functools.lru_cache(maxsize=4)  # the same for a converter each time; the live preview asks at every save
def _pairs(converter: ScriptConverter) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(Han character, its Simplified form) of every character that has another, and (Simplified
    character, its Traditional form) of every one of those forms that has another."""
    characters = [chr(code) for first, last in _HAN_RANGES for code in range(first, last + 1)]
    folded = _converted(converter, characters, "zh-Hant", "zh-Hans")
    simplified = [(source, target) for source, target in zip(characters, folded) if target != source and len(target) == 1]
    targets = sorted({target for _, target in simplified})
    shown = _converted(converter, targets, "zh-Hans", "zh-Hant")
    return simplified, [(source, target) for source, target in zip(targets, shown) if target != source and len(target) == 1]


def script_table(converter: ScriptConverter) -> bytes:
    """Every Han character that has another Simplified form, as JSON {"from": characters, "to": their
    Simplified forms, character for character}: what the search page folds a query with (a
    character at a time, so phrase-level choices are OpenCC's defaults; the query as typed is looked
    for too)."""
    return json.dumps(_table(_pairs(converter)[0]), ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def excerpt_table(converter: ScriptConverter) -> bytes:
    """The same for Traditional forms: what the Traditional search page shows excerpts with (the index
    holds Simplified text), character by character."""
    return json.dumps(_table(_pairs(converter)[1]), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
