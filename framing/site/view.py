"""What every page of one edition reads: the archive through recorded look-ups (ArchiveIndex,
RecordedArchive), and the view that turns records into display values (EditionView). No I/O.

Script conversion and markdown rendering are memoised, so each distinct text is converted or
rendered once however many pages show it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, TypeVar

from markupsafe import Markup

from framing.errors import ContentError
from framing.site.editions import Edition, ScriptConverter
from framing.source.records import NAMED_LANGUAGES, Annotation, Archive, Article, Claim, Markdown, SiteConfig, Source, Span
from framing.site.reads import Digests, RecordedList, RecordedMap, recording, replay
from framing.source.markdown import resolve_links
from framing.site.routes import route_of_article, route_of_theme
from framing.site import correctionspage, reporting
from framing.site.shared import Occurrence, SharedPassage
from framing.source.languages import is_chinese
from framing.site.marking import mark_html, mark_text


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
        'check' reports (framing/output/englishcheck.py); a Chinese edition shows an English title as it is."""
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
        English and an English version is given, its Chinese words marked (framing/site/marking.py)."""
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
    return view.strings[f"script_{article.language}"] if article.language in NAMED_LANGUAGES else article.language


def _shown(text: str, lang: str, translated: bool = False, untranslated: bool = False) -> dict:
    return {"text": text, "lang": lang, "translated": translated, "untranslated": untranslated}


def page_path(view: EditionView, route: str) -> str:
    """Where the page at an edition-relative route is written: route/index.html, or the route itself for a file."""
    return view.edition.prefix + (route if route.endswith(".html") else route + "index.html")


def page_at(view: EditionView, route: str, template: str, context: dict) -> Page:
    """The page of view's edition at route, rendered by template with context."""
    return Page(page_path(view, route), template, context, route)


# ---------------------------------------------------------------- article pages

