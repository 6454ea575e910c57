"""Pure assembly: an Archive -> every Page of every edition. No I/O.

Each page is a template name, an output path and a context of plain values and Markup, built here
in Python so that templates only lay things out. Script conversion and markdown rendering are
memoised, so each distinct text is converted or rendered once however many pages show it.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from urllib.parse import quote
from typing import Callable, Sequence, TypeVar

from markupsafe import Markup, escape

from framing.errors import ContentError
from framing.site.editions import Edition, ScriptConverter, editions_for
from framing.source.records import ENTMAN_FUNCTIONS, VERDICTS, Annotation, Archive, Article, Claim, Markdown, SiteConfig, Source, Span, Theme
from framing.site.reads import Digests, RecordedList, RecordedMap, recording, replay
from framing.source.markdown import resolve_links
from framing.site.routes import route_of_article, route_of_article_list, route_of_claim, route_of_theme
from framing.site import analysis, correctionspage, datelabels, reporting
from framing.site import structured
from framing.site.shared import Occurrence, SharedPassage
from framing.source.languages import is_chinese
from framing.site.marking import mark_html, mark_text
from framing.site.facets import article_filters, facets, theme_filters
from framing.search.scripttables import EXCERPT_TABLE, SCRIPT_TABLE
from framing.search.searchrecords import RECORD_LANGUAGE

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
class RecordedArchive:
    """An Archive whose collections record what page functions read of them (framing/site/reads.py)."""

    config: SiteConfig
    articles: RecordedList
    themes: RecordedList
    claims: RecordedList
    annotations: RecordedList
    pages: RecordedList
    events: RecordedList
    publishers: RecordedList
    corrections: RecordedList

    @classmethod
    def of(cls, archive: Archive) -> "RecordedArchive":
        by_slug, by_id = (lambda record: record.slug), (lambda record: record.id)
        return cls(archive.config, RecordedList("articles", archive.articles, by_slug),
                   RecordedList("themes", archive.themes, by_slug), RecordedList("claims", archive.claims, by_id),
                   RecordedList("annotations", archive.annotations, by_id), RecordedList("pages", archive.pages, by_slug),
                   RecordedList("events", archive.events, lambda event: (event.date.iso(), event.label)),
                   RecordedList("publishers", archive.publishers, lambda publisher: publisher.name),
                   RecordedList("corrections", archive.corrections, by_id))

    def collections(self) -> list[RecordedList]:
        return [self.articles, self.themes, self.claims, self.annotations, self.pages, self.events, self.publishers,
                self.corrections]


@dataclass(frozen=True)
class ArchiveIndex:
    """Look-ups over an Archive, computed once: by slug, id, article, claim and theme; each records its reads."""

    archive: RecordedArchive
    articles: RecordedMap  # slug -> Article
    claims: RecordedMap  # id -> Claim
    themes: RecordedMap  # slug -> Theme
    by_article: RecordedMap  # slug -> [Annotation], in page order
    by_claim: RecordedMap  # id -> [Annotation]
    by_theme: RecordedMap  # slug -> [Annotation]
    numbers: RecordedMap  # annotation id -> its note number on its article page
    note_counts: RecordedMap  # slug -> how many notes its article page has (what a list shows of them)
    tones: RecordedMap  # theme slug -> its highlight style (1-4, by theme order)
    shared: RecordedList  # the passages articles share
    shared_by_article: RecordedMap  # slug -> [(SharedPassage, Occurrence)]

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
        return cls(RecordedArchive.of(archive), RecordedMap("article", articles),
                   RecordedMap("claim", {c.id: c for c in archive.claims}), RecordedMap("theme", {t.slug: t for t in archive.themes}),
                   RecordedMap("by_article", by_article), RecordedMap("by_claim", by_claim), RecordedMap("by_theme", by_theme),
                   RecordedMap("numbers", numbers), RecordedMap("note_counts", {slug: len(notes) for slug, notes in by_article.items()}),
                   RecordedMap("tones", {t.slug: n % 4 + 1 for n, t in enumerate(archive.themes)}),
                   RecordedList("shared", shared, lambda passage: passage.id), RecordedMap("shared_by_article", shared_by_article))

    def digests(self) -> Digests:
        """The digest of what each read of this index and its archive sees."""
        return Digests([*self.archive.collections(), self.articles, self.claims, self.themes, self.by_article,
                        self.by_claim, self.by_theme, self.numbers, self.note_counts, self.tones, self.shared, self.shared_by_article])


class Strings(dict):
    """The interface strings of one edition; a missing one is a content error, not a crash."""

    def __missing__(self, key: str) -> str:
        raise ContentError("templates/strings.yaml", None, f"the interface string '{key}' is missing",
                           f"add '{key}: {{zh: …, en: …}}' to templates/strings.yaml")


class EditionView:
    """Everything a page of one edition needs to turn records into display values."""

    def __init__(self, index: ArchiveIndex, edition: Edition, editions: tuple[Edition, ...],
                 catalogue: dict[str, dict[str, str]], converter: ScriptConverter, assets: dict[str, str],
                 search_bundles: tuple[str, ...] = ()):
        self.archive, self.index, self.edition, self.editions = index.archive, index, edition, editions
        self.converter, self.assets = converter, assets
        self._remembered: dict[tuple, tuple[object, frozenset]] = {}
        self.search_bundles = search_bundles  # the search index's bundles (paths under the site), the main one first
        self.base = index.archive.config.base_url
        self.strings = Strings({key: self.zh(texts[edition.ui]) if edition.ui == "zh" else texts["en"]
                                for key, texts in catalogue.items()})

    def remembered(self, key: tuple, make: Callable[[], T]) -> T:
        """make(), made once per edition for key: display values that many pages repeat. Each page
        that reuses the value records what making it read."""
        if key not in self._remembered:
            with recording() as reads:
                value = make()
            self._remembered[key] = (value, frozenset(reads))
        value, reads = self._remembered[key]
        replay(reads)
        return value  # type: ignore[return-value]

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
        """The lang of the article's own text in this edition: Chinese in the edition's script, any
        other language as it is written."""
        if is_chinese(article.language):
            return self.edition.script or article.script
        return article.language

    def article_title(self, article: Article) -> dict:
        """The article's title as this edition shows it: {text, lang, translated, untranslated}.

        The English edition shows the editors' English translation (title_en) of a title in another
        language, a Chinese edition the Chinese one (title_zh), both marked as translations. Where
        the English edition has none, it shows the title as written and marks it untranslated, which
        'check' reports (framing/englishcheck.py); a Chinese edition shows an English title as it is."""
        if self.edition.ui == "en" and not article.language.startswith("en"):
            if article.title_en:
                return _shown(article.title_en, "en", translated=True)
            return _shown(self.zh(article.title, article.script), self.article_lang(article), untranslated=True)
        if self.edition.ui == "zh" and not is_chinese(article.language) and article.title_zh:
            return _shown(self.zh(article.title_zh), self.chinese_lang(), translated=True)
        return _shown(self.zh(article.title, article.script), self.article_lang(article))

    def article_outlet(self, article: Article) -> dict:
        """The outlet's name as this edition shows it: {text, lang, translated, untranslated}; the
        English edition has outlet_en where the name is not English (else it is marked untranslated)."""
        if self.edition.ui == "en" and article.outlet_en:
            return _shown(article.outlet_en, "en")
        if self.edition.ui == "en" and is_chinese(article.language):
            return _shown(self.zh(article.outlet, article.script), self.article_lang(article), untranslated=True)
        return _shown(self.zh(article.outlet, article.script), self.article_lang(article))

    def source_title(self, source: Source) -> dict:
        """A claim source's title as this edition shows it: {title, title_lang, title_untranslated}. A title
        the archive describes in brackets ('[…]', where the source has none) is the editors' own words,
        so the English edition shows its title_en, and marks one in Chinese without it untranslated."""
        if self.edition.ui == "en" and source.title_en:
            return {"title": mark_text(source.title_en), "title_lang": "en", "title_untranslated": False}
        if self.edition.ui == "en" and source.title.startswith("[") and any("\u3400" <= c <= "\u9fff" for c in source.title):
            return {"title": source.title, "title_lang": self.text_lang(source.title), "title_untranslated": True}
        return {"title": self.cited(source.title), "title_lang": self.text_lang(source.title), "title_untranslated": False}

    def cited(self, name: str) -> str | Markup:
        """A source's publisher or title as cited: in the English edition, its Chinese words marked."""
        if self.edition.ui == "en" and self.text_lang(name) == "en":
            return mark_text(name)
        return self.zh(name)

    def editors_text(self, chinese: str, english: str) -> dict:
        """A provenance text editors write (notes, a source's note, a trimmed range's description) as
        this edition shows it: {text (Markup), lang, untranslated}. English where the edition is
        English and an English version is given, its Chinese words marked (framing/marking.py)."""
        if self.edition.ui == "en":
            if english or (chinese and self.text_lang(chinese) == "en"):
                return {"text": mark_text(english or chinese), "lang": "en", "untranslated": False}
            return {"text": self.zh(chinese), "lang": self.text_lang(chinese), "untranslated": bool(chinese)}
        return {"text": self.zh(chinese), "lang": self.text_lang(chinese), "untranslated": False}

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
                return {"html": mark_html(self.markdown(english)), "lang": "en", "missing": ""}
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
        footer.append({"label": self.strings["corrections"], "url": self.url(correctionspage.ROUTE)})
        return {
            "footer_links": footer, "report_url": self.report_url(route, title),
            "maintainer": {"name": self.zh(config.maintainer), "lang": self.text_lang(config.maintainer)} if config.maintainer else None,
            "lang": self.edition.lang, "edition": self.edition.code, "strings": self.strings,
            "site_title": site_title, "title": title, "home_url": self.url(""),
            "stylesheet": self.asset("style.css"), "editions": switch, "nav": nav,
            "route": route, "json_ld": "", "search_url": self.url("search/"), "favicon": self.base + self.assets["favicon.svg"] if "favicon.svg" in self.assets else "",
            "meta": {"description": description or site_description, "canonical": canonical, "type": kind,
                     "locale": OG_LOCALES[self.edition.code], "feed": self.url("feed.xml"),
                     "alternate_locales": [OG_LOCALES[e.code] for e in self.editions if e != self.edition]},
        }

    def report_url(self, route: str, title: str) -> str:
        """The footer's 'report an error' link for the page at route: a new issue about it ('' without a repository)."""
        config = self.archive.config
        if not config.repository:
            return ""
        address = config.absolute(self.url(route))
        return reporting.new_issue_url(config.repository, self.fill("report_title", title=title),
                                       self.fill("report_body", address=address))

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


