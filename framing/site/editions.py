"""The site's editions and script conversion with OpenCC, done once per distinct text.

Three editions: Simplified (zh-hans), Traditional (zh-hant) and English (en). The default edition
sits at the root of the site, the others under /<code>/. The English edition shows Chinese text in
the script it was captured in. Text
in another language (an English article) is never converted: each edition shows it as written.

Simplified text is shown in Traditional script with OpenCC's s2tw: its character and phrase tables,
then Taiwan's standard forms of the characters (為, 裡, 著 where OpenCC's own standard writes 爲, 裏,
着), and never the regional vocabulary of s2twp (信息 -> 資訊), which would rewrite an author's
words. The phrases of content/script-overrides.yaml are shown as editors wrote them
(framing/source/scriptoverrides.py). Traditional text is shown in Simplified script with OpenCC's t2s.
Quotes, articles and search queries are compared through the character fold of
framing/source/scriptfold.py, which folds the forms of every standard alike.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Iterable

import opencc

from framing.source.config import EDITION_CODES
from framing.source.scriptfold import ScriptFold, opencc_engine, script_fold
from framing.source.scriptoverrides import PhraseOverrides

_TAG = re.compile(r"(<[^>]*>)")


@dataclass(frozen=True)
class Edition:
    """One edition of the site."""

    code: str  # zh-hans, zh-hant, en: the URL segment
    lang: str  # BCP 47 tag for the lang attribute
    ui: str  # which column of the string catalogue: zh or en
    script: str | None  # the script Chinese text is shown in; None: as captured
    prefix: str  # '' for the default edition, else 'code/'


_LANGS = {"zh-hans": ("zh-Hans", "zh", "zh-Hans"), "zh-hant": ("zh-Hant", "zh", "zh-Hant"), "en": ("en", "en", None)}


def editions_for(default: str) -> tuple[Edition, ...]:
    """All editions, the default one first."""
    order = [default] + [code for code in EDITION_CODES if code != default]
    return tuple(Edition(code, *_LANGS[code], "" if code == default else f"{code}/") for code in order)


TRADITIONAL_CONFIG = "s2tw"  # the standard of the Traditional edition (see above and the methodology page)


class ScriptConverter:
    """Converts Chinese text between scripts, remembering each conversion it has made."""

    def __init__(self) -> None:
        self._engines = {"zh-Hant": opencc_engine(TRADITIONAL_CONFIG), "zh-Hans": opencc_engine("t2s")}
        self._overrides = PhraseOverrides()
        self._memo: dict[tuple[str, str], str] = {}

    def engine(self, target: str) -> opencc.OpenCC:
        """OpenCC's converter into script target (zh-Hans or zh-Hant), for callers with memos of
        their own; without the overrides, which text() applies."""
        return self._engines[target]

    def use_overrides(self, pairs: Iterable[tuple[str, str]]) -> None:
        """Show each Simplified phrase of pairs in Traditional script as its form there (the
        archive's script overrides); forgets what it converted under others."""
        overrides = PhraseOverrides(pairs)
        if overrides.pairs != self._overrides.pairs:
            self._overrides = overrides
            self._memo = {key: value for key, value in self._memo.items() if key[0] != "zh-Hant"}

    @property
    def overrides(self) -> tuple[tuple[str, str], ...]:
        """The overrides in use, (Simplified phrase, Traditional form), sorted."""
        return self._overrides.pairs

    def fold(self) -> ScriptFold:
        """The character fold that compares quotes, articles and search queries whatever their script."""
        return script_fold()

    def search_engine(self, lang: str) -> opencc.OpenCC:
        """OpenCC's converter to Simplified for the search index's copy of a page in lang: tw2s for
        the Traditional edition, written in Taiwan's forms (it reads 跟著 as 跟着, where t2s keeps 著),
        and t2s for the others (tw2s would read 显著 as 显着)."""
        return opencc_engine("tw2s") if lang == "zh-Hant" else self._engines["zh-Hans"]

    def text(self, text: str, source: str, target: str | None) -> str:
        """text written in script source, shown in script target (None or equal: unchanged). Text in
        any other language than Chinese (source en, fr, …) is never converted."""
        if not text or target is None or target == source or source not in self._engines:
            return text
        key = (target, text)
        converted = self._memo.get(key)
        if converted is None:
            engine = self._engines[target]
            converted = self._overrides.convert(text, engine.convert) if target == "zh-Hant" else engine.convert(text)
            self._memo[key] = converted
        return converted

    def pieces(self, text: str, source: str, target: str | None) -> Callable[[int, int], str]:
        """For showing text piece by piece (a paragraph cut at its highlights): (start, end) ->
        text[start:end] in script target, cut from the conversion of the whole text where every
        character of that keeps its place (so a phrase across a cut is converted as one, overrides
        too), else converted on its own."""
        whole = self.text(text, source, target)
        fold = self.fold().convert
        if whole == text or (len(whole) == len(text) and fold(whole) == fold(text)):
            return lambda start, end: whole[start:end]
        return lambda start, end: self.text(text[start:end], source, target)

    def html(self, html: str, source: str, target: str | None) -> str:
        """Convert the text of an HTML fragment, leaving tags and attribute values (URLs) alone."""
        if target is None or target == source or source not in self._engines:
            return html
        return "".join(part if part.startswith("<") else self.text(part, source, target) for part in _TAG.split(html))
