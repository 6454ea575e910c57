"""An article page: its paragraphs with the annotated passages highlighted, the notes beside them,
and the passages it shares with other articles. Pure.
"""

from __future__ import annotations

from typing import Callable

from markupsafe import Markup, escape

from framing.source.records import Annotation, Article
from framing.site.routes import route_of_article, route_of_theme
from framing.site import correctionspage, datelabels
from framing.site import structured
from framing.site.shared import SharedPassage
from framing.source.languages import is_chinese
from framing.site.marking import mark_text
from framing.site.facets import article_filters
from framing.site.view import Page, EditionView, titled, _keyed, _language_label, page_at


def highlight(text: str, spans: list[tuple[int, int, Annotation]], show: Callable[[int, int], str],
              numbers: dict[str, int], tones: dict[str, int], note_word: str,
              shared: list[tuple[int, int, str]] = ()) -> Markup:
    """A paragraph with each annotated span in <mark>, its note number after it.

    show(start, end): text[start:end] as the edition shows it (ScriptConverter.pieces).
    Overlapping spans are cut into segments; each segment is marked with the theme of the innermost
    span covering it, and the outermost span starting at a boundary carries the anchor id. Passages
    shared with other articles are wrapped in <span class="shared">, the first piece with its anchor;
    where several start together the longest carries it and the others an empty anchor before it.
    """
    cuts = sorted({0, len(text), *(s for s, _, _ in spans), *(e for _, e, _ in spans),
                   *(s for s, _, _ in shared), *(e for _, e, _ in shared)})
    out: list[str] = []
    for start, end in zip(cuts, cuts[1:]):
        in_shared = [p for p in shared if p[0] <= start and p[1] >= end]
        openings = sorted((p for p in in_shared if p[0] == start), key=lambda p: (p[0] - p[1], p[2]))
        for extra in openings[1:]:
            out.append(f'<span class="anchor" id="{extra[2]}"></span>')
        if in_shared:
            anchor = f' id="{openings[0][2]}"' if openings else ""
            out.append(f'<span class="shared"{anchor}>')
        starting = sorted((s for s in spans if s[0] == start), key=lambda s: s[0] - s[1])
        covering = [s for s in spans if s[0] <= start and s[1] >= end]
        for extra in starting[1:]:
            out.append(f'<span class="anchor" id="a-{extra[2].id}"></span>')
        segment = escape(show(start, end))
        if covering:
            inner = min(covering, key=lambda s: (s[1] - s[0], s[2].id))[2]
            ident = f' id="a-{starting[0][2].id}"' if starting else ""
            out.append(f'<mark{ident} class="hl tone-{tones[inner.theme]}">{segment}</mark>')
        else:
            out.append(str(segment))
        if in_shared:
            out.append("</span>")
        for _, _, ended in sorted((s for s in spans if s[1] == end), key=lambda s: numbers[s[2].id]):
            number = numbers[ended.id]
            out.append(f'<sup class="note-ref"><a href="#n-{ended.id}" id="r-{ended.id}" '
                       f'aria-label="{escape(note_word)} {number}">{number}</a></sup>')
    return Markup("".join(out))


SHARED_SHOWN = 8  # other articles named beside a shared passage; the theme page lists them all


def shared_note(view: EditionView, passage: SharedPassage, here: str) -> dict:
    """The other articles that carry a shared passage, for the note beside it (the first few)."""
    # Made once per edition: every article that carries the passage shows it.
    first, more = view.remembered(("shared", passage.id), lambda: _shared_carriers(view, passage))
    return {"id": passage.id, "others": [entry for slug, entry in first if slug != here][:SHARED_SHOWN], "more": more}


def _shared_carriers(view: EditionView, passage: SharedPassage) -> tuple[list[tuple[str, dict]], dict | None]:
    """(slug, entry) of the first articles that carry a passage, one more than a note names (the
    note leaves out its own article), and the link to the rest where there are more."""
    # Only the first few are named: never walk all the carriers (a talking point in thousands of articles).
    first = []
    for slug in passage.articles[:SHARED_SHOWN + 1]:
        other = view.index.articles[slug]
        first.append((slug, titled(view, other) | {"url": view.url(route_of_article(slug)) + f"#{passage.id}"}))
    carried_elsewhere = len(passage.articles) - 1  # the note's own article is one of the occurrences
    theme = view.archive.config.shared_theme
    more = {"count": view.count("article_count", carried_elsewhere - SHARED_SHOWN),
            "url": view.url(route_of_theme(theme)) + f"#list-{passage.id}"} if carried_elsewhere > SHARED_SHOWN and theme else None
    return first, more


