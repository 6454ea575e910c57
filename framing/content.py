"""content/ -> a validated, immutable Archive.

Reads site.yaml, articles (checked byte for byte against their captures), themes, claims and
annotations (anchored to exact passages). Every problem found is collected and raised together as
ContentErrors, each naming file, line and fix.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field, replace
from html import unescape
from pathlib import Path

from .anchor import AnchorFailure, Folded, TextFolder, anchor_quote
from .config import load_config
from .errors import ContentError, ContentErrors
from .fields import SLUG_PATTERN, FieldReader, suggest
from .frontmatter import parse_yaml, split_front_matter
from .records import (
    DEVICES, ENTMAN_FUNCTIONS, FRAME_DIMENSIONS, SCRIPTS, VERDICTS, Annotation, Archive, Article, Claim,
    Event, Markdown, Place, Source, SourceLink, Span, TextPage, Theme, Trim,
)
from .numbers import parse_quantity
from .render import MarkdownRenderer
from .textfile import MAX_FILE_BYTES, decode_utf8, read_text

CONTENT_DIRS = ("articles", "annotations", "themes", "claims", "captures", "pages")
RESERVED_PAGE_SLUGS = ("articles", "themes", "captures", "assets", "search", "data", "zh-hans", "zh-hant", "en", "pagefind")
_KEY_LINE = re.compile(r"([a-z_]+):(.*)")
_TRIM_RANGE = re.compile(r"(\d+)-(\d*)")
_RENDERED_REFERENCE = re.compile(r'href="(claim|article|theme|page):([^"#]*)(?:#([^"]*))?"')
_REFERENCE = re.compile(r"\]\((claim|article|theme|page):([^)\s#]*)(?:#([^)\s]*))?\)")
ANNOTATION_KEYS = ("theme", "claim", "prefix", "suffix", "tags", "device", "entman", "frame")


@dataclass(frozen=True)
class Loader:
    """What every loading function needs: where content is, how to show paths, today's date."""

    content_dir: Path
    root: Path
    today: dt.date
    renderer: MarkdownRenderer = field(default_factory=MarkdownRenderer, compare=False)

    def markdown(self, text: str, place: Place) -> Markdown:
        """A Markdown record, rendered and sanitised once here for every later use."""
        return Markdown(text, place, self.renderer.html(text))

    def shown(self, path: Path) -> str:
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()

    def files(self, folder: str, problems: list[ContentError]) -> list[Path]:
        """The .md files of one content folder, sorted; strays and outward symlinks are errors."""
        directory = self.content_dir / folder
        if not directory.is_dir():
            return []
        found = []
        inside = self.content_dir.resolve()
        why = _link_problem(directory, inside)
        if why:
            problems.append(ContentError(self.shown(directory), None, f"the folder {why}",
                                         "copy the folder into content/ instead of linking to it"))
            return []
        for path in sorted(directory.iterdir()):
            if path.name.startswith(".") or path.name.endswith("~"):
                continue
            shown = self.shown(path)
            why = _link_problem(path, inside)
            if why:
                problems.append(ContentError(shown, None, f"the {'folder' if path.is_dir() else 'file'} {why}",
                                             "copy the file into content/ instead of linking to it"))
                continue
            if folder == "captures":
                found.append(path)
                continue
            if path.suffix != ".md" or not path.is_file():
                problems.append(ContentError(shown, None, f"unexpected {'folder' if path.is_dir() else 'file'} in content/{folder}/",
                                             "content files here end in .md; move or delete this one"))
                continue
            found.append(path)
        return found


def _link_problem(path: Path, inside: Path) -> str:
    """'' when path stays inside content/; else what is wrong with the symbolic link it is or passes through."""
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError):  # broken, or a loop
        return "is a symbolic link that cannot be followed (its target is missing, or it loops)" if path.is_symlink() else ""
    return "" if target.is_relative_to(inside) else "is a symbolic link that points outside content/"


def _stem_and_language(path: Path) -> tuple[str, str]:
    """'x.en.md' -> ('x', 'en'); 'x.md' -> ('x', 'zh')."""
    stem = path.name[:-3]
    if stem.endswith(".en"):
        return stem[:-3], "en"
    return stem, "zh"