def titled(view: EditionView, article: Article) -> dict:
    """An article's title and outlet as a list shows them, each with its lang: title, lang,
    title_translated, title_untranslated, outlet, outlet_lang, outlet_untranslated."""
    title, outlet = view.article_title(article), view.article_outlet(article)
    return {"title": title["text"], "lang": title["lang"], "title_translated": title["translated"],
            "title_untranslated": title["untranslated"], "outlet": outlet["text"], "outlet_lang": outlet["lang"],
            "outlet_untranslated": outlet["untranslated"]}


def _keyed(shown: dict) -> dict:
    """editors_text()'s {text, lang, untranslated} as {'': text, '_lang': lang, '_untranslated': …}, for prefixing."""
    return {"": shown["text"], "_lang": shown["lang"], "_untranslated": shown["untranslated"]}


def _language_label(view: EditionView, article: Article) -> str:
    """'Simplified Chinese', 'English', …: the captured language in the edition's interface language."""
    key = f"script_{article.language}"
    return view.strings[key] if key in view.strings else article.language


def _shown(text: str, lang: str, translated: bool = False, untranslated: bool = False) -> dict:
    return {"text": text, "lang": lang, "translated": translated, "untranslated": untranslated}


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
        first.append((slug, titled(view, other) | {"url": view.url(route_of_article(slug)) + f"#{passage.id}"}))
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
        carriers.append(titled(view, other) | {
                         "published": datelabels.publication(view, other), "dated": other.published is not None,
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

def passage_view(view: EditionView, annotation: Annotation) -> dict:
    article = view.index.articles[annotation.article]
    return {
        "id": annotation.id, "quote": view.passage_text(annotation), "lang": view.article_lang(article),
        "url": view.url(route_of_article(article.slug)) + f"#a-{annotation.id}",
        **{("article_title" if key == "title" else "article_lang" if key == "lang" else key): value
           for key, value in titled(view, article).items()},
        "published": datelabels.publication(view, article), "dated": article.published is not None,
        "gloss": mark_text(annotation.gloss_en) if view.edition.ui == "en" else "", "note": None,
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
        "sources": [{"publisher": view.cited(s.publisher), "publisher_lang": view.text_lang(s.publisher),
                     **view.source_title(s), "date": s.date.iso(), "url": s.url, "via": s.via,
                     "accessed": s.accessed.iso() if s.accessed else ""} for s in claim.sources],
        "no_source": view.editors_text(claim.no_source, claim.no_source_en),
        "corrections": correctionspage.corrections_of(view, "claims", claim.id),
        "passages": [passage_view(view, a) for a in shown], "more": more,
    }


def claim_page(view: EditionView, claim_id: str) -> Page:
    """A claim on a page of its own, with every passage that carries it."""
    claim = view.index.claims[claim_id]
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


def theme_page(view: EditionView, slug: str) -> Page:
    theme = view.index.themes[slug]
    data = theme_view(view, theme)
    route = route_of_theme(theme.slug)
    claims = [view.index.claims[c["id"]] for c in data["claims"]]
    context = view.common(route, data["title"]) | {"theme": data, "json_ld": structured.claim_reviews(view, claims),
                                                   "search_filters": theme_filters(view, theme),
                                                   "theme_search": view.url("search/") + "?theme=" + quote(theme.slug)}
    return page_at(view, route, "theme.html", context)


# ---------------------------------------------------------------- index, article list and 404

RECENT_ARTICLES = 20  # articles listed on the index, the most recently published; the article list has them all
ARTICLES_PER_PAGE = 100  # articles on each page of the article list
PAGINATION_RADIUS = 2  # pages linked on each side of the current one, besides the first and the last


def article_item(view: EditionView, article: Article) -> dict:
    """An article as the index and the article list show it: title, outlet, date and number of notes."""
    return titled(view, article) | {
            "url": view.url(route_of_article(article.slug)),
            "published": datelabels.publication(view, article), "dated": article.published is not None,
            "notes": view.count("note_count", view.index.note_counts[article.slug])}


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
    summary = [{"code": code, "label": view.strings[f"verdict_{code}"], "count": verdicts[code]} for code in VERDICTS if code in verdicts]
    site_title, _ = view.label(config.title, config.title_en)
    ordered_claims = [c for t in view.archive.themes for c in view.archive.claims if c.theme == t.slug]
    context = view.common("", site_title) | {"description": description, "description_lang": description_lang,
                                             "themes": themes, "articles": articles, "article_list": article_list,
                                             "verdicts": summary,
                                             "matrix": analysis.claim_matrix(view, ordered_claims, "matrix-all"),
                                             "by_outlet": analysis.themes_by_outlet(view),
                                             "timeline": analysis.timeline(view)}
    return page_at(view, "", "index.html", context)


def text_page(view: EditionView, slug: str) -> Page:
    page = next(p for p in view.archive.pages if p.slug == slug)
    title, lang = view.label(page.title, page.title_en)
    route = f"{page.slug}/"
    body = view.localised(page.body, page.body_en, "english_missing_page")
    return page_at(view, route, "page.html", view.common(route, title) | {"page": {"title": title, "lang": lang, "body": body}})


def data_page(view: EditionView) -> Page:
    """The open-data page: what each export holds."""
    files = [
        {"name": "annotations.jsonld", "format": "JSON-LD, W3C Web Annotation", "url": view.base + "data/annotations.jsonld",
         "description": view.strings["data_annotations"]},
        {"name": "articles.json", "format": "JSON", "url": view.base + "data/articles.json",
         "description": view.strings["data_articles"]},
        {"name": "claims.json", "format": "JSON", "url": view.base + "data/claims.json", "description": view.strings["data_claims_json"]},
        {"name": "claims.csv", "format": "CSV, UTF-8", "url": view.base + "data/claims.csv", "description": view.strings["data_claims_csv"]},
        {"name": "shared-passages.json", "format": "JSON", "url": view.base + "data/shared-passages.json",
         "description": view.strings["data_shared"]},
        {"name": "feed.xml", "format": "Atom", "url": view.url("feed.xml"), "description": view.strings["data_feed"]},
    ]
    verdicts = [{"code": code, "label": view.strings[f"verdict_{code}"], "about": view.strings[f"verdict_about_{code}"]}
                for code in VERDICTS]
    context = view.common("data/", view.strings["data"]) | {"files": files, "verdicts": verdicts,
                                                            "claimreview": view.fill("data_claimreview", count=structured.APPEARANCES)}
    return page_at(view, "data/", "data.html", context)


def search_page(view: EditionView) -> Page:
    """The search form and its facets; framing/search.py builds the index, templates/static/search.js runs it.
    The bundles to load (view.search_bundles) come from the index's layout."""
    route = "search/"
    main, *merged = view.search_bundles or ("",)
    context = view.common(route, view.strings["search"]) | {
        "search": {"script": view.asset("search.js"), "bundle": view.base + main, "language": RECORD_LANGUAGE,
                   "table": view.asset(SCRIPT_TABLE), "merged": " ".join(view.base + folder for folder in merged),
                   "edition_base": view.url(""), "script_shown": view.edition.script or "",
                   "excerpts": view.asset(EXCERPT_TABLE) if view.edition.script == "zh-Hant" else "",
                   "facets": facets(view)}}
    return page_at(view, route, "search.html", context)


def not_found_page(view: EditionView) -> Page:
    return page_at(view, "404.html", "404.html", view.common("404.html", view.strings["not_found_title"]))


def edition_views(archive: Archive, catalogue: dict[str, dict[str, str]], converter: ScriptConverter,
                  assets: dict[str, str], shared: tuple[SharedPassage, ...] = (),
                  search_bundles: tuple[str, ...] = ()) -> list[EditionView]:
    """One view per edition, the default edition first, sharing look-ups and memos. search_bundles:
    the search index's bundles (paths under the site), the main one first (search.bundles)."""
    index = ArchiveIndex.of(archive, shared)
    editions = editions_for(archive.config.default_edition)
    return [EditionView(index, edition, editions, catalogue, converter, assets, search_bundles) for edition in editions]


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

    def build(self) -> Page:
        page = self.make()
        if page.path != self.path:
            raise RuntimeError(f"planned {self.path} but assembled {page.path}")
        return page


def plan_pages(views: list[EditionView]) -> list[PlannedPage]:
    """Every page of every edition, not yet assembled: edition by edition, the article and theme
    pages (which search indexes) first. The build puts them in the order the indexer wants
    (search.indexing_order). Each page is planned by the key of what it is of (a slug, an id, a
    number) and looks its record up when assembled, so that the look-up is one of its reads."""
    indexed: list[PlannedPage] = []
    others: list[PlannedPage] = []

    def plan(into: list[PlannedPage], view: EditionView, route: str, make: Callable[..., Page], *args: object) -> None:
        into.append(PlannedPage(page_path(view, route), route, into is indexed, functools.partial(make, view, *args)))

    if not views:
        return []
    archive = views[0].index.archive
    slugs = [a.slug for a in archive.articles.items]
    for view in views:
        for slug in slugs:
            plan(indexed, view, route_of_article(slug), article_page, slug)
        for theme in archive.themes.items:
            plan(indexed, view, route_of_theme(theme.slug), theme_page, theme.slug)
        plan(others, view, "", index_page)
        count = page_count(len(slugs), ARTICLES_PER_PAGE)
        for number in range(1, count + 1):
            plan(others, view, route_of_article_list(number), article_list_page, number, count)
        for claim in archive.claims.items:
            plan(others, view, route_of_claim(claim.id), claim_page, claim.id)
        for page in archive.pages.items:
            plan(others, view, f"{page.slug}/", text_page, page.slug)
        plan(others, view, "data/", data_page)
        plan(others, view, correctionspage.ROUTE, correctionspage.corrections_page)
        plan(others, view, "search/", search_page)
        plan(others, view, "404.html", not_found_page)
    return indexed + others
