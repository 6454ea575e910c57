"""Pure assembly: an Archive -> every Page of every edition. No I/O.

Each page is a template name, an output path and a context of plain values and Markup, built here
in Python so that templates only lay things out. Script conversion and markdown rendering are
memoised, so each distinct text is converted or rendered once however many pages show it.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Callable, Sequence, TypeVar

from markupsafe import Markup, escape

from .errors import ContentError
from .editions import Edition, ScriptConverter, editions_for
from .records import ENTMAN_FUNCTIONS, VERDICTS, Annotation, Archive, Article, Claim, Markdown, Span, Theme
from .render import resolve_links
from .routes import route_of_article, route_of_article_list, route_of_claim, route_of_theme
from .search import BUNDLE, SCRIPT_TABLE, in_primary_shard, index_language, merged_bundles, run_group
from . import analysis, structured
from .dependencies import Limits, PageReads
from .shared import Occurrence, SharedPassage

T = TypeVar("T")

OG_LOCALES = {"zh-hans": "zh_CN", "zh-hant": "zh_TW", "en": "en_US"}
EDITION_LABELS = {"zh-hans": ("简体", "zh-Hans"), "zh-hant": ("繁體", "zh-Hant"), "en": ("English", "en")}
SOURCE_SCRIPT = "zh-Hans"  # the script editors write commentary, claims and themes in


@dataclass(frozen=True)
class Page:
    """One output file: where it goes, which template renders it, with what."""

    path: str
    template: str
    context: dict
    route: str = ""  # the edition-relative route, for alternates and the sitemap


@dataclass(frozen=True)
class ArchiveIndex:
    """Look-ups over an Archive, computed once: by slug, id, article, claim and theme."""

    articles: dict[str, Article]
    claims: dict[str, Claim]
    themes: dict[str, Theme]
    by_article: dict[str, list[Annotation]]
    by_claim: dict[str, list[Annotation]]
    by_theme: dict[str, list[Annotation]]
    numbers: dict[str, int]  # annotation id -> its note number on its article page
    tones: dict[str, int]  # theme slug -> its highlight style (1-4, by theme order)
    shared: tuple[SharedPassage, ...] = ()
    shared_by_article: dict[str, list[tuple[SharedPassage, Occurrence]]] = field(default_factory=dict)

    @classmethod
    def of(cls, archive: Archive, shared: tuple[SharedPassage, ...] = ()) -> "ArchiveIndex":
        articles = {a.slug: a for a in archive.articles}
        order = {a.slug: n for n, a in enumerate(archive.articles)}
        ordered = sorted(archive.annotations, key=lambda a: (order[a.article], a.span.paragraph, a.span.start, -a.span.end, a.id))
        by_article: dict[str, list[Annotation]] = {slug: [] for slug in articles}
        by_claim: dict[str, list[Annotation]] = {c.id: [] for c in archive.claims}
        by_theme: dict[str, list[Annotation]] = {t.slug: [] for t in archive.themes}
        numbers = {}
        for annotation in ordered:
            by_article[annotation.article].append(annotation)
            numbers[annotation.id] = len(by_article[annotation.article])
            if annotation.claim:
                by_claim[annotation.claim].append(annotation)
            by_theme[annotation.theme].append(annotation)
        shared_by_article: dict[str, list[tuple[SharedPassage, Occurrence]]] = {slug: [] for slug in articles}
        for passage in shared:
            for occurrence in passage.occurrences:
                shared_by_article[occurrence.article].append((passage, occurrence))
        return cls(articles, {c.id: c for c in archive.claims}, {t.slug: t for t in archive.themes},
                   by_article, by_claim, by_theme, numbers,
                   {t.slug: n % 4 + 1 for n, t in enumerate(archive.themes)}, shared, shared_by_article)


class Strings(dict):
    """The interface strings of one edition; a missing one is a content error, not a crash."""

    def __missing__(self, key: str) -> str:
        raise ContentError("templates/strings.yaml", None, f"the interface string '{key}' is missing",
                           f"add '{key}: {{zh: …, en: …}}' to templates/strings.yaml")


class EditionView:
    """Everything a page of one edition needs to turn records into display values."""

    def __init__(self, archive: Archive, index: ArchiveIndex, edition: Edition, editions: tuple[Edition, ...],
                 catalogue: dict[str, dict[str, str]], converter: ScriptConverter, assets: dict[str, str]):
        self.archive, self.index, self.edition, self.editions = archive, index, edition, editions
        self.converter, self.assets = converter, assets
        self._remembered: dict[tuple, object] = {}
        self.base = archive.config.base_url
        self.strings = Strings({key: self.zh(texts[edition.ui]) if edition.ui == "zh" else texts["en"]
                                for key, texts in catalogue.items()})

    def remembered(self, key: tuple, make: Callable[[], T]) -> T:
        """make(), made once per edition for key: display values that many pages repeat."""
        if key not in self._remembered:
            self._remembered[key] = make()
        return self._remembered[key]  # type: ignore[return-value]

    # -- urls
    def url(self, route: str, edition: Edition | None = None) -> str:
        return self.base + (edition or self.edition).prefix + route

    def asset(self, name: str) -> str:
        """The published URL of templates/static/<name>."""
        if name not in self.assets:
            raise ContentError(f"templates/static/{name}", None, "the file is missing, and the pages link to it",
                               "restore it from the repository")
        return self.base + self.assets[name]

    def resolve(self, kind: str, target: str, fragment: str) -> str:
        if kind == "claim":
            return self.url(route_of_theme(self.index.claims[target].theme)) + f"#claim-{target}"
        if kind == "theme":
            return self.url(route_of_theme(target))
        if kind == "page":
            return self.url(f"{target}/") + (f"#{fragment}" if fragment else "")
        return self.url(route_of_article(target)) + (f"#a-{fragment}" if fragment else "")

    # -- text
    def zh(self, text: str, source: str = SOURCE_SCRIPT) -> str:
        """Chinese text in this edition's script (the English edition keeps it as written)."""
        return self.converter.text(text, source, self.edition.script)

    def article_lang(self, article: Article) -> str:
        return self.edition.script or article.script

    def text_lang(self, text: str) -> str:
        """The lang of a free text that editors write in English or Chinese (provenance notes)."""
        han = sum(1 for c in text if "\u3400" <= c <= "\u9fff")
        latin = sum(1 for c in text if c.isascii() and c.isalpha())
        return self.chinese_lang() if han and han >= latin else "en"

    def chinese_lang(self) -> str:
        return self.edition.script or SOURCE_SCRIPT

    def markdown(self, text: Markdown) -> Markup:
        html = resolve_links(text.html, self.resolve)
        return Markup(self.converter.html(html, SOURCE_SCRIPT, self.edition.script))

    def localised(self, chinese: Markdown, english: Markdown | None, missing_key: str) -> dict:
        """The edition's version of an editor text: {html, lang, missing (a notice or '')}."""
        if self.edition.ui == "en":
            if english is not None and english.text.strip():
                return {"html": self.markdown(english), "lang": "en", "missing": ""}
            return {"html": self.markdown(chinese), "lang": SOURCE_SCRIPT, "missing": self.strings[missing_key]}
        return {"html": self.markdown(chinese), "lang": self.chinese_lang(), "missing": ""}

    def label(self, chinese: str, english: str) -> tuple[str, str]:
        """A short text and its lang: English in the English edition where there is one."""
        if self.edition.ui == "en" and english:
            return english, "en"
        return self.zh(chinese), self.chinese_lang()

    def count(self, key: str, count: int) -> str:
        return self.fill(key, count=count)

    def fill(self, key: str, **values: int | str) -> str:
        """The interface string key with each {name} in it replaced by values[name]."""
        text = self.strings[key]
        for name, value in values.items():
            text = text.replace("{" + name + "}", str(value))
        return text

    # -- shared pieces
    def common(self, route: str, title: str, description: str = "", kind: str = "website") -> dict:
        config = self.archive.config
        site_title, _ = self.label(config.title, config.title_en)
        site_description, _ = self.label(config.description, config.description_en)
        canonical = config.absolute(self.url(route)) if config.origin else ""
        switch = [{"code": e.code, "label": EDITION_LABELS[e.code][0], "lang": EDITION_LABELS[e.code][1],
                   "url": self.url(route, e), "current": e == self.edition,
                   "name": self.strings[f"edition_name_{e.code}"]} for e in self.editions]
        nav = [{"label": self.label(t.title, t.title_en)[0], "url": self.url(route_of_theme(t.slug)),
                "current": route == route_of_theme(t.slug)} for t in self.archive.themes]
        footer = [{"label": self.label(p.title, p.title_en)[0], "url": self.url(f"{p.slug}/")} for p in self.archive.pages]
        footer.append({"label": self.strings["data"], "url": self.url("data/")})
        return {
            "footer_links": footer,
            "lang": self.edition.lang, "edition": self.edition.code, "strings": self.strings,
            "site_title": site_title, "title": title, "home_url": self.url(""),
            "stylesheet": self.asset("style.css"), "editions": switch, "nav": nav,
            "route": route, "json_ld": "", "search_url": self.url("search/"), "favicon": self.base + self.assets["favicon.svg"] if "favicon.svg" in self.assets else "",
            "meta": {"description": description or site_description, "canonical": canonical, "type": kind,
                     "locale": OG_LOCALES[self.edition.code], "feed": self.url("feed.xml"),
                     "alternate_locales": [OG_LOCALES[e.code] for e in self.editions if e != self.edition]},
        }

    def verdict(self, claim: Claim) -> dict:
        return {"code": claim.verdict, "label": self.strings[f"verdict_{claim.verdict}"]}

    def claim_summary(self, claim: Claim) -> dict:
        label, lang = self.label(claim.label, claim.label_en)
        return {"id": claim.id, "label": label, "lang": lang, "verdict": self.verdict(claim),
                "url": self.resolve("claim", claim.id, "")}

    def passage_text(self, annotation: Annotation) -> str:
        article = self.index.articles[annotation.article]
        return self.passage_in(article, annotation.span)

    def passage_in(self, article: Article, span: Span) -> str:
        """The passage of article at span, shown as its article page shows it."""
        return self.converter.pieces(article.paragraphs[span.paragraph], article.script, self.edition.script)(span.start, span.end)


