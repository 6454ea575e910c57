"""Articles: front matter with provenance, and a body checked byte for byte against its capture.

The body must be the capture's non-blank lines outside the trimmed ranges, one paragraph each: an
edited word is an error naming the paragraph and the capture line it differs from.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace
from pathlib import Path
from typing import Iterable

from framing.errors import ContentError
from framing.source.fields import RESERVED_ARTICLE_SLUGS, FieldReader
from framing.source.frontmatter import LocatedDict, split_front_matter
from framing.source.loader import Loader, check_slug, link_problem, stem_and_language
from framing.source.records import Article, Place, SourceLink, Trim, SCRIPTS
from framing.source.textfile import MAX_FILE_BYTES, decode_utf8, read_text
from framing.source.lineends import converted_capture, converted_capture_problem
from framing.source.provenance import read_accessed, read_article_dates
from framing.source.languages import canonical, is_chinese, language_problem

_TRIM_RANGE = re.compile(r"(\d+)-(\d*)")


def _body_paragraphs(body: str, first_line: int) -> list[tuple[str, int]]:
    """Blank-line separated blocks of the body, each with its file line."""
    blocks: list[tuple[str, int]] = []
    current: list[str] = []
    start = first_line
    for offset, line in enumerate(body.split("\n")):
        if line.strip():
            if not current:
                start = first_line + offset
            current.append(line.strip())
        elif current:
            blocks.append(("\n".join(current), start))
            current = []
    if current:
        blocks.append(("\n".join(current), start))
    return blocks


def _first_difference(a: str, b: str) -> int:
    for index, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return index
    return min(len(a), len(b))


def _read_trims(fields: FieldReader, problems: list[ContentError], capture_length: int) -> tuple[Trim, ...]:
    trims: list[Trim] = []
    for entry in fields.mappings("trimmed"):
        text = entry.text("lines")
        what = entry.text("what")
        entry_what_en = entry.text("what_en", required=False)
        entry.finish()
        match = _TRIM_RANGE.fullmatch(text.replace(" ", "")) if text else None
        if text and not match:
            entry.error("lines", f"'{text}' is not a line range", "write lines: 12-40 (or 41- to the end of the capture)")
            continue
        if not match:
            continue
        first, last = int(match.group(1)), int(match.group(2)) if match.group(2) else None
        if first < 1 or (last is not None and last < first) or (capture_length and first > capture_length):
            entry.error("lines", f"the range {text} is not within the capture's {capture_length} lines",
                        "count lines from 1, as an editor shows them")
            continue
        trims.append(Trim(first, last, what, entry_what_en))
    overlap = first_overlap(trims)
    if overlap:
        fields.error("trimmed", f"the trimmed ranges {overlap[0].label()} and {overlap[1].label()} overlap",
                     "merge them into one range")
    return tuple(sorted(trims, key=lambda t: t.first))


def first_overlap(trims: Iterable[Trim]) -> tuple[Trim, Trim] | None:
    """The first two ranges, in capture order, that share a line; None where none do."""
    ordered = sorted(trims, key=lambda t: t.first)
    for earlier, later in zip(ordered, ordered[1:]):
        if earlier.last is None or later.first <= earlier.last:
            return earlier, later
    return None


def kept_capture_lines(capture_text: str, trims: Iterable[Trim]) -> list[tuple[int, str]]:
    """(line number, text stripped of edge white space) of the capture's non-blank lines outside the trimmed ranges."""
    trims = tuple(trims)
    kept = []
    for number, line in enumerate(capture_text.split("\n"), start=1):
        if not line.strip():
            continue
        if any(t.first <= number and (t.last is None or number <= t.last) for t in trims):
            continue
        kept.append((number, line.strip()))
    return kept


