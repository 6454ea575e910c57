"""content/ -> a validated, immutable Archive: themes, claims, pages and events here; articles,
annotations, the script overrides and the shared loading helpers in their own modules.

Reads site.yaml, articles (checked byte for byte against their captures), themes, claims and
annotations (anchored to exact passages). Every problem found is collected and raised together as
ContentErrors, each naming file, line and fix.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from html import unescape
from pathlib import Path

from framing.source.anchor import TextFolder
from framing.source.annotations import load_annotations
from framing.source.articles import load_article
from framing.source.config import load_config
from framing.errors import ContentError, ContentErrors
from framing.source.fields import FieldReader, suggest
from framing.source.frontmatter import parse_yaml
from framing.source.loader import Loader, Memo, pairs_of, read_markdown_record, stem_and_language, titled_markdown
from framing.source.markdown import MarkdownRenderer
from framing.source.records import Archive, Article, Claim, Event, Markdown, Place, Source, TextPage, Theme, VERDICTS
from framing.source.textfile import folder_in_place, read_text
from framing.source.provenance import read_accessed
from framing.source.publishers import check_publishers_known, load_publishers
from framing.source.corrections import check_corrections, load_corrections
from framing.source.numbers_en import parse_any_quantity
from framing.source.scriptoverrides import load_script_overrides

RESERVED_PAGE_SLUGS = ("articles", "themes", "captures", "assets", "search", "data", "corrections", "zh-hans", "zh-hant", "en", "pagefind")
_RENDERED_REFERENCE = re.compile(r'href="(claim|article|theme|page):([^"#]*)(?:#([^"]*))?"')
_REFERENCE = re.compile(r"\]\((claim|article|theme|page):([^)\s#]*)(?:#([^)\s]*))?\)")


def load_themes(loader: Loader, order: tuple[str, ...], problems: list[ContentError]) -> list[Theme]:
    pairs = pairs_of(loader, "themes", "theme", problems)
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
        titled = titled_markdown(loader, pairs[slug], problems)
        if titled:
            themes.append(Theme(slug, *titled))
    return themes


def load_claims(loader: Loader, theme_slugs: tuple[str, ...], problems: list[ContentError]) -> list[Claim]:
    claims = []
    for claim_id, files in sorted(pairs_of(loader, "claims", "claim", problems).items()):
        read = read_markdown_record(loader, files["zh"], problems)
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
        if claim.source_value and parse_any_quantity(claim.source_value) is None:
            fields.error("source_value", f"'{claim.source_value}' is not a number with its unit",
                         "write the figure as the sources give it, e.g. source_value: 6亿次 or 22.32%")
        fields.finish()
        if not context.text.strip():
            problems.append(ContentError(shown, context.place.line, "the claim has no context",
                                         "after the front matter, say what the articles state and what the sources say"))
        if "en" in files:
            read_en = read_markdown_record(loader, files["en"], problems)
            if read_en:
                _, fields_en, context_en = read_en
                claim = replace(claim, label_en=fields_en.text("label"), context_en=context_en,
                                no_source_en=fields_en.text("no_source", required=False, single_line=False))
                fields_en.finish()
        claims.append(claim)
    return claims


def read_sources(fields: FieldReader) -> list[Source]:
    """A 'sources:' list: publisher, title (and its title_en), date, and url and/or via."""
    sources = []
    for entry in fields.mappings("sources"):
        date = entry.date("date")
        source = Source(entry.text("publisher"), entry.text("title"), date,
                        entry.url("url", required=False), entry.url("via", required=False),
                        title_en=entry.text("title_en", required=False), accessed=read_accessed(entry, date),
                        place=Place(entry.shown, entry.line()))
        if not source.url and not source.via and "url" not in entry.data and "via" not in entry.data:
            entry.error(None, "a source needs 'url' (the original) or 'via' (a copy that was read)", "add url: https://…")
        entry.finish()
        sources.append(source)
    return sources


def load_events(loader: Loader, problems: list[ContentError]) -> list[Event]:
    """content/events.yaml: dated events for the timeline, each with its sources."""
    path = loader.content_dir / "events.yaml"
    shown = loader.shown(path)
    if not path.is_file():
        problem = folder_in_place(path, shown, "move it away; EDITING.md shows what events.yaml holds")
        if problem:
            problems.append(problem)
        return []
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
    for slug, files in sorted(pairs_of(loader, "pages", "page", problems).items()):
        if slug in RESERVED_PAGE_SLUGS:
            problems.append(ContentError(loader.shown(files["zh"]), None, f"'{slug}' is a reserved path of the site",
                                         "rename the page"))
            continue
        titled = titled_markdown(loader, files, problems)
        if titled:
            pages.append(TextPage(slug, *titled))
    return pages


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


def load_archive(content_dir: Path, root: Path, today: dt.date, folder: TextFolder,
                 markdown: MarkdownRenderer | None = None, memo: Memo | None = None) -> Archive:
    """Load and validate everything under content/; raise ContentErrors listing every problem.

    memo: what files gave when last read, for a series of loads (the live preview)."""
    if not content_dir.is_dir():
        raise ContentError(str(content_dir), None, "the content folder does not exist",
                           "run the command in the project folder, or pass --content DIR")
    loader = Loader(content_dir, root, today, markdown or MarkdownRenderer(), memo)
    config = load_config(content_dir, root, today)
    problems: list[ContentError] = []
    articles: dict[str, Article] = {}
    failed: set[str] = set()
    for path in loader.files("articles", problems):
        article = load_article(loader, path, problems)
        if article:
            articles[article.slug] = article
        else:
            failed.add(stem_and_language(path)[0])
    _check_captures_unique(articles, loader, problems)
    themes = load_themes(loader, config.themes, problems)
    claims = {c.id: c for c in load_claims(loader, config.themes, problems)}
    annotations = load_annotations(loader, articles, failed, config.themes, claims, folder, problems)
    pages = load_pages(loader, problems)
    events = load_events(loader, problems)
    publishers = load_publishers(loader, problems)
    corrections = load_corrections(loader, problems)
    check_corrections(corrections, claims, annotations, articles, problems)
    overrides = load_script_overrides(loader, problems)
    loader.files("captures", problems)
    archive = Archive(config, tuple(sorted(articles.values(), key=Article.sort_key)), tuple(themes),
                      tuple(claims.values()), tuple(sorted(annotations, key=lambda a: (a.article, a.span.paragraph, a.span.start, a.id))),
                      tuple(pages), tuple(events), publishers, corrections, overrides)
    _check_references(archive, problems)
    check_publishers_known(archive, problems)
    if not problems:
        _check_claims_used(archive, problems)
    if problems:
        raise ContentErrors(problems)
    return archive