def page_path(view: EditionView, route: str) -> str:
    """Where the page at an edition-relative route is written: route/index.html, or the route itself for a file."""
    return view.edition.prefix + (route if route.endswith(".html") else route + "index.html")


def page_at(view: EditionView, route: str, template: str, context: dict) -> Page:
    """The page of view's edition at route, rendered by template with context."""
    return Page(page_path(view, route), template, context, route)


# ---------------------------------------------------------------- article pages

def highlight(text: str, spans: list[tuple[int, int, Annotation]], show: Callable[[int, int], str],
              numbers: dict[str, int], tones: dict[str, int], note_word: str,
              shared: list[tuple[int, int, str]] = ()) -> Markup:
    """A paragraph with each annotated span in <mark>, its note number after it.

    show(start, end): text[start:end] as the edition shows it (ScriptConverter.pieces).
    Overlapping spans are cut into segments; each segment is marked with the theme of the innermost
    span covering it, and the outermost span starting at a boundary carries the anchor id. Passages
    shared with other articles are wrapped in <span class="shared">, the first piece with its anchor.
    """
    cuts = sorted({0, len(text), *(s for s, _, _ in spans), *(e for _, e, _ in spans),
                   *(s for s, _, _ in shared), *(e for _, e, _ in shared)})
    out: list[str] = []
    for start, end in zip(cuts, cuts[1:]):
        in_shared = [p for p in shared if p[0] <= start and p[1] >= end]
        opening = next((p for p in in_shared if p[0] == start), None)
        if in_shared:
            anchor = f' id="{opening[2]}"' if opening else ""
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
        first.append((slug, {"title": view.zh(other.title, other.script), "outlet": view.zh(other.outlet, other.script),
                             "lang": view.article_lang(other), "url": view.url(route_of_article(slug)) + f"#{passage.id}"}))
    carried_elsewhere = len(passage.articles) - 1  # the note's own article is one of the occurrences
    theme = view.archive.config.shared_theme
    more = {"count": view.count("article_count", carried_elsewhere - SHARED_SHOWN),
            "url": view.url(route_of_theme(theme)) + f"#list-{passage.id}"} if carried_elsewhere > SHARED_SHOWN and theme else None
    return first, more