def _verify_verbatim(shown: str, capture_name: str, blocks: list[tuple[str, int]],
                     kept: list[tuple[int, str]], problems: list[ContentError]) -> None:
    """The body must be exactly the capture's kept lines, one paragraph each."""
    for (text, line), (capture_line, original) in zip(blocks, kept):
        if text != original:
            at = _first_difference(text, original)
            problems.append(ContentError(
                shown, line,
                f"this paragraph differs from line {capture_line} of the capture {capture_name} at character {at + 1}: "
                f"the body has “{text[max(0, at - 8):at + 12]}”, the capture “{original[max(0, at - 8):at + 12]}”",
                "the body is the capture verbatim: restore the capture's text (corrections go into annotations), "
                "or record page chrome under 'trimmed'"))
            return
    if len(blocks) > len(kept):
        text, line = blocks[len(kept)]
        problems.append(ContentError(shown, line, "this paragraph is not in the capture (after the trimmed lines)",
                                     "remove it, or check the 'trimmed' ranges"))
    elif len(kept) > len(blocks):
        capture_line, original = kept[len(blocks)]
        problems.append(ContentError(shown, blocks[-1][1] if blocks else None,
                                     f"line {capture_line} of the capture (“{original[:20]}…”) is missing from the body",
                                     "restore it, or record it under 'trimmed' with what it is"))


def read_language(fields: FieldReader) -> str:
    """The article's language: 'language:' (a BCP 47 tag), with 'script:' (zh-Hans or zh-Hant) accepted
    for it, as articles written before 'language:' have it, or beside a bare 'language: zh'."""
    tag = fields.text("language", required=False)
    script = fields.choice("script", SCRIPTS, required=False)
    if not tag and not script:
        fields.error(None, "the required field 'language' is missing or empty",
                     "add 'language: zh-Hans' (or zh-Hant, en, …): the language the article is written in")
        return ""
    if tag:
        tag = canonical(tag)
    if tag in ("", "zh") and script:
        return script
    problem = language_problem(tag)
    if problem:
        fields.error("language", *problem)
        return ""
    if script and script != tag:
        fields.error("script", f"'script: {script}' contradicts 'language: {tag}'",
                     "remove 'script:': 'language:' says it all (zh-Hans or zh-Hant for Chinese)")
        return ""
    return tag


def _translations(fields: FieldReader, language: str) -> dict[str, str]:
    """title_en, title_zh, outlet_en and notes_en: each refused where it would translate a text into
    its own language (an English title needs no title_en, a Chinese one no title_zh)."""
    found = {"title_en": fields.text("title_en", required=False), "title_zh": fields.text("title_zh", required=False),
             "outlet_en": fields.text("outlet_en", required=False),
             "notes_en": fields.text("notes_en", required=False, single_line=False)}
    if language.split("-")[0] == "en" and found["title_en"]:
        fields.error("title_en", "the article is in English: its title is shown as it is in every edition",
                     "remove 'title_en:' (a Chinese translation goes into 'title_zh:')")
    if is_chinese(language) and found["title_zh"]:
        fields.error("title_zh", "the article is in Chinese: its title is shown as it is in the Chinese editions",
                     "remove 'title_zh:' (an English translation goes into 'title_en:')")
    return found


def load_article(loader: Loader, path: Path, problems: list[ContentError]) -> Article | None:
    """The article in the file at path, or None with its problems added. With the loader's memo, it is
    read and checked again only when the file or its capture changed."""
    if loader.memo is None:
        return _read_article(loader, path, problems)
    shown = loader.shown(path)
    paths = [path]
    parsed: list[tuple[LocatedDict, str, int]] = []  # the front matter, where reading the capture's name parsed it
    capture = loader.remembered(("capture", path), [path], shown, lambda: _capture_named(path, shown, parsed))
    if capture:
        paths.append(loader.content_dir / "captures" / capture)
    article, found = loader.remembered(("article", path), paths, (shown, loader.today),
                                       lambda: _checked_article(loader, path, parsed[0] if parsed else None))
    problems.extend(found)
    return article


def _capture_named(path: Path, shown: str, parsed: list[tuple[LocatedDict, str, int]]) -> str | None:
    """The capture file the article at path names, where it names one plainly (_read_article reports
    any other); the parsed front matter is added to parsed, for reading the article."""
    try:
        parsed.append(split_front_matter(read_text(path, shown), shown))
    except ContentError:
        return None
    capture = parsed[0][0].get("capture")
    return capture if isinstance(capture, str) and capture and _plain_file_name(capture) else None


def _plain_file_name(name: str) -> bool:
    """Whether name can only be a file in content/captures/: no folders, drive letters, leading dot or control characters."""
    return not ("/" in name or "\\" in name or ":" in name or name.startswith(".") or not name.isprintable())


