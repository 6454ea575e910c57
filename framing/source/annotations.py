"""Annotations: '## id' sections of content/annotations/<slug>.md (and .en.md), each anchored to
exactly one passage of its article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from framing.source.anchor import AnchorFailure, Folded, TextFolder, anchor_quote
from framing.errors import ContentError
from framing.source.fields import SLUG_RULE, is_slug, suggest
from framing.source.loader import Loader, pairs_of
from framing.source.records import DEVICES, ENTMAN_FUNCTIONS, FRAME_DIMENSIONS, Annotation, Article, Claim, Markdown, Place
from framing.source.textfile import read_text
from framing.source.languages import is_spaced

_KEY_LINE = re.compile(r"([a-z_]+):(.*)")
ANNOTATION_KEYS = ("theme", "claim", "prefix", "suffix", "tags", "device", "entman", "frame")


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
        if not is_slug(ident):
            problems.append(ContentError(shown, start + 1, f"'{ident}' is not a valid annotation id", f"use {SLUG_RULE}"))
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


@dataclass(frozen=True)
class _FileOutcome:
    """What one article's annotation files give, whatever other files hold: the problems of the files
    themselves, and each section in order with its annotation or its problems."""

    problems: tuple[ContentError, ...]
    sections: tuple[tuple[str, int, Annotation | tuple[ContentError, ...]], ...]  # id, heading line, outcome


def load_annotations(loader: Loader, articles: dict[str, Article], failed: set[str], themes: tuple[str, ...],
                     claims: dict[str, Claim], folder: TextFolder, problems: list[ContentError]) -> list[Annotation]:
    """Annotations of every article; those of an article that failed to load are skipped (its error is reported)."""
    pairs = pairs_of(loader, "annotations", "annotation file", problems)
    annotations: list[Annotation] = []
    seen: dict[str, str] = {}
    claim_themes = tuple(sorted((claim.id, claim.theme) for claim in claims.values()))
    for slug, files in sorted(pairs.items()):
        shown = loader.shown(files["zh"])
        if slug in failed:
            continue
        if slug not in articles:
            problems.append(ContentError(shown, None, f"there is no article '{slug}' for these annotations{suggest(slug, articles)}",
                                         "name the file after an article in content/articles/ (<slug>.md)"))
            continue
        article = articles[slug]
        inputs = (shown, article.paragraphs, article.capture_lines, themes, claim_themes)
        outcome = loader.remembered(("annotations", slug), sorted(files.values()), inputs,
                                    lambda: _file_outcome(loader, files, article, themes, claims, folder))
        problems.extend(outcome.problems)
        for ident, line, result in outcome.sections:
            # An id is claimed by its first section, even one with problems; a later one is only reported.
            if ident in seen:
                problems.append(ContentError(shown, line, f"the annotation id '{ident}' is already used in {seen[ident]}",
                                             "give each annotation a unique id"))
                continue
            seen[ident] = f"{shown}:{line}"
            if isinstance(result, Annotation):
                annotations.append(result)
            else:
                problems.extend(result)
    return annotations


def _file_outcome(loader: Loader, files: dict[str, Path], article: Article, themes: tuple[str, ...],
                  claims: dict[str, Claim], folder: TextFolder) -> _FileOutcome:
    """Read and check one article's annotation files (none of its annotations if one cannot be read)."""
    shown = loader.shown(files["zh"])
    problems: list[ContentError] = []
    try:
        sections = _parse_sections(loader, read_text(files["zh"], shown), shown, False, problems)
        english = {}
        if "en" in files:
            shown_en = loader.shown(files["en"])
            for section in _parse_sections(loader, read_text(files["en"], shown_en), shown_en, True, problems):
                english[section.id] = section
    except ContentError as exc:
        return _FileOutcome(tuple(problems) + (exc,), ())
    folded: list[Folded] = [folder.fold(p) for p in article.paragraphs]
    ids = {s.id for s in sections}
    for section in english.values():
        if section.id not in ids:
            problems.append(ContentError(loader.shown(files["en"]), section.line,
                                         f"no annotation '{section.id}' in {shown}{suggest(section.id, ids)}",
                                         "use the same ids as the Chinese file"))
    outcomes = []
    for section in sections:
        found: list[ContentError] = []
        annotation = _annotation(shown, section, english.get(section.id), article, folded, themes, claims, folder, found)
        outcomes.append((section.id, section.line, annotation if annotation else tuple(found)))
    return _FileOutcome(tuple(problems), tuple(outcomes))


def _annotation(shown: str, section: _Section, english: _Section | None, article: Article, folded: list[Folded],
                themes: tuple[str, ...], claims: dict[str, Claim], folder: TextFolder,
                problems: list[ContentError]) -> Annotation | None:
    """The annotation a section makes, or None with its problems added."""
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
    result = anchor_quote(folder, article.paragraphs, folded, section.quote, prefix, suffix, spaced=is_spaced(article.language))
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


def parse_sections(loader: Loader, text: str, shown: str, english: bool) -> tuple[list[_Section], list[ContentError]]:
    """The '## id' sections of one annotation file's text as a build reads them, and the problems found."""
    problems: list[ContentError] = []
    return _parse_sections(loader, text, shown, english, problems), problems


def check_section(shown: str, section: _Section, english: _Section | None, article: Article, themes: tuple[str, ...],
                  claims: dict[str, Claim], folder: TextFolder) -> Annotation | tuple[ContentError, ...]:
    """The annotation one section (with its English section) makes, checked as a build checks it, or its problems."""
    problems: list[ContentError] = []
    folded = [folder.fold(p) for p in article.paragraphs]
    annotation = _annotation(shown, section, english, article, folded, themes, claims, folder, problems)
    return annotation if annotation else tuple(problems)