SHARED_LISTED = 100  # shared passages listed on the theme page, most widely carried first
CARRIERS_LISTED = 12  # articles named under each; data/shared-passages.json has them all


def shared_passage_view(view: EditionView, passage: SharedPassage) -> dict:
    """A shared passage for the theme page: its text as the first article has it, and the first articles."""
    first = passage.occurrences[0]
    article = view.index.articles[first.article]
    span = first.spans[0]
    carriers = []
    for occurrence in passage.occurrences[:CARRIERS_LISTED]:
        other = view.index.articles[occurrence.article]
        carriers.append({"title": view.zh(other.title, other.script), "outlet": view.zh(other.outlet, other.script),
                         "lang": view.article_lang(other),
                         "published": other.published.iso() if other.published else view.strings["date_unknown"],
                         "url": view.url(route_of_article(other.slug)) + f"#{passage.id}"})
    hidden = len(passage.occurrences) - len(carriers)
    return {"id": passage.id, "text": view.passage_in(article, span),
            "lang": view.article_lang(article), "count": view.count("article_count", len(passage.occurrences)),
            "carriers": carriers, "more": view.count("article_count", hidden) if hidden else ""}


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
        "gloss": annotation.gloss_en if view.edition.ui == "en" else "", "framing": framing,
        "tags": [view.zh(t) for t in annotation.tags],
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
    converted = view.edition.script is not None and view.edition.script != article.script
    return {
        "slug": article.slug, "url": view.url(route_of_article(article.slug)),
        "title": show(article.title), "outlet": show(article.outlet),
        "authors": [show(a) for a in article.authors],
        "published": article.published.iso() if article.published else "",
        "sources": [{"url": s.url, "note": view.zh(s.note), "note_lang": view.text_lang(s.note)} for s in article.sources],
        "script": article.script, "script_label": strings[f"script_{article.script}"],
        "capture": article.capture, "capture_url": view.base + f"captures/{article.capture}", "sha256": article.sha256,
        "trims": [{"lines": strings["capture_lines"].replace("{lines}", t.label()), "what": view.zh(t.what), "what_lang": view.text_lang(t.what)} for t in article.trims],
        "notes": view.zh(article.notes), "notes_lang": view.text_lang(article.notes), "lang": view.article_lang(article),
        "converted_notice": strings["converted_notice"].replace("{captured}", strings[f"script_{article.script}"])
                            .replace("{shown}", strings[f"script_{view.edition.script}"]) if converted else "",
        "rows": rows, "note_count": view.count("note_count", len(annotations)),
        "themes": sorted({a.theme for a in annotations}),
    }


