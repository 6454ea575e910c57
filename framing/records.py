"""The archive as immutable records: what loading and validation produce, and all later stages read.

Nothing here does I/O or knows about HTML. Offsets are Unicode code points.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

from .fingerprint import fingerprint

VERDICTS = ("consistent", "overstated", "misattributed", "contradicted", "unverifiable")
SCRIPTS = ("zh-Hans", "zh-Hant")
DEVICES = ("label", "analogy", "storyline", "omission", "voices")
ENTMAN_FUNCTIONS = ("define-problem", "diagnose-causes", "moral-judgement", "suggest-remedy")
FRAME_DIMENSIONS = (
    "economic", "capacity-resources", "morality", "fairness-equality", "legality",
    "policy-prescription", "crime-punishment", "security-defense", "health-safety",
    "quality-of-life", "cultural-identity", "public-opinion", "political",
    "external-regulation", "other",
)


_DIGESTS = ("fingerprint", "shown")  # the fields a record makes from its others


def _fingerprint(record: object, digest: str = "fingerprint", leaving_out: tuple[str, ...] = ()) -> None:
    """Set a record's fingerprint (or another digest field): a digest of its other fields but those
    left out. Pages that show the record are taken from the previous build while the digests they
    read are the same (framing/dependencies.py); made once with the record, each is kept with it in
    the build cache."""
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
    (content/script-overrides.yaml; framing/scriptoverrides.py)."""

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

    def label(self) -> str:
        return f"{self.first}-{self.last}" if self.last is not None else f"{self.first}-"


@dataclass(frozen=True)
class SourceLink:
    """Where the article itself can be read."""

    url: str
    note: str = ""


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
    language: str
    script: str
    capture: str
    sha256: str
    trims: tuple[Trim, ...]
    notes: str
    paragraphs: tuple[str, ...]
    capture_lines: tuple[int, ...]  # the capture line each paragraph came from
    fingerprint: bytes = field(init=False, compare=False, repr=False)  # a digest of all the above, made with the record
    shown: bytes = field(init=False, compare=False, repr=False)  # one of all but the text: what a list, a note or a passage shows

    def __post_init__(self) -> None:
        _fingerprint(self)
        _fingerprint(self, "shown", leaving_out=("paragraphs", "capture_lines"))

    def sort_key(self) -> tuple:
        date = self.published.sort_key() if self.published else (9999, 0, 0, "")
        return (date, self.slug)


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
    repository: str
    shared_min_length: int = 12  # folded characters a passage needs to count as shared
    shared_theme: str = ""  # the theme page that lists shared passages ('' for none)
    numbers_theme: str = ""  # the theme page that shows the statistics table ('' for none)

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
    script_overrides: tuple[ScriptOverride, ...] = ()