def note_view(view: EditionView, annotation: Annotation) -> dict:
    theme = view.index.themes[annotation.theme]
    commentary = view.localised(annotation.commentary, annotation.commentary_en, "english_missing")
    claim = view.index.claims[annotation.claim] if annotation.claim else None
    framing = [{"key": key, "label": view.strings[key], "value": view.strings[f"{key}_{value}"]}
               for key, value in (("device", annotation.device), ("entman", annotation.entman), ("frame", annotation.frame))
               if value]
    return {
        "id": annotation.id, "number": view.index.numbers[annotation.id], "theme": theme.slug,
        "tone": view.index.tones[theme.slug],
        "theme_title": view.label(theme.title, theme.title_en)[0], "theme_url": view.url(route_of_theme(theme.slug)),
        "claim": view.claim_summary(claim) if claim else None, "commentary": commentary,
        "gloss": mark_text(annotation.gloss_en) if view.edition.ui == "en" else "", "framing": framing,
        "tags": [view.zh(t) for t in annotation.tags],
        "corrections": correctionspage.corrections_of(view, "annotations", annotation.id),
    }


def article_view(view: EditionView, article: Article) -> dict:
    annotations = view.index.by_article[article.slug]
    show = lambda text: view.zh(text, article.script)  # noqa: E731
    shared = view.index.shared_by_article.get(article.slug, [])
    rows = []
    for number, paragraph in enumerate(article.paragraphs):
        here = [a for a in annotations if a.span.paragraph == number]
        spans = [(a.span.start, a.span.end, a) for a in here]
        shared_here = [(passage, span) for passage, occurrence in shared for span in occurrence.spans[:1] if span.paragraph == number]
        shared_spans = [(span.start, span.end, passage.id) for passage, span in shared_here]
        pieces = view.converter.pieces(paragraph, article.script, view.edition.script)
        rows.append({"html": highlight(paragraph, spans, pieces, view.index.numbers, view.index.tones, view.strings["note"], shared_spans),
                     "id": f"p-{number + 1}", "notes": [note_view(view, a) for a in here],
                     "shared": [shared_note(view, passage, article.slug) for passage, _ in shared_here]})
    strings = view.strings
    converted = is_chinese(article.language) and view.edition.script is not None and view.edition.script != article.script
    title = view.article_title(article)
    notes = view.editors_text(article.notes, article.notes_en)
    return titled(view, article) | {
        "slug": article.slug, "url": view.url(route_of_article(article.slug)),
        "title_lang": title["lang"], "original_title": show(article.title) if title["translated"] else "",
        "authors": [show(a) for a in article.authors],
        "published": article.published.iso() if article.published else "",
        "published_range": datelabels.publication_range(view, article),
        "captured": article.captured.iso() if article.captured else "",
        "sources": [{"url": s.url, "accessed": s.accessed.iso() if s.accessed else ""}
                    | {f"note{k}": v for k, v in _keyed(view.editors_text(s.note, s.note_en)).items()}
                    for s in article.sources],
        "script": article.script, "script_label": _language_label(view, article),
        "capture": article.capture, "capture_url": view.base + f"captures/{article.capture}", "sha256": article.sha256,
        "trims": [{"lines": strings["capture_lines"].replace("{lines}", t.label())}
                  | {f"what{k}": v for k, v in _keyed(view.editors_text(t.what, t.what_en)).items()} for t in article.trims],
        "notes": notes["text"], "notes_lang": notes["lang"], "notes_untranslated": notes["untranslated"],
        "text_lang": view.article_lang(article),
        "converted_notice": strings["converted_notice"].replace("{captured}", strings[f"script_{article.script}"])
                            .replace("{shown}", strings[f"script_{view.edition.script}"]) if converted else "",
        "rows": rows, "note_count": view.count("note_count", len(annotations)),
        "themes": sorted({a.theme for a in annotations}),
        "corrections": correctionspage.corrections_of(view, "articles", article.slug),
    }


def article_page(view: EditionView, slug: str) -> Page:
    article = view.index.articles[slug]
    data = article_view(view, article)
    route = route_of_article(article.slug)
    description = f"{data['outlet']} · {datelabels.publication(view, article)} · {data['note_count']}"
    context = view.common(route, data["title"], description, "article") | {"article": data,
                                                                          "json_ld": structured.news_article(view, article),
                                                                          "search_filters": article_filters(view, article)}
    return page_at(view, route, "article.html", context)


# ---------------------------------------------------------------- theme pages