def article_page(view: EditionView, article: Article) -> Page:
    data = article_view(view, article)
    route = route_of_article(article.slug)
    description = f"{data['outlet']} · {data['published'] or view.strings['date_unknown']} · {data['note_count']}"
    context = view.common(route, data["title"], description, "article") | {"article": data,
                                                                          "json_ld": structured.news_article(view, article)}
    return page_at(view, route, "article.html", context)


# ---------------------------------------------------------------- theme pages

def passage_view(view: EditionView, annotation: Annotation) -> dict:
    article = view.index.articles[annotation.article]
    return {
        "id": annotation.id, "quote": view.passage_text(annotation), "lang": view.article_lang(article),
        "url": view.url(route_of_article(article.slug)) + f"#a-{annotation.id}",
        "article_title": view.zh(article.title, article.script), "article_lang": view.article_lang(article),
        "outlet": view.zh(article.outlet, article.script),
        "published": article.published.iso() if article.published else view.strings["date_unknown"],
        "gloss": annotation.gloss_en if view.edition.ui == "en" else "", "note": None,
    }


PASSAGES_ON_THEME = 12  # passages shown under a claim on its theme page; its own page lists them all


def claim_view(view: EditionView, claim: Claim, limit: int | None = None) -> dict:
    """A claim with its context, sources and passages (the first limit of them, and a link to all)."""
    summary = view.claim_summary(claim)
    annotations = view.index.by_claim[claim.id]
    shown = annotations if limit is None else annotations[:limit]
    more = None
    if len(shown) < len(annotations):
        more = {"url": view.url(route_of_claim(claim.id)),
                "label": view.strings["all_passages"].replace("{count}", str(len(annotations)))}
    return summary | {
        "anchor": f"claim-{claim.id}",
        "context": view.localised(claim.context, claim.context_en, "english_missing_claim"),
        "sources": [{"publisher": view.zh(s.publisher), "publisher_lang": view.text_lang(s.publisher),
                     "title": view.zh(s.title), "title_lang": view.text_lang(s.title), "date": s.date.iso(),
                     "url": s.url, "via": s.via} for s in claim.sources],
        "no_source": view.zh(claim.no_source),
        "passages": [passage_view(view, a) for a in shown], "more": more,
    }


