"""A raw capture -> content/captures/ (unchanged) + a new article file with its hash.

The article body is every non-blank line of the capture outside the trimmed ranges, one paragraph
each, not a character changed. The language is detected: Chinese where Han characters are common
enough against Latin letters (framing/source/languages.py), and then the script (Simplified or Traditional)
by asking OpenCC which conversion would change more of the text; else English. The editor corrects
it in 'language:' where needed.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import opencc
import yaml

from framing.source.articles import first_overlap, kept_capture_lines
from framing.errors import ContentError, UsageError
from framing.source.fields import RESERVED_ARTICLE_SLUGS, SLUG_RULE, is_slug
from framing.source.records import Trim
from framing.source.textfile import MAX_FILE_BYTES, check_text, decode_utf8
from framing.source.languages import detect_language

_TRIM_OPTION = re.compile(r"\s*(\d+)\s*-\s*(\d*)\s*=\s*(.+)")


@dataclass(frozen=True)
class Imported:
    """What an import wrote."""

    article: Path
    capture: Path
    language: str
    paragraphs: int


def parse_trim(option: str) -> Trim:
    """'46-51=site footer' -> Trim(46, 51, 'site footer'); '40-=related news' runs to the end."""
    match = _TRIM_OPTION.fullmatch(option)
    if not match:
        raise UsageError(f"--trim {option!r}: write START-END=WHAT, e.g. --trim '46-51=the site footer' (END may be empty: to the end)")
    first, last = int(match.group(1)), int(match.group(2)) if match.group(2) else None
    if first < 1 or (last is not None and last < first):
        raise UsageError(f"--trim {option!r}: the range must count from 1 and end after it starts")
    return Trim(first, last, match.group(3).strip())


def detect_script(text: str) -> str:
    """zh-Hant when converting to Simplified changes more characters than converting to Traditional."""
    to_simplified = opencc.OpenCC("t2s").convert(text)
    to_traditional = opencc.OpenCC("s2t").convert(text)
    traditional_chars = sum(a != b for a, b in zip(text, to_simplified))
    simplified_chars = sum(a != b for a, b in zip(text, to_traditional))
    return "zh-Hant" if traditional_chars > simplified_chars else "zh-Hans"


def detect_article_language(text: str) -> str:
    """zh-Hans, zh-Hant or en: the importer's guess at a capture's language."""
    return detect_script(text) if detect_language(text) == "zh" else "en"


def article_text(capture_name: str, digest: str, language: str, paragraphs: list[str], trims: list[Trim]) -> str:
    """The new article file: provenance to fill in, then the verbatim paragraphs."""
    front = {
        "title": "", "outlet": "", "authors": [], "published": None, "sources": [],
        "language": language, "capture": capture_name, "sha256": digest,
        "trimmed": [{"lines": t.label(), "what": t.what} for t in trims],
    }
    header = yaml.safe_dump(front, allow_unicode=True, sort_keys=False, width=1000).replace("published: null", "published:")
    return "---\n" + header + "---\n" + "\n\n".join(paragraphs) + "\n"


def import_capture(capture: Path, slug: str, content_dir: Path, trims: list[Trim]) -> Imported:
    """Copy the capture in, hash it, and write content/articles/<slug>.md; never overwrite."""
    if not is_slug(slug):
        raise UsageError(f"--slug {slug!r}: use {SLUG_RULE}")
    if slug in RESERVED_ARTICLE_SLUGS:
        raise UsageError(f"--slug {slug!r}: the article list's pages use that name; choose another, e.g. {slug}-1")
    if not content_dir.is_dir():
        raise UsageError(f"{content_dir}: the content folder does not exist; run the command in the project folder, "
                         "or pass --content DIR")
    if capture.is_dir():
        raise UsageError(f"{capture}: this is a folder; give the captured text file")
    if not capture.is_file():
        raise UsageError(f"{capture}: no such file")
    if capture.name.startswith(".") or not capture.name.isprintable() or any(c in capture.name for c in ':\\"<>|?*'):
        raise UsageError(f"{capture}: the capture's file name {capture.name!r} would be hidden or invalid in content/captures/; "
                         "rename the file (letters, digits, '.', '-' and '_') and import it again")
    if capture.stat().st_size > MAX_FILE_BYTES:
        raise UsageError(f"{capture}: the file is {capture.stat().st_size / 1024 / 1024:.1f} MB; an article's capture is at most "
                         f"{MAX_FILE_BYTES // 1024 // 1024} MB (check that this is the right file)")
    overlap = first_overlap(trims)
    if overlap:
        raise UsageError(f"--trim {overlap[0].label()} and --trim {overlap[1].label()} overlap; merge them into one range")
    article_path = content_dir / "articles" / f"{slug}.md"
    if article_path.exists():
        raise UsageError(f"{article_path} already exists; choose another --slug (an import never overwrites an article)")
    data = capture.read_bytes()
    text = decode_utf8(data, str(capture))
    line_count = text.count("\n") + 1
    for trim in trims:
        if trim.first > line_count:
            raise UsageError(f"--trim {trim.label()}: the capture has only {line_count} lines")
    paragraphs = [line for _, line in kept_capture_lines(text, trims)]
    if not paragraphs:
        what = "every line is blank" if not text.strip() else "every line that is not blank is trimmed"
        raise UsageError(f"{capture}: {what}, so the article would have no text; check that this is the right file"
                         + (", and the --trim ranges" if trims and text.strip() else ""))
    target = content_dir / "captures" / capture.name
    if target.exists() and target.read_bytes() != data:
        raise ContentError(str(target), None, "a different capture with this file name is already archived",
                           "rename the new capture before importing it")
    language = detect_article_language(text)
    body = article_text(capture.name, hashlib.sha256(data).hexdigest(), language, paragraphs, trims)
    check_text(body, str(article_path))
    target.parent.mkdir(parents=True, exist_ok=True)
    article_path.parent.mkdir(parents=True, exist_ok=True)
    if not target.exists():
        shutil.copyfile(capture, target)
    with open(article_path, "x", encoding="utf-8") as handle:
        handle.write(body)
    return Imported(article_path, target, language, len(paragraphs))