def _checked_article(loader: Loader, path: Path, parsed: tuple[LocatedDict, str, int] | None) -> tuple[Article | None, tuple[ContentError, ...]]:
    found: list[ContentError] = []
    return _read_article(loader, path, found, parsed), tuple(found)


def _read_article(loader: Loader, path: Path, problems: list[ContentError],
                  parsed: tuple[LocatedDict, str, int] | None = None) -> Article | None:
    shown = loader.shown(path)
    slug, language = stem_and_language(path)
    if language != "zh":
        problems.append(ContentError(shown, None, "articles have no English file", "English commentary goes in content/annotations/<slug>.en.md"))
        return None
    if not check_slug(slug, shown, "article", problems):
        return None
    if slug in RESERVED_ARTICLE_SLUGS:
        problems.append(ContentError(shown, None, f"'{slug}' is the name of the article list's pages (articles/{slug}/2/, …)",
                                     f"rename the file, e.g. {slug}-1.md"))
        return None
    try:  # read once, and not kept: an article's front matter holds its whole text
        data, body, body_line = parsed or split_front_matter(read_text(path, shown), shown)
    except ContentError as exc:
        problems.append(exc)
        return None
    before = len(problems)
    fields = FieldReader(data, shown, problems, loader.today)
    capture = fields.text("capture")
    declared_hash = fields.text("sha256").lower()
    capture_text = ""
    if capture:
        capture_path = loader.content_dir / "captures" / capture
        if not _plain_file_name(capture):
            fields.error("capture", f"'{capture}' is not a plain file name",
                         "name a file in content/captures/, without folders, drive letters or control characters")
        elif link_problem(capture_path, loader.content_dir.resolve()):
            pass  # reported with the captures folder
        elif not capture_path.is_file():
            fields.error("capture", f"the capture content/captures/{capture} does not exist",
                         "add it with 'python build.py import CAPTURE --slug SLUG', which copies and hashes it")
        elif capture_path.stat().st_size > MAX_FILE_BYTES:
            fields.error("capture", f"the capture content/captures/{capture} is {capture_path.stat().st_size / 1024 / 1024:.1f} MB "
                         f"(at most {MAX_FILE_BYTES // 1024 // 1024} MB)", "check that this is the right file: one article's page as text")
        else:
            raw = capture_path.read_bytes()
            actual = hashlib.sha256(raw).hexdigest()
            if declared_hash and actual != declared_hash:
                if converted_capture(raw, declared_hash):
                    fields.error("sha256", *converted_capture_problem(capture))
                else:
                    fields.error("sha256", f"the SHA-256 of content/captures/{capture} is {actual}, not {declared_hash}",
                                 "captures are never edited: restore the original file (or, for a new capture, correct the hash)")
            try:
                capture_text = decode_utf8(raw, f"content/captures/{capture}")
            except ContentError as exc:
                problems.append(exc)
    language = read_language(fields)
    sources = []
    for entry in fields.mappings("sources"):
        sources.append(SourceLink(entry.url("url"), entry.text("note", required=False), entry.text("note_en", required=False),
                                  read_accessed(entry, None)))
        entry.finish()
    published = fields.date("published", required=False)
    dates = read_article_dates(fields, published)
    article = Article(
        slug=slug, place=Place(shown, 1),
        title=fields.text("title"), outlet=fields.text("outlet"),
        authors=fields.text_list("authors"), published=published,
        sources=tuple(sources),
        language=language, script=language, capture=capture, sha256=declared_hash,
        trims=_read_trims(fields, problems, capture_text.count("\n") + 1 if capture_text else 0),
        notes=fields.text("notes", required=False, single_line=False),
        paragraphs=(), capture_lines=(), captured=dates.captured,
        published_after=dates.published_after, published_before=dates.published_before,
        **_translations(fields, language),
    )
    fields.finish()
    blocks = _body_paragraphs(body, body_line)
    if not blocks:
        problems.append(ContentError(shown, body_line, "the article has no text", "paste the article's paragraphs after the front matter"))
    if capture_text:
        kept = kept_capture_lines(capture_text, article.trims)
        _verify_verbatim(shown, capture, blocks, kept, problems)
    else:
        kept = [(0, text) for text, _ in blocks]
    if len(problems) > before:
        return None
    return replace(article, paragraphs=tuple(t for _, t in kept), capture_lines=tuple(n for n, _ in kept))