def claim_page(view: EditionView, claim: Claim) -> Page:
    """A claim on a page of its own, with every passage that carries it."""
    data = claim_view(view, claim)
    theme = view.index.themes[claim.theme]
    title, lang = view.label(theme.title, theme.title_en)
    route = route_of_claim(claim.id)
    context = view.common(route, data["label"]) | {"claim": data, "theme_url": view.url(route_of_theme(theme.slug)),
                                                  "theme_title": title, "theme_lang": lang,
                                                  "json_ld": structured.claim_reviews(view, [claim])}
    return page_at(view, route, "claim.html", context)


def theme_view(view: EditionView, theme: Theme) -> dict:
    annotations = view.index.by_theme[theme.slug]
    claim_ids: list[str] = []
    for annotation in annotations:
        if annotation.claim and annotation.claim not in claim_ids:
            claim_ids.append(annotation.claim)
    unclaimed = [a for a in annotations if not a.claim]
    groups = []
    for function in (*ENTMAN_FUNCTIONS, None):
        members = [a for a in unclaimed if a.entman == function]
        if members:
            title = view.strings[f"entman_{function}"] if function else view.strings["other_passages"]
            groups.append({"id": f"group-{function or 'other'}", "title": title,
                           "passages": [passage_view(view, a) | {"note": note_view(view, a)} for a in members]})
    title, lang = view.label(theme.title, theme.title_en)
    shared = view.index.shared if theme.slug == view.archive.config.shared_theme else ()
    claims = [view.index.claims[c] for c in claim_ids]
    numbers = analysis.statistics_table(view, claims) if theme.slug == view.archive.config.numbers_theme else []
    return {
        "matrix": analysis.claim_matrix(view, claims, f"matrix-{theme.slug}") if claims else None,
        "numbers": numbers,
        "shared": [shared_passage_view(view, p) for p in shared[:SHARED_LISTED]],
        "shared_total": len(shared), "shared_data": view.base + "data/shared-passages.json",
        "slug": theme.slug, "title": title, "title_lang": lang,
        "intro": view.localised(theme.intro, theme.intro_en, "english_missing_theme"),
        "claims": [claim_view(view, view.index.claims[c], PASSAGES_ON_THEME) for c in claim_ids], "groups": groups,
        "passage_count": view.count("passage_count", len(annotations)),
        "claim_count": view.count("claim_count", len(claim_ids)),
    }


