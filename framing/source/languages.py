"""The language of an archived article: a BCP 47 tag, checked, and guessed from a capture's text.

Chinese is written zh-Hans or zh-Hant: the script decides how the editions convert it, so a bare
``zh`` (or a region such as ``zh-CN``) is not enough. Any other language keeps a plain tag (``en``,
``fr``, ``ja``, ``en-GB``) and is never converted. Nothing here does I/O.
"""

from __future__ import annotations

import re

CHINESE = ("zh-Hans", "zh-Hant")
# language, then optional script, region and variant subtags (RFC 5646, without extensions and private use)
_TAG = re.compile(r"[a-z]{2,3}(?:-[A-Z][a-z]{3})?(?:-(?:[A-Z]{2}|\d{3}))?(?:-(?:[a-z0-9]{5,8}|\d[a-z0-9]{3}))*")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")


def is_chinese(language: str) -> bool:
    """Whether text in this language is Chinese, converted between the scripts by the editions."""
    return language.split("-")[0] == "zh"


def is_spaced(language: str) -> bool:
    """Whether words in this language are separated by spaces, so that a quote must start and end at a
    word boundary (Latin, Greek and Cyrillic scripts); Chinese and Japanese are not."""
    return language.split("-")[0] not in {"zh", "ja", "ko", "th", "lo", "km", "my"}


def canonical(tag: str) -> str:
    """The tag in its usual case (ZH-hans -> zh-Hans, en-gb -> en-GB); the subtags otherwise as given."""
    parts = tag.split("-")
    out = [parts[0].lower()]
    for part in parts[1:]:
        if len(part) == 4 and part.isalpha():
            out.append(part.title())
        elif len(part) == 2 and part.isalpha():
            out.append(part.upper())
        else:
            out.append(part.lower())
    return "-".join(out)


def language_problem(tag: str) -> tuple[str, str] | None:
    """(what is wrong, how to fix it) for a tag an article cannot have; None for a good one (in canonical form)."""
    if not _TAG.fullmatch(tag):
        return f"'{tag}' is not a language tag", "write a BCP 47 tag: zh-Hans, zh-Hant, en (or another, such as fr or en-GB)"
    if tag.split("-")[0] == "zh" and tag not in CHINESE:
        return (f"'{tag}' does not say which script the Chinese text is written in",
                "write zh-Hans (Simplified) or zh-Hant (Traditional): the editions convert between them")
    return None


def detect_language(text: str) -> str:
    """zh (either script: the caller tells which) where the Han characters are at least a quarter as
    many as the Latin letters (a Chinese word is a character or two, an English one about five
    letters), else en: a guess the editor confirms or corrects in the article's 'language:'."""
    han = len(_HAN.findall(text))
    latin = len(_LATIN.findall(text))
    return "zh" if han and han >= latin / 4 else "en"