def _check_slug(slug: str, shown: str, what: str, problems: list[ContentError]) -> bool:
    if SLUG_PATTERN.fullmatch(slug):
        return True
    problems.append(ContentError(shown, None, f"'{slug}' is not a valid {what} name",
                                 "rename the file with lower-case ASCII letters, digits and single hyphens, e.g. guancha-silent-war.md"))
    return False


# ---------------------------------------------------------------- articles

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
        trims.append(Trim(first, last, what))
    ordered = sorted(trims, key=lambda t: t.first)
    for earlier, later in zip(ordered, ordered[1:]):
        if earlier.last is None or later.first <= earlier.last:
            fields.error("trimmed", f"the trimmed ranges {earlier.label()} and {later.label()} overlap", "merge them into one range")
    return tuple(ordered)


def _kept_capture_lines(capture_text: str, trims: tuple[Trim, ...]) -> list[tuple[int, str]]:
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


def load_article(loader: Loader, path: Path, problems: list[ContentError]) -> Article | None:
    shown = loader.shown(path)
    slug, language = _stem_and_language(path)
    if language != "zh":
        problems.append(ContentError(shown, None, "articles have no English file", "English commentary goes in content/annotations/<slug>.en.md"))
        return None
    if not _check_slug(slug, shown, "article", problems):
        return None
    try:
        data, body, body_line = split_front_matter(read_text(path, shown), shown)
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
        if "/" in capture or "\\" in capture or ":" in capture or capture.startswith(".") or not capture.isprintable():
            fields.error("capture", f"'{capture}' is not a plain file name",
                         "name a file in content/captures/, without folders, drive letters or control characters")
        elif _link_problem(capture_path, loader.content_dir.resolve()):
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
                fields.error("sha256", f"the SHA-256 of content/captures/{capture} is {actual}, not {declared_hash}",
                             "captures are never edited: restore the original file (or, for a new capture, correct the hash)")
            try:
                capture_text = decode_utf8(raw, f"content/captures/{capture}")
            except ContentError as exc:
                problems.append(exc)
    sources = []
    for entry in fields.mappings("sources"):
        sources.append(SourceLink(entry.url("url"), entry.text("note", required=False)))
        entry.finish()
    article = Article(
        slug=slug, place=Place(shown, 1),
        title=fields.text("title"), outlet=fields.text("outlet"),
        authors=fields.text_list("authors"), published=fields.date("published", required=False),
        sources=tuple(sources),
        language=fields.text("language", required=False) or "zh",
        script=fields.choice("script", SCRIPTS), capture=capture, sha256=declared_hash,
        trims=_read_trims(fields, problems, capture_text.count("\n") + 1 if capture_text else 0),
        notes=fields.text("notes", required=False, single_line=False),
        paragraphs=(), capture_lines=(),
    )
    fields.finish()
    blocks = _body_paragraphs(body, body_line)
    if not blocks:
        problems.append(ContentError(shown, body_line, "the article has no text", "paste the article's paragraphs after the front matter"))
    if capture_text:
        kept = _kept_capture_lines(capture_text, article.trims)
        _verify_verbatim(shown, capture, blocks, kept, problems)
    else:
        kept = [(0, text) for text, _ in blocks]
    if len(problems) > before:
        return None
    return replace(article, paragraphs=tuple(t for _, t in kept), capture_lines=tuple(n for n, _ in kept))


# ---------------------------------------------------------------- themes and claims

def _read_markdown_record(loader: Loader, path: Path, problems: list[ContentError]):
    shown = loader.shown(path)
    try:
        data, body, body_line = split_front_matter(read_text(path, shown), shown)
    except ContentError as exc:
        problems.append(exc)
        return None
    return shown, FieldReader(data, shown, problems, loader.today), loader.markdown(body.strip("\n"), Place(shown, body_line))


