"""The English edition's check: no Chinese on an English page but quotations, archived text and names.

What is read is the assembled English pages' visible text (without the <head>, scripts and styles).
A run of Han characters is allowed only inside an element whose lang is Chinese: the archived
paragraphs, quoted passages, authors' names, and Chinese words that English notes quote (marked by
framing/site/marking.py) are so marked. A Chinese run anywhere else is reported, and so is one inside an
element marked data-untranslated: a text the English edition shows as written because its English
version is missing (an article's title_en, outlet_en, notes_en, a source's note_en, a claim source's
title_en where the archive describes an untitled source in Chinese, '[…]'). Each problem
names the content file and line to fix where the text can be traced to one, else the page.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

from framing.errors import ContentError
from framing.source.frontmatter import split_front_matter
from framing.source.records import Archive
from framing.source.textfile import read_text

_HAN_CHAR = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_HIDDEN = {"head", "script", "style", "template"}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
PAGES = re.compile(r"^en/.*\.html$")


@dataclass(frozen=True)
class Finding:
    """Chinese text on an English page: where, what, and whether it stands for a missing translation."""

    page: str
    text: str
    untranslated: bool


_TOKEN = re.compile(r"<!--.*?-->|<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>", re.S)
_LANG = re.compile(r"""\slang=(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")
_UNTRANSLATED = re.compile(r"\sdata-untranslated(?:[\s=/]|$)")


def _page_findings(page: str, html_text: str) -> list[Finding]:
    """The Han runs of one page's visible text that are not in an element with a Chinese lang, or that
    are inside one marked data-untranslated. A tokenizer of regular expressions rather than
    html.parser: a large archive's English edition is hundreds of megabytes."""
    found: list[Finding] = []
    stack: list[tuple[str, str | None, bool, bool]] = []  # tag, lang, untranslated, hidden
    position = 0
    for token in _TOKEN.finditer(html_text):
        text = html_text[position:token.start()]
        position = token.end()
        if text and stack and not stack[-1][3] and _HAN_CHAR.search(text):
            _, lang, untranslated, _ = stack[-1]
            if untranslated or not (lang and lang.lower().split("-")[0] == "zh"):
                found.append(Finding(page, " ".join(html.unescape(text).split()), untranslated))
        closing, name, attributes = token.group(1), token.group(2), token.group(3)
        if name is None:
            continue  # a comment
        name = name.lower()
        if closing:
            for depth in range(len(stack) - 1, -1, -1):
                if stack[depth][0] == name:
                    del stack[depth:]
                    break
        elif name not in _VOID and not attributes.endswith("/"):
            outer = stack[-1] if stack else ("", None, False, False)
            lang = _LANG.search(attributes)
            stack.append((name, next(g for g in lang.groups() if g is not None) if lang else outer[1],
                          outer[2] or bool(_UNTRANSLATED.search(attributes)), outer[3] or name in _HIDDEN))
    return found


def chinese_on_english_pages(files: dict[str, bytes]) -> list[Finding]:
    """Every Chinese text the English pages among files show outside quotations, archived text and names."""
    found: list[Finding] = []
    for path in sorted(files):
        if PAGES.match(path):
            found.extend(_page_findings(path, files[path].decode("utf-8")))
    return found


def _key_line(root: Path, shown: str, key: str, index: int | None = None) -> int | None:
    """The line of a front-matter key of a content file (of entry index of a list under key)."""
    try:
        data, _, _ = split_front_matter(read_text(root / shown, shown), shown)
    except (ContentError, OSError):
        return None
    if index is None:
        return data.lines.get(key, data.line)
    entries = data.get(key)
    if isinstance(entries, list) and index < len(entries.lines):
        return entries.lines[index]
    return data.lines.get(key, data.line)


def _sources_of_text(archive: Archive) -> dict[str, list[tuple[str, str, int | None, str]]]:
    """Chinese texts the English edition may show untranslated -> where each is written: (file, key,
    entry number, the fix)."""
    where: dict[str, list[tuple[str, str, int | None, str]]] = {}

    def add(text: str, shown: str, key: str, index: int | None, fix: str) -> None:
        if text:
            where.setdefault(" ".join(text.split()), []).append((shown, key, index, fix))

    for article in archive.articles:
        shown = article.place.path
        for text, key, english in ((article.title, "title", "title_en"), (article.outlet, "outlet", "outlet_en"),
                                   (article.notes, "notes", "notes_en")):
            add(text, shown, key, None, f"add '{english}:' with an English translation")
        for number, source in enumerate(article.sources):
            add(source.note, shown, "sources", number, "add 'note_en:' beside it, in English")
        for number, trim in enumerate(article.trims):
            add(trim.what, shown, "trimmed", number, "add 'what_en:' beside it, in English")
    for claim in archive.claims:
        for number, source in enumerate(claim.sources):
            add(source.title, claim.place.path, "sources", number, "add 'title_en:' beside the title, in English")
        english = claim.place.path.removesuffix(".md") + ".en.md"
        add(claim.no_source, claim.place.path, "no_source", None, f"add 'no_source:' in English to the front matter of {english}")
    return where


def english_problems(archive: Archive, files: dict[str, bytes], root: Path) -> list[ContentError]:
    """The findings as errors, one per content field (or page) with its fix, in a stable order."""
    where = _sources_of_text(archive)
    problems: dict[tuple, ContentError] = {}
    for finding in chinese_on_english_pages(files):
        sources = where.get(finding.text) if finding.untranslated else None
        if sources:
            for shown, key, index, fix in sources:
                entry = f" (entry {index + 1})" if index is not None else ""
                problems.setdefault((shown, key, index), ContentError(
                    shown, _key_line(root, shown, key, index),
                    f"the English pages show '{key}'{entry} in Chinese (“{finding.text[:40]}”), first on {finding.page}",
                    fix))
        else:
            what = "without its English version" if finding.untranslated else "that is not marked as a quotation"
            problems.setdefault(("page", finding.text), ContentError(
                finding.page, None, f"this English page shows Chinese text {what}: “{finding.text[:60]}”",
                "give the text an English version, or, where it is a quotation or a name, mark it with its lang"))
    return sorted(problems.values(), key=lambda p: (p.path, p.line or 0, p.message))
