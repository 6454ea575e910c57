"""The site's editions and script conversion with OpenCC, done once per distinct text.

Three editions: Simplified (zh-hans), Traditional (zh-hant) and English (en). The default edition
sits at the root of the site, the others under /<code>/. Chinese text is converted with OpenCC's
plain s2t / t2s character and phrase tables (never the regional s2twp, which would rewrite an
author's vocabulary). The English edition shows Chinese text in the script it was captured in. Text
in another language (an English article) is never converted: each edition shows it as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import opencc

from framing.source.config import EDITION_CODES

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


class ScriptConverter:
    """Converts Chinese text between scripts, remembering each conversion it has made."""

    def __init__(self) -> None:
        self._engines = {"zh-Hant": opencc.OpenCC("s2t"), "zh-Hans": opencc.OpenCC("t2s")}
        self._memo: dict[tuple[str, str], str] = {}

    def engine(self, target: str) -> opencc.OpenCC:
        """The OpenCC converter into script target (zh-Hans or zh-Hant), for callers with memos of their own."""
        return self._engines[target]

    def text(self, text: str, source: str, target: str | None) -> str:
        """text written in script source, shown in script target (None or equal: unchanged). Text in
        any other language than Chinese (source en, fr, …) is never converted."""
        if not text or target is None or target == source or source not in self._engines:
            return text
        key = (target, text)
        converted = self._memo.get(key)
        if converted is None:
            converted = self._engines[target].convert(text)
            self._memo[key] = converted
        return converted

    def html(self, html: str, source: str, target: str | None) -> str:
        """Convert the text of an HTML fragment, leaving tags and attribute values (URLs) alone."""
        if target is None or target == source or source not in self._engines:
            return html
        return "".join(part if part.startswith("<") else self.text(part, source, target) for part in _TAG.split(html))