def _pairs(loader: Loader, folder: str, what: str, problems: list[ContentError]) -> dict[str, dict[str, Path]]:
    """slug -> {'zh': path, 'en': path} for a folder of <slug>.md / <slug>.en.md files."""
    pairs: dict[str, dict[str, Path]] = {}
    for path in loader.files(folder, problems):
        slug, language = _stem_and_language(path)
        if _check_slug(slug, loader.shown(path), what, problems):
            pairs.setdefault(slug, {})[language] = path
    for slug, files in pairs.items():
        if "zh" not in files:
            problems.append(ContentError(loader.shown(files["en"]), None, f"there is no content/{folder}/{slug}.md for this English file",
                                         f"create content/{folder}/{slug}.md, or rename this file to match it"))
    return {slug: files for slug, files in pairs.items() if "zh" in files}


def _titled_markdown(loader: Loader, files: dict[str, Path], problems: list[ContentError]):
    """A <slug>.md with only 'title:' and its <slug>.en.md: (place, title, title_en, body, body_en)."""
    read = _read_markdown_record(loader, files["zh"], problems)
    if read is None:
        return None
    shown, fields, body = read
    title = fields.text("title")
    fields.finish()
    title_en, body_en = "", None
    if "en" in files:
        read_en = _read_markdown_record(loader, files["en"], problems)
        if read_en:
            _, fields_en, body_en = read_en
            title_en = fields_en.text("title")
            fields_en.finish()
    return Place(shown, 1), title, title_en, body, body_en


def load_themes(loader: Loader, order: tuple[str, ...], problems: list[ContentError]) -> list[Theme]:
    pairs = _pairs(loader, "themes", "theme", problems)
    themes = []
    for slug in order:
        if slug not in pairs:
            problems.append(ContentError("content/site.yaml", None, f"the theme '{slug}' has no file content/themes/{slug}.md",
                                         f"create it (front matter 'title:', then the introduction){suggest(slug, pairs)}"))
    for slug, files in pairs.items():
        if slug not in order:
            problems.append(ContentError(loader.shown(files["zh"]), None, f"the theme '{slug}' is not listed in content/site.yaml",
                                         f"add it to 'themes:' in site.yaml{suggest(slug, order)}"))
    for slug in order:
        if slug not in pairs:
            continue
        titled = _titled_markdown(loader, pairs[slug], problems)
        if titled:
            themes.append(Theme(slug, *titled))
    return themes


def load_claims(loader: Loader, theme_slugs: tuple[str, ...], problems: list[ContentError]) -> list[Claim]:
    claims = []
    for claim_id, files in sorted(_pairs(loader, "claims", "claim", problems).items()):
        read = _read_markdown_record(loader, files["zh"], problems)
        if read is None:
            continue
        shown, fields, context = read
        sources = read_sources(fields)
        no_source = fields.text("no_source", required=False, single_line=False)
        if not sources and not no_source:
            fields.error(None, "the claim has no sources and no 'no_source' reason",
                         "add 'sources:' (publisher, title, date, url), or 'no_source:' saying what was looked for")
        claim = Claim(claim_id, Place(shown, 1), fields.choice("theme", theme_slugs), fields.text("label"),
                      "", fields.choice("verdict", VERDICTS), tuple(sources), no_source, context, None,
                      fields.text("source_value", required=False))
        if claim.source_value and parse_quantity(claim.source_value) is None:
            fields.error("source_value", f"'{claim.source_value}' is not a number with its unit",
                         "write the figure as the sources give it, e.g. source_value: 6亿次 or 22.32%")
        fields.finish()
        if not context.text.strip():
            problems.append(ContentError(shown, context.place.line, "the claim has no context",
                                         "after the front matter, say what the articles state and what the sources say"))
        if "en" in files:
            read_en = _read_markdown_record(loader, files["en"], problems)
            if read_en:
                _, fields_en, context_en = read_en
                claim = replace(claim, label_en=fields_en.text("label"), context_en=context_en)
                fields_en.finish()
        claims.append(claim)
    return claims


def read_sources(fields: FieldReader) -> list[Source]:
    """A 'sources:' list: publisher, title, date, and url and/or via."""
    sources = []
    for entry in fields.mappings("sources"):
        source = Source(entry.text("publisher"), entry.text("title"), entry.date("date"),
                        entry.url("url", required=False), entry.url("via", required=False))
        if not source.url and not source.via and "url" not in entry.data and "via" not in entry.data:
            entry.error(None, "a source needs 'url' (the original) or 'via' (a copy that was read)", "add url: https://…")
        entry.finish()
        sources.append(source)
    return sources


