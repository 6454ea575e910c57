"""The English edition's check: no Chinese on an English page but quotations, archived text and names.

What is read is the assembled English pages' visible text (the <body>, without scripts and styles).
A run of Han characters is allowed only inside an element whose lang is Chinese: the archived
paragraphs, quoted passages, authors' names, and Chinese words that English notes quote (marked by
framing/marking.py) are so marked. A Chinese run anywhere else is reported, and so is one inside an
element marked data-untranslated: a text the English edition shows as written because its English
version is missing (an article's title_en, outlet_en, notes_en, a source's note_en, a claim source's
title_en where the archive describes an untitled source in Chinese, '[…]'). Each problem
names the content file and line to fix where the text can be traced to one, else the page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from .errors import ContentError
from .frontmatter import split_front_matter
from .records import Archive
from .textfile import read_text

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff][^<>]*?(?=[^\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]{12}|$)")
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


class _Reader(HTMLParser):
    """Collects the Han runs of a page's visible text with the lang and marks around each."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.stack: list[tuple[str, str | None, bool, bool]] = []  # tag, lang, untranslated, hidden
        self.found: list[Finding] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            return
        values = dict(attrs)
        outer = self.stack[-1] if self.stack else ("", None, False, False)
        lang = values.get("lang") if "lang" in values else outer[1]
        self.stack.append((tag, lang, outer[2] or "data-untranslated" in values, outer[3] or tag in _HIDDEN))

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, -1, -1):
            if self.stack[depth][0] == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        if not self.stack or self.stack[-1][3] or not _HAN_CHAR.search(data):
            return
        _, lang, untranslated, _ = self.stack[-1]
        chinese = bool(lang) and lang.lower().split("-")[0] == "zh"
        if untranslated or not chinese:
            self.found.append(Finding(self.page, " ".join(data.split()), untranslated))


def chinese_on_english_pages(files: dict[str, bytes]) -> list[Finding]:
    """Every Chinese text the English pages among files show outside quotations, archived text and names."""
    found: list[Finding] = []
    for path in sorted(files):
        if PAGES.match(path):
            reader = _Reader(path)
            reader.feed(files[path].decode("utf-8"))
            reader.close()
            found.extend(reader.found)
    return found


def _key_line(root: Path, shown: str, key: str, index: int | None = None, inner: str | None = None) -> int | None:
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
