"""The archive as immutable records: what loading and validation produce, and all later stages read.

Nothing here does I/O or knows about HTML. Offsets are Unicode code points.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

from framing.source.fingerprint import fingerprint

# The verdicts, in the order pages list them. The three kinds of uncertainty are told apart:
# 'approximate' (a source gives a close but different figure), 'company-claim' (only the company's
# own statement, which no one has checked independently) and 'not-found' (no source found at all);
# 'unverifiable' stays for a case that is none of these.
VERDICTS = ("consistent", "approximate", "overstated", "misattributed", "contradicted",
            "company-claim", "not-found", "unverifiable")
# A verdict's place on the ClaimReview scale (5 best, 1 worst); the uncertain verdicts judge no
# truth and carry a name only.
VERDICT_RATINGS = {"consistent": 5, "approximate": 4, "overstated": 3, "misattributed": 2, "contradicted": 1}
SCRIPTS = ("zh-Hans", "zh-Hant")
# The captured languages the interface names (strings script_<code>); an article in any other shows its code.
NAMED_LANGUAGES = (*SCRIPTS, "en")
DEVICES = ("label", "analogy", "storyline", "omission", "voices")
ENTMAN_FUNCTIONS = ("define-problem", "diagnose-causes", "moral-judgement", "suggest-remedy")
FRAME_DIMENSIONS = (
    "economic", "capacity-resources", "morality", "fairness-equality", "legality",
    "policy-prescription", "crime-punishment", "security-defense", "health-safety",
    "quality-of-life", "cultural-identity", "public-opinion", "political",
    "external-regulation", "other",
)


_DIGESTS = ("fingerprint",)  # the fields a record makes from its others


def _fingerprint(record: object, digest: str = "fingerprint", leaving_out: tuple[str, ...] = ()) -> None:
    """Set a record's fingerprint (or another digest field): a digest of its other fields but those
    left out. An output that read the record is taken from the previous build while the record's
    digest is the same (framing/site/reads.py); made once with the record, it is kept with it in
    the store."""
    left_out = (*_DIGESTS, *leaving_out)
    values = tuple(getattr(record, f.name) for f in fields(record) if f.name not in left_out)  # type: ignore[arg-type]
    object.__setattr__(record, digest, fingerprint(values))


@dataclass(frozen=True)
class PartialDate:
    """A date known to the year, month, day, or minute/second: only what the source gives."""

    year: int
    month: int | None = None
    day: int | None = None
    time: str | None = None  # "HH:MM" or "HH:MM:SS", only with a day

    def iso(self) -> str:
        text = f"{self.year:04d}"
        if self.month:
            text += f"-{self.month:02d}"
        if self.day:
            text += f"-{self.day:02d}"
        if self.time:
            text += f" {self.time}"
        return text

    def sort_key(self) -> tuple[int, int, int, str]:
        return (self.year, self.month or 0, self.day or 0, self.time or "")


@dataclass(frozen=True)
class Place:
    """Where a record was written: for error messages and 'edit this' links."""

    path: str
    line: int


@dataclass(frozen=True)
class ScriptOverride:
    """A phrase OpenCC converts wrongly into Traditional script, and its right form
    (content/script-overrides.yaml; framing/source/scriptoverrides.py)."""

    simplified: str
    traditional: str
    place: Place


@dataclass(frozen=True)
class Markdown:
    """Editor-written markdown, where it starts (so problems point at the file), and its sanitised HTML."""

    text: str
    place: Place
    html: str = ""


@dataclass(frozen=True)
class Trim:
    """Lines of the capture left out of the article body as page chrome, and what they were."""

    first: int
    last: int | None  # None: to the end of the capture
    what: str
    what_en: str = ""  # in English, where 'what' is not

    def label(self) -> str:
        return f"{self.first}-{self.last}" if self.last is not None else f"{self.first}-"


@dataclass(frozen=True)
class SourceLink:
    """Where the article itself can be read."""

    url: str
    note: str = ""
    note_en: str = ""  # the note in English, for the English edition
    accessed: PartialDate | None = None  # when an editor last read the page there


@dataclass(frozen=True)
class Article:
    """One archived article: provenance and its verbatim paragraphs."""

    slug: str
    place: Place
    title: str
    outlet: str
    authors: tuple[str, ...]
    published: PartialDate | None
    sources: tuple[SourceLink, ...]
    language: str  # BCP 47: zh-Hans, zh-Hant, en, …
    script: str  # the script Chinese text is converted from: the language itself (zh-Hans, zh-Hant), or it for any other
    capture: str
    sha256: str
    trims: tuple[Trim, ...]
    notes: str
    paragraphs: tuple[str, ...]
    capture_lines: tuple[int, ...]  # the capture line each paragraph came from
    captured: PartialDate | None = None  # when the capture was made
    published_after: PartialDate | None = None  # where 'published' is unknown: the earliest it can be (that day included)
    published_before: PartialDate | None = None  # … and the latest
    title_en: str = ""  # the editors' English translation of a title in another language
    title_zh: str = ""  # the editors' Chinese (Simplified) translation of a title in another language
    outlet_en: str = ""  # the outlet's name in English, where it has one
    notes_en: str = ""  # the provenance notes in English
    fingerprint: bytes = field(init=False, compare=False, repr=False)  # a digest of all the above, made with the record

    def __post_init__(self) -> None:
        _fingerprint(self)

    def sort_key(self) -> tuple:
        date = self.published.sort_key() if self.published else (9999, 0, 0, "")
        return (date, self.slug)

    def dated_between(self) -> bool:
        """Whether the article's publication is known only as a range (one bound or two)."""
        return self.published is None and (self.published_after is not None or self.published_before is not None)