def load_events(loader: Loader, problems: list[ContentError]) -> list[Event]:
    """content/events.yaml: dated events for the timeline, each with its sources."""
    path = loader.content_dir / "events.yaml"
    if not path.is_file():
        return []
    shown = loader.shown(path)
    try:
        data = parse_yaml(read_text(path, shown), shown)
    except ContentError as exc:
        problems.append(exc)
        return []
    if not isinstance(data, dict) or not isinstance(data.get("events"), list):
        problems.append(ContentError(shown, 1, "events.yaml must hold a list under 'events:'",
                                     "write events: followed by entries with date, label, label_en and sources"))
        return []
    fields = FieldReader(data, shown, problems, loader.today)
    events = []
    for entry in fields.mappings("events"):
        date = entry.date("date")
        event = Event(date, entry.text("label"), entry.text("label_en"), tuple(read_sources(entry)))
        if not event.sources:
            entry.error(None, "an event needs at least one source", "add sources: with publisher, title, date and url")
        entry.finish()
        if date:
            events.append(event)
    fields.finish()
    return sorted(events, key=lambda e: e.date.sort_key())


def load_pages(loader: Loader, problems: list[ContentError]) -> list[TextPage]:
    """content/pages/<slug>.md: prose pages such as the methodology, published at /<slug>/."""
    pages = []
    for slug, files in sorted(_pairs(loader, "pages", "page", problems).items()):
        if slug in RESERVED_PAGE_SLUGS:
            problems.append(ContentError(loader.shown(files["zh"]), None, f"'{slug}' is a reserved path of the site",
                                         "rename the page"))
            continue
        titled = _titled_markdown(loader, files, problems)
        if titled:
            pages.append(TextPage(slug, *titled))
    return pages


# ---------------------------------------------------------------- annotations

@dataclass(frozen=True)
class _Section:
    id: str
    line: int
    quote: str
    quote_line: int
    keys: dict[str, tuple[str, int]]
    commentary: Markdown


def _parse_sections(loader: Loader, text: str, shown: str, english: bool, problems: list[ContentError]) -> list[_Section]:
    """Split an annotation file into '## id' sections: quote, key lines, commentary."""
    lines = text.split("\n")
    heads = [i for i, line in enumerate(lines) if line.startswith("## ")]
    stray = next((i for i, line in enumerate(lines[:heads[0] if heads else len(lines)]) if line.strip()), None)
    if stray is not None:
        problems.append(ContentError(shown, stray + 1, "text before the first '## <annotation-id>' heading",
                                     "start each annotation with a line '## <annotation-id>'"))
    sections = []
    for number, start in enumerate(heads):
        end = heads[number + 1] if number + 1 < len(heads) else len(lines)
        ident = lines[start][3:].strip()
        if not SLUG_PATTERN.fullmatch(ident):
            problems.append(ContentError(shown, start + 1, f"'{ident}' is not a valid annotation id",
                                         "use lower-case ASCII letters, digits and single hyphens"))
            continue
        i = start + 1
        while i < end and not lines[i].strip():
            i += 1
        quote_parts, quote_line = [], i + 1
        while i < end and lines[i].startswith(">"):
            quote_parts.append(lines[i][1:].strip())
            i += 1
        if english and quote_parts:
            problems.append(ContentError(shown, quote_line, "the English file repeats the quote",
                                         "remove the '>' lines: the quote lives in the Chinese file only"))
        if not english and not quote_parts:
            problems.append(ContentError(shown, start + 1, f"the annotation '{ident}' has no quote",
                                         "put the exact passage right under the heading as a '> …' line"))
            continue
        while i < end and not lines[i].strip():
            i += 1
        keys: dict[str, tuple[str, int]] = {}
        while i < end and lines[i].strip():
            match = _KEY_LINE.fullmatch(lines[i].strip())
            if not match:
                break
            key = match.group(1)
            if key in keys:
                problems.append(ContentError(shown, i + 1, f"'{key}:' is given twice", "keep one"))
            keys[key] = (match.group(2).strip(), i + 1)
            i += 1
        commentary = "\n".join(lines[i:end]).strip("\n")
        body_line = i + 1
        while body_line <= end and not lines[body_line - 1].strip() and body_line < end:
            body_line += 1
        sections.append(_Section(ident, start + 1, " ".join(quote_parts), quote_line, keys,
                                 loader.markdown(commentary, Place(shown, body_line))))
    return sections