def theme_page(view: EditionView, theme: Theme) -> Page:
    data = theme_view(view, theme)
    route = route_of_theme(theme.slug)
    claims = [view.index.claims[c["id"]] for c in data["claims"]]
    context = view.common(route, data["title"]) | {"theme": data, "json_ld": structured.claim_reviews(view, claims)}
    return page_at(view, route, "theme.html", context)


# ---------------------------------------------------------------- index, article list and 404

RECENT_ARTICLES = 20  # articles listed on the index, the most recently published; the article list has them all
ARTICLES_PER_PAGE = 100  # articles on each page of the article list
PAGINATION_RADIUS = 2  # pages linked on each side of the current one, besides the first and the last


def article_item(view: EditionView, article: Article) -> dict:
    """An article as the index and the article list show it: title, outlet, date and number of notes."""
    return {"title": view.zh(article.title, article.script), "lang": view.article_lang(article),
            "url": view.url(route_of_article(article.slug)), "outlet": view.zh(article.outlet, article.script),
            "published": article.published.iso() if article.published else view.strings["date_unknown"],
            "notes": view.count("note_count", len(view.index.by_article[article.slug]))}


def newest_articles(articles: Sequence[Article], limit: int) -> list[Article]:
    """The limit most recently published articles, in their given order; undated articles count as the oldest."""
    ranked = sorted(articles, key=lambda a: (a.published is not None, a.sort_key()))
    kept = {a.slug for a in ranked[max(0, len(ranked) - limit):]}
    return [a for a in articles if a.slug in kept]