@dataclass(frozen=True)
class Span:
    """An anchored passage: paragraph index and code-point offsets [start, end) within it."""

    paragraph: int
    start: int
    end: int


@dataclass(frozen=True)
class Annotation:
    """A note anchored to an exact passage of one article."""

    id: str
    article: str
    place: Place
    quote: str
    prefix: str
    suffix: str
    theme: str
    claim: str | None
    tags: tuple[str, ...]
    device: str | None
    entman: str | None
    frame: str | None
    commentary: Markdown
    commentary_en: Markdown | None
    gloss_en: str
    span: Span
    fingerprint: bytes = field(init=False, compare=False, repr=False)  # a digest of all the above, made with the record

    def __post_init__(self) -> None:
        _fingerprint(self)


@dataclass(frozen=True)
class Source:
    """An outside source for a claim: the original publisher, and the copy read where needed."""

    publisher: str
    title: str
    date: PartialDate
    url: str
    via: str
    title_en: str = ""  # an English version of a title the archive describes in Chinese ('[…]')
    accessed: PartialDate | None = None  # when an editor last read it (the copy in 'via' where there is one)
    place: Place | None = field(default=None, compare=False)  # where its entry starts, for the source check


PUBLISHER_KINDS = ("original", "reputable", "secondary")


@dataclass(frozen=True)
class Publisher:
    """content/publishers.yaml: who publishes sources, where, and what kind of source each is.

    kind: 'original' (the party itself: a person, company or government body, a study's authors),
    'reputable' (reports or analyses under its own name and takes editorial responsibility for it)
    or 'secondary' (republishes or summarises others' work: aggregators, copies, blogs; or unknown).
    domains: host names (a site's subdomains included), each optionally with a path prefix
    ('huggingface.co/Qwen'), where the publisher's own pages are."""

    name: str
    place: Place
    kind: str
    domains: tuple[str, ...]
    also: tuple[str, ...] = ()  # other names sources give it


@dataclass(frozen=True)
class Claim:
    """A checkable claim with a verdict from the fixed list and its sources."""

    id: str
    place: Place
    theme: str
    label: str
    label_en: str
    verdict: str
    sources: tuple[Source, ...]
    no_source: str
    context: Markdown
    context_en: Markdown | None
    source_value: str = ""  # the figure the sources give, as text ('6亿次'), for the statistics table
    no_source_en: str = ""  # no_source in English


@dataclass(frozen=True)
class Theme:
    """One of the archive's themes, with its introduction."""

    slug: str
    place: Place
    title: str
    title_en: str
    intro: Markdown
    intro_en: Markdown | None


@dataclass(frozen=True)
class TextPage:
    """A page of prose such as the methodology: content/pages/<slug>.md (and .en.md)."""

    slug: str
    place: Place
    title: str
    title_en: str
    body: Markdown
    body_en: Markdown | None


@dataclass(frozen=True)
class Event:
    """Something the articles refer to, placed on the timeline with its sources."""

    date: PartialDate
    label: str
    label_en: str
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class Correction:
    """content/corrections.yaml: one change made after publication, what it was, why, and what it concerns."""

    id: str  # its anchor: the date and its place among that day's entries ('2026-12-07-1')
    place: Place
    date: PartialDate
    what: str
    why: str
    what_en: str = ""
    why_en: str = ""
    claims: tuple[str, ...] = ()
    annotations: tuple[str, ...] = ()
    articles: tuple[str, ...] = ()


@dataclass(frozen=True)
class SiteConfig:
    """content/site.yaml."""

    title: str
    title_en: str
    description: str
    description_en: str
    base_url: str  # the path the site is served under, '/…/'
    origin: str  # 'https://host' where base_url was given as a full URL, else ''
    default_edition: str
    themes: tuple[str, ...]
    repository: str  # where errors are reported: the archive's repository ('' for none)
    shared_min_length: int = 12  # folded characters a passage needs to count as shared
    shared_theme: str = ""  # the theme page that lists shared passages ('' for none)
    numbers_theme: str = ""  # the theme page that shows the statistics table ('' for none)
    maintainer: str = ""  # who runs the archive and answers for it ('' where not given)

    def absolute(self, path: str) -> str:
        """A site path as a full URL where the origin is known, else the path itself."""
        return self.origin + path


@dataclass(frozen=True)
class Archive:
    """Everything loaded and validated: the input of page assembly."""

    config: SiteConfig
    articles: tuple[Article, ...]
    themes: tuple[Theme, ...]
    claims: tuple[Claim, ...]
    annotations: tuple[Annotation, ...]
    pages: tuple[TextPage, ...] = ()
    events: tuple[Event, ...] = ()
    publishers: tuple[Publisher, ...] = ()  # empty where content/publishers.yaml is absent: sources are not checked
    corrections: tuple[Correction, ...] = ()  # newest first
    script_overrides: tuple[ScriptOverride, ...] = ()