def _anchor_problem(shown: str, section: _Section, failure: AnchorFailure, article: Article) -> ContentError:
    if failure.reason == "empty":
        return ContentError(shown, section.quote_line, "the quote is empty", "put the exact passage after '> '")
    if failure.reason == "ambiguous":
        where = ", ".join(f"paragraph {s.paragraph + 1}" for s in failure.occurrences[:5])
        return ContentError(shown, section.quote_line,
                            f"the quote occurs {failure.count} times in the article ({where})",
                            "add 'prefix: <text just before it>' or 'suffix: <text just after it>' to choose one")
    hint = "copy the passage exactly from the article"
    if failure.closest:
        line = article.capture_lines[failure.closest_paragraph]
        hint = f"the closest passage (paragraph {failure.closest_paragraph + 1}, capture line {line}) is “{failure.closest}”"
    return ContentError(shown, section.quote_line, f"the quote “{section.quote[:40]}” is not in the article '{article.slug}'", hint)


def load_annotations(loader: Loader, articles: dict[str, Article], failed: set[str], themes: tuple[str, ...],
                     claims: dict[str, Claim], folder: TextFolder, problems: list[ContentError]) -> list[Annotation]:
    """Annotations of every article; those of an article that failed to load are skipped (its error is reported)."""
    pairs = _pairs(loader, "annotations", "annotation file", problems)
    annotations: list[Annotation] = []
    seen: dict[str, str] = {}
    for slug, files in sorted(pairs.items()):
        shown = loader.shown(files["zh"])
        if slug in failed:
            continue
        if slug not in articles:
            problems.append(ContentError(shown, None, f"there is no article '{slug}' for these annotations{suggest(slug, articles)}",
                                         f"name the file after an article in content/articles/ (<slug>.md)"))
            continue
        article = articles[slug]
        try:
            sections = _parse_sections(loader, read_text(files["zh"], shown), shown, False, problems)
            english = {}
            if "en" in files:
                shown_en = loader.shown(files["en"])
                for section in _parse_sections(loader, read_text(files["en"], shown_en), shown_en, True, problems):
                    english[section.id] = section
        except ContentError as exc:
            problems.append(exc)
            continue
        folded: list[Folded] = [folder.fold(p) for p in article.paragraphs]
        ids = {s.id for s in sections}
        for section in english.values():
            if section.id not in ids:
                problems.append(ContentError(loader.shown(files["en"]), section.line,
                                             f"no annotation '{section.id}' in {shown}{suggest(section.id, ids)}",
                                             "use the same ids as the Chinese file"))
        for section in sections:
            annotation = _annotation(loader, shown, section, english.get(section.id), article, folded, themes,
                                     claims, folder, seen, problems)
            if annotation:
                annotations.append(annotation)
    return annotations