def page_count(total: int, per_page: int) -> int:
    """How many pages a list of total items takes at per_page a page: at least one, even when empty."""
    return max(1, -(-total // per_page))


def page_window(current: int, count: int, radius: int = PAGINATION_RADIUS) -> list[int | None]:
    """The page numbers a pagination nav links, in order: the first, the last and those within radius
    of current, with None where two or more numbers are left out (a single one is linked instead)."""
    numbers = sorted({1, count, *range(max(1, current - radius), min(count, current + radius) + 1)})
    window: list[int | None] = []
    for number in numbers:
        if window and number - window[-1] == 2:
            window.append(number - 1)
        elif window and number - window[-1] > 2:
            window.append(None)
        window.append(number)
    return window


def pagination(view: EditionView, current: int, count: int) -> dict | None:
    """The nav between the pages of the article list: previous, numbered pages and next; None for a single page."""
    if count < 2:
        return None

    def link(number: int) -> dict:
        return {"number": number, "url": view.url(route_of_article_list(number)), "current": number == current,
                "label": view.fill("page_number", number=number)}
    return {"previous": link(current - 1) if current > 1 else None, "next": link(current + 1) if current < count else None,
            "pages": [link(number) if number else None for number in page_window(current, count)]}


def listed_articles(articles: Sequence[Article], number: int) -> Sequence[Article]:
    """The articles page number of the article list shows."""
    first = (number - 1) * ARTICLES_PER_PAGE
    return articles[first:first + ARTICLES_PER_PAGE]


def article_list_page(view: EditionView, number: int, count: int) -> Page:
    """Page number (of count) of the list of every article, ARTICLES_PER_PAGE a page, in the archive's order."""
    articles = view.archive.articles
    first = (number - 1) * ARTICLES_PER_PAGE
    shown = listed_articles(articles, number)
    route = route_of_article_list(number)
    title = view.fill("article_list_page_title", number=number, count=count) if count > 1 else view.strings["all_articles"]
    summary = (view.fill("article_list_range", first=first + 1, last=first + len(shown), count=len(articles)) if count > 1
               else view.count("article_list_all", len(articles)))
    listing = {"title": title, "summary": summary, "start": first + 1, "paged": count > 1,
               "articles": [article_item(view, a) for a in shown], "pagination": pagination(view, number, count)}
    return page_at(view, route, "articles.html", view.common(route, title, summary) | {"listing": listing})


def index_page(view: EditionView) -> Page:
    config = view.archive.config
    description, description_lang = view.label(config.description, config.description_en)
    themes = []
    for theme in view.archive.themes:
        annotations = view.index.by_theme[theme.slug]
        title, lang = view.label(theme.title, theme.title_en)
        themes.append({"slug": theme.slug, "tone": view.index.tones[theme.slug], "title": title, "lang": lang, "url": view.url(route_of_theme(theme.slug)),
                       "passages": view.count("passage_count", len(annotations)),
                       "claims": view.count("claim_count", len({a.claim for a in annotations if a.claim}))})
    total = len(view.archive.articles)
    recent = newest_articles(view.archive.articles, RECENT_ARTICLES)
    articles = [article_item(view, a) for a in recent]
    article_list = {"url": view.url(route_of_article_list(1)), "label": view.count("all_articles_link", total),
                    "recent": view.fill("recent_articles", shown=len(recent), count=total) if len(recent) < total else ""}
    verdicts = {}
    for claim in view.archive.claims:
        verdicts.setdefault(claim.verdict, 0)
        verdicts[claim.verdict] += 1
    summary = [{"code": code, "label": view.strings[f"verdict_{code}"], "count": count} for code, count in sorted(verdicts.items())]
    site_title, _ = view.label(config.title, config.title_en)
    ordered_claims = [c for t in view.archive.themes for c in view.archive.claims if c.theme == t.slug]
    context = view.common("", site_title) | {"description": description, "description_lang": description_lang,
                                             "themes": themes, "articles": articles, "article_list": article_list,
                                             "verdicts": summary,
                                             "matrix": analysis.claim_matrix(view, ordered_claims, "matrix-all"),
                                             "by_outlet": analysis.themes_by_outlet(view),
                                             "timeline": analysis.timeline(view)}
    return page_at(view, "", "index.html", context)


def text_page(view: EditionView, page) -> Page:
    title, lang = view.label(page.title, page.title_en)
    route = f"{page.slug}/"
    body = view.localised(page.body, page.body_en, "english_missing_page")
    return page_at(view, route, "page.html", view.common(route, title) | {"page": {"title": title, "lang": lang, "body": body}})


def data_page(view: EditionView) -> Page:
    """The open-data page: what each export holds."""
    files = [
        {"name": "annotations.jsonld", "format": "JSON-LD, W3C Web Annotation", "url": view.base + "data/annotations.jsonld",
         "description": view.strings["data_annotations"]},
        {"name": "claims.json", "format": "JSON", "url": view.base + "data/claims.json", "description": view.strings["data_claims_json"]},
        {"name": "claims.csv", "format": "CSV, UTF-8", "url": view.base + "data/claims.csv", "description": view.strings["data_claims_csv"]},
        {"name": "shared-passages.json", "format": "JSON", "url": view.base + "data/shared-passages.json",
         "description": view.strings["data_shared"]},
        {"name": "feed.xml", "format": "Atom", "url": view.url("feed.xml"), "description": view.strings["data_feed"]},
    ]
    verdicts = [{"code": code, "label": view.strings[f"verdict_{code}"]} for code in VERDICTS]
    context = view.common("data/", view.strings["data"]) | {"files": files, "verdicts": verdicts,
                                                            "claimreview": view.fill("data_claimreview", count=structured.APPEARANCES)}
    return page_at(view, "data/", "data.html", context)


def search_page(view: EditionView) -> Page:
    """The search form; framing/search.py builds the index, templates/static/search.js runs it."""
    route = "search/"
    context = view.common(route, view.strings["search"]) | {
        "search": {"script": view.asset("search.js"), "bundle": view.base + BUNDLE,
                   "language": index_language(view.edition.lang), "table": view.asset(SCRIPT_TABLE),
                   "merged": " ".join(view.base + folder for folder in merged_bundles(
                       [a.slug for a in view.archive.articles], bool(view.archive.themes), view.edition.code))}}
    return page_at(view, route, "search.html", context)


def not_found_page(view: EditionView) -> Page:
    return page_at(view, "404.html", "404.html", view.common("404.html", view.strings["not_found_title"]))


def edition_views(archive: Archive, catalogue: dict[str, dict[str, str]], converter: ScriptConverter,
                  assets: dict[str, str], shared: tuple[SharedPassage, ...] = ()) -> list[EditionView]:
    """One view per edition, the default edition first, sharing look-ups and memos."""
    index = ArchiveIndex.of(archive, shared)
    editions = editions_for(archive.config.default_edition)
    return [EditionView(archive, index, edition, editions, catalogue, converter, assets) for edition in editions]


@dataclass(frozen=True)
class PlannedPage:
    """A page whose path is known before it is assembled: build() makes its context.

    Planning every page first and building each one only when it is rendered keeps a single page's
    context in memory at a time, lets worker processes assemble pages as well as render them, and
    lets the live preview build just the page a browser asks for.
    """

    path: str
    route: str
    indexed: bool  # search indexes it
    make: Callable[[], Page]
    reads: Callable[[], bytes] | None = None  # a digest of what make() reads, where known (framing/dependencies.py)

    def build(self) -> Page:
        page = self.make()
        if page.path != self.path:
            raise RuntimeError(f"planned {self.path} but assembled {page.path}")
        return page


def plan_pages(views: list[EditionView]) -> list[PlannedPage]:
    """Every page of every edition, not yet assembled: first the pages search indexes, in the order
    that lets each indexer run (an edition's pages of one shard) start soonest. So the articles of
    the other shards come first, group by group (search.run_group: the two Chinese editions'
    pages together, so that the runs of both start at once), and the main shard's pages last, group
    by group, its articles before the theme pages, which are slow to make. After an edit to one
    annotation, which changes its theme's pages and few article pages, the runs over the edited
    article's shard start before any theme page is made."""
    sharded: dict[str, list[PlannedPage]] = {}
    primary: dict[str, tuple[list[PlannedPage], list[PlannedPage]]] = {}
    others: list[PlannedPage] = []

    def plan(into: list[PlannedPage], view: EditionView, route: str, make: Callable[..., Page], *args: object,
             reads: Callable[[], bytes] | None = None) -> None:
        into.append(PlannedPage(page_path(view, route), route, into is not others, functools.partial(make, view, *args), reads))

    if not views:
        return []
    reads = PageReads(views[0].index, Limits(named=SHARED_SHOWN + 1, shared_listed=SHARED_LISTED, carriers_listed=CARRIERS_LISTED))
    main_shard = in_primary_shard([a.slug for a in views[0].archive.articles], bool(views[0].archive.themes))
    for view in views:
        archive = view.archive
        group = run_group(view.edition.code)
        articles, themes = primary.setdefault(group, ([], []))
        elsewhere = sharded.setdefault(group, [])
        for article in archive.articles:
            plan(articles if article.slug in main_shard else elsewhere, view, route_of_article(article.slug), article_page,
                 article, reads=functools.partial(reads.article, view, article))
        for theme in archive.themes:
            plan(themes, view, route_of_theme(theme.slug), theme_page, theme, reads=functools.partial(reads.theme, view, theme.slug))
        plan(others, view, "", index_page, reads=functools.partial(reads.overview, view))
        count = page_count(len(archive.articles), ARTICLES_PER_PAGE)
        for number in range(1, count + 1):
            shown = [a.slug for a in listed_articles(archive.articles, number)]
            plan(others, view, route_of_article_list(number), article_list_page, number, count,
                 reads=functools.partial(reads.article_list, view, number, count, shown))
        for claim in archive.claims:
            plan(others, view, route_of_claim(claim.id), claim_page, claim, reads=functools.partial(reads.claim, view, claim.id))
        for page in archive.pages:
            plan(others, view, f"{page.slug}/", text_page, page)
        plan(others, view, "data/", data_page)
        plan(others, view, "search/", search_page)
        plan(others, view, "404.html", not_found_page)
    return ([page for pages in sharded.values() for page in pages]
            + [page for articles, themes in primary.values() for page in articles + themes] + others)
