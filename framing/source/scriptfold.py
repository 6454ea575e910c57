"""Folding Han characters to one Simplified form each, whatever standard of Traditional script they come in.

Quotes are anchored, articles compared and search queries matched one character at a time
(framing/source/anchor.py, framing/site/shared.py, framing/search/indexer.py script_table), so every form a character
takes must fold to the same character. OpenCC's t2s table alone does not do that for the Taiwan
standard forms the Traditional edition is written in (s2tw): it leaves 著 (which s2tw writes for 着)
and 么 (for 幺) as they are. The fold is therefore made from OpenCC's own tables: every character
is joined with its Traditional form in the edition's standard (s2tw) and with its Simplified forms
in OpenCC's standard and Taiwan's (t2s, tw2s), which joins OpenCC's own Traditional forms (s2t)
too (tests/test_traditional_script.py checks both). Each group of characters so joined folds to
the Simplified form its members convert to most often (a member left as it is counts for itself;
ties go to the lowest code point, so the fold never depends on the order of work).
"""

from __future__ import annotations

import functools
from collections import Counter
from typing import Iterable

import opencc

# Every Han character OpenCC knows: the CJK Unified Ideographs, Extension A and the compatibility block.
HAN_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))
TO_TRADITIONAL = ("s2tw",)  # the Traditional edition's standard (s2t would load dictionaries to join nothing more)
TO_SIMPLIFIED = ("t2s", "tw2s")


def han_characters() -> list[str]:
    return [chr(code) for first, last in HAN_RANGES for code in range(first, last + 1)]


@functools.lru_cache(maxsize=None)
def opencc_engine(config: str) -> opencc.OpenCC:
    """OpenCC's converter with one of its own configurations, made once per process (each loads its dictionaries)."""
    return opencc.OpenCC(config)


def _each(config: str, characters: list[str]) -> list[str]:
    """What OpenCC's config makes of each character on its own (in one call: one per line)."""
    engine = opencc_engine(config)
    converted = engine.convert("\n".join(characters)).split("\n")
    if len(converted) != len(characters):  # a conversion that joined or split lines: one at a time
        converted = [engine.convert(character) for character in characters]
    return converted


class _Groups:
    """Characters joined into groups (union-find), each group known by one of its members."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, character: str) -> str:
        root = character
        while self.parent.get(root, root) != root:
            root = self.parent[root]
        while character != root:  # every member on the way now points at the root
            self.parent[character], character = root, self.parent[character]
        return root

    def join(self, first: str, second: str) -> None:
        a, b = self.find(first), self.find(second)
        self.parent.setdefault(a, a)
        self.parent.setdefault(b, b)
        if a != b:
            self.parent[max(a, b)] = min(a, b)


def fold_table(characters: Iterable[str] | None = None) -> dict[str, str]:
    """{character: the Simplified character it folds to}, for every character that folds to another."""
    characters = list(characters) if characters is not None else han_characters()
    groups = _Groups()
    simplified: list[tuple[str, str]] = []  # (character, a Simplified form OpenCC gives it)

    def convert(configs: tuple[str, ...], these: list[str]) -> None:
        for config in configs:
            for character, converted in zip(these, _each(config, these)):
                if len(converted) != 1:
                    continue
                if converted != character:
                    groups.join(character, converted)
                if config in TO_SIMPLIFIED:  # a vote, where the character is left as it is too
                    simplified.append((character, converted))

    convert(TO_TRADITIONAL + TO_SIMPLIFIED, characters)
    known = set(characters)
    convert(TO_SIMPLIFIED, sorted(set(groups.parent) - known))  # forms beyond the list (Extension B …)
    votes: dict[str, Counter] = {}
    for character, converted in simplified:
        if character in groups.parent:  # a character of a group of two or more
            votes.setdefault(groups.find(character), Counter())[converted] += 1
    table = {}
    for character in list(groups.parent):
        counted = votes.get(groups.find(character))
        if counted:
            target = min(counted, key=lambda c: (-counted[c], c))
            if target != character:
                table[character] = target
    return table


class ScriptFold:
    """The fold as an OpenCC-like converter: convert(text) folds each character on its own."""

    def __init__(self, table: dict[str, str]) -> None:
        self.table = table
        self._translation = str.maketrans(table)

    def convert(self, text: str) -> str:
        return text.translate(self._translation)


@functools.lru_cache(maxsize=1)
def script_fold() -> ScriptFold:
    """The fold of every Han character OpenCC knows (made once per process)."""
    return ScriptFold(fold_table())