def _annotation(loader, shown, section, english, article, folded, themes, claims, folder, seen, problems):
    if section.id in seen:
        problems.append(ContentError(shown, section.line, f"the annotation id '{section.id}' is already used in {seen[section.id]}",
                                     "give each annotation a unique id"))
        return None
    seen[section.id] = f"{shown}:{section.line}"
    before = len(problems)
    keys = dict(section.keys)

    def key(name: str) -> tuple[str, int]:
        return keys.pop(name, ("", section.line))

    claim_id, claim_line = key("claim")
    theme, theme_line = key("theme")
    if claim_id and claim_id not in claims:
        problems.append(ContentError(shown, claim_line, f"unknown claim '{claim_id}'{suggest(claim_id, claims)}",
                                     "use the id of a file in content/claims/ (without .md)"))
    elif claim_id:
        claim_theme = claims[claim_id].theme
        if theme and theme != claim_theme:
            problems.append(ContentError(shown, theme_line, f"the claim '{claim_id}' belongs to the theme '{claim_theme}', not '{theme}'",
                                         "remove the 'theme:' line (the claim's theme is used) or choose another claim"))
        theme = claim_theme
    if not theme:
        problems.append(ContentError(shown, section.line, f"the annotation '{section.id}' has neither 'theme:' nor 'claim:'",
                                     f"add 'claim: <claim-id>' or 'theme: <one of {', '.join(themes)}>'"))
    elif theme not in themes:
        problems.append(ContentError(shown, theme_line, f"unknown theme '{theme}'{suggest(theme, themes)}",
                                     f"use one of: {', '.join(themes)}"))
    vocab = {}
    for name, allowed in (("device", DEVICES), ("entman", ENTMAN_FUNCTIONS), ("frame", FRAME_DIMENSIONS)):
        value, line = key(name)
        if value and value not in allowed:
            problems.append(ContentError(shown, line, f"'{value}' is not a valid {name}{suggest(value, allowed)}",
                                         f"use one of: {', '.join(allowed)}"))
        vocab[name] = value or None
    prefix, _ = key("prefix")
    suffix, _ = key("suffix")
    tags_text, _ = key("tags")
    for name, (_, line) in keys.items():
        problems.append(ContentError(shown, line, f"unknown key '{name}:'{suggest(name, ANNOTATION_KEYS)}",
                                     f"use one of: {', '.join(ANNOTATION_KEYS)}"))
    gloss, commentary_en = "", None
    if english:
        english_keys = dict(english.keys)
        gloss = english_keys.pop("gloss", ("", 0))[0]
        for name, (_, line) in english_keys.items():
            problems.append(ContentError(english.commentary.place.path, line, f"unknown key '{name}:' in an English section",
                                         "an English section takes only 'gloss:'"))
        commentary_en = english.commentary if english.commentary.text.strip() else None
    if not section.commentary.text.strip():
        problems.append(ContentError(shown, section.line, f"the annotation '{section.id}' has no commentary",
                                     "after the key lines and a blank line, write what the passage claims and what sources say"))
    result = anchor_quote(folder, article.paragraphs, folded, section.quote, prefix, suffix)
    if isinstance(result, AnchorFailure):
        problems.append(_anchor_problem(shown, section, result, article))
    if len(problems) > before:
        return None
    return Annotation(
        id=section.id, article=article.slug, place=Place(shown, section.line), quote=section.quote,
        prefix=prefix, suffix=suffix, theme=theme, claim=claim_id or None,
        tags=tuple(t.strip() for t in tags_text.split(",") if t.strip()),
        device=vocab["device"], entman=vocab["entman"], frame=vocab["frame"],
        commentary=section.commentary, commentary_en=commentary_en, gloss_en=gloss, span=result,
    )


# ---------------------------------------------------------------- cross-checks

def _check_references(archive: Archive, problems: list[ContentError]) -> None:
    """Links written as claim:<id>, article:<slug>[#annotation] or theme:<slug> must resolve."""
    claims = {c.id for c in archive.claims}
    articles = {a.slug for a in archive.articles}
    themes = {t.slug for t in archive.themes}
    pages = {p.slug for p in archive.pages}
    annotations = {a.id: a.article for a in archive.annotations}
    texts: list[Markdown] = []
    for page in archive.pages:
        texts += [page.body, page.body_en]
    for theme in archive.themes:
        texts += [theme.intro, theme.intro_en]
    for claim in archive.claims:
        texts += [claim.context, claim.context_en]
    for annotation in archive.annotations:
        texts += [annotation.commentary, annotation.commentary_en]
    for text in filter(None, texts):
        for offset, line in enumerate(text.text.split("\n")):
            for kind, target, fragment in _REFERENCE.findall(line):
                known = {"claim": claims, "article": articles, "theme": themes, "page": pages}[kind]
                bad = target not in known
                if not bad and kind == "article" and fragment:
                    bad = annotations.get(fragment) != target
                    target = f"{target}#{fragment}"
                if bad:
                    problems.append(ContentError(text.place.path, text.place.line + offset,
                                                 f"the link {kind}:{target} leads nowhere{suggest(target, known)}",
                                                 f"link to an existing {kind}: {kind}:<{'slug' if kind != 'claim' else 'id'}>"))
        # Links markdown makes in other ways (reference links, <claim:x>, raw <a href>, spaces) must resolve too.
        for kind, target, fragment in _RENDERED_REFERENCE.findall(text.html):
            target, fragment = unescape(target), unescape(fragment)
            known = {"claim": claims, "article": articles, "theme": themes, "page": pages}[kind]
            if target in known and not (kind == "article" and fragment and annotations.get(fragment) != target):
                continue
            shown_target = target + (f"#{fragment}" if fragment and kind == "article" else "")
            message = f"the link {kind}:{shown_target} leads nowhere{suggest(target, known)}"
            if any(p.path == text.place.path and p.message == message for p in problems):
                continue
            offset = next((i for i, line in enumerate(text.text.split("\n")) if target.strip() and target.strip() in line), 0)
            problems.append(ContentError(text.place.path, text.place.line + offset, message,
                                         f"write the link as [text]({kind}:<{'slug' if kind != 'claim' else 'id'}>), "
                                         f"without spaces, to an existing {kind}"))


def _check_claims_used(archive: Archive, problems: list[ContentError]) -> None:
    used = {a.claim for a in archive.annotations}
    for claim in archive.claims:
        if claim.id not in used:
            problems.append(ContentError(claim.place.path, 1, f"the claim '{claim.id}' is not used by any annotation",
                                         f"annotate a passage with 'claim: {claim.id}', or remove the claim"))


def _check_captures_unique(articles: dict[str, Article], loader: Loader, problems: list[ContentError]) -> None:
    """Each capture belongs to one article (names differing only in case count as one: they collide on macOS/Windows)."""
    owners: dict[str, Article] = {}
    for article in sorted(articles.values(), key=lambda a: a.place.path):
        first = owners.setdefault(article.capture.lower(), article)
        if first is article:
            continue
        text = (loader.content_dir / "articles" / f"{article.slug}.md").read_text(encoding="utf-8")
        line = next((n for n, l in enumerate(text.split("\n"), start=1) if l.startswith("capture:")), None)
        same = "is" if first.capture == article.capture else f"differs only in case from {first.capture!r}, which is"
        problems.append(ContentError(article.place.path, line,
                                     f"the capture {article.capture!r} {same} already the capture of {first.place.path}",
                                     "each article has its own capture: import this article's capture with "
                                     "'python build.py import CAPTURE --slug SLUG'"))


def load_archive(content_dir: Path, root: Path, today: dt.date, folder: TextFolder) -> Archive:
    """Load and validate everything under content/; raise ContentErrors listing every problem."""
    if not content_dir.is_dir():
        raise ContentError(str(content_dir), None, "the content folder does not exist",
                           "run the command in the project folder, or pass --content DIR")
    loader = Loader(content_dir, root, today)
    config = load_config(content_dir, root, today)
    problems: list[ContentError] = []
    articles: dict[str, Article] = {}
    failed: set[str] = set()
    for path in loader.files("articles", problems):
        article = load_article(loader, path, problems)
        if article:
            articles[article.slug] = article
        else:
            failed.add(_stem_and_language(path)[0])
    _check_captures_unique(articles, loader, problems)
    themes = load_themes(loader, config.themes, problems)
    claims = {c.id: c for c in load_claims(loader, config.themes, problems)}
    annotations = load_annotations(loader, articles, failed, config.themes, claims, folder, problems)
    pages = load_pages(loader, problems)
    events = load_events(loader, problems)
    loader.files("captures", problems)
    archive = Archive(config, tuple(sorted(articles.values(), key=Article.sort_key)), tuple(themes),
                      tuple(claims.values()), tuple(sorted(annotations, key=lambda a: (a.article, a.span.paragraph, a.span.start, a.id))),
                      tuple(pages), tuple(events))
    _check_references(archive, problems)
    if not problems:
        _check_claims_used(archive, problems)
    if problems:
        raise ContentErrors(problems)
    return archive
