"""The source check that 'python build.py check' runs: where a source's 'url:' is not on its
publisher's domains (a copy belongs in 'via:'), and which claims have no source from an original or
reputable publisher and do not say why.

Each finding is a ContentError (file, line, what, fix). They are warnings: 'check' lists them, and
'check --strict' fails on them; a build does not stop for them. Pure: reads the archive only.
"""

from __future__ import annotations

from dataclasses import dataclass

from framing.errors import ContentError
from framing.source.publishers import FILE, PublisherIndex, every_source, on_domains
from framing.source.records import Archive, Claim, Source

TRUSTED_KINDS = ("original", "reputable")  # the kinds of publisher a claim needs one source from


@dataclass(frozen=True)
class SourceCheck:
    """What the check found: the problems, and how many sources and claims it looked at."""

    findings: tuple[ContentError, ...]
    sources: int
    claims: int
    off_domain: int  # findings of a url not on its publisher's domains
    unsupported: int  # findings of a claim without an original or reputable source


def _off_domain(source: Source, index: PublisherIndex) -> ContentError | None:
    publisher = index.get(source.publisher)
    if not source.url or publisher is None or on_domains(source.url, publisher) or source.place is None:
        return None
    where = ", ".join(publisher.domains) or "none listed"
    return ContentError(source.place.path, source.place.line,
                        f"the url of this '{source.publisher}' source is not on its domains ({where}): {source.url}",
                        "a copy read elsewhere belongs in 'via:', with the original address in 'url:' (leave 'url:' out "
                        f"where it is unknown); if the address is the publisher's own, add its host to 'domains:' in content/{FILE}")


def trusted(source: Source, index: PublisherIndex) -> bool:
    """Whether a source comes from an original or reputable publisher, at an address of its own
    (or, where no original address is known, read through a copy)."""
    publisher = index.get(source.publisher)
    if publisher is None or publisher.kind not in TRUSTED_KINDS:
        return False
    return not source.url or on_domains(source.url, publisher)


def _unsupported(claim: Claim, index: PublisherIndex) -> ContentError | None:
    if claim.no_source.strip() or any(trusted(s, index) for s in claim.sources):
        return None
    line = claim.sources[0].place.line if claim.sources and claim.sources[0].place else claim.place.line
    kinds = sorted({(index.get(s.publisher).kind if index.get(s.publisher) else "unknown") for s in claim.sources})
    what = f"its sources are {', '.join(kinds)}" if claim.sources else "it has no sources"
    return ContentError(claim.place.path, line,
                        f"the claim '{claim.id}' has no source from an original or reputable publisher ({what})",
                        "add the original (the person, company, body or study concerned) or a reputable report of it, "
                        "or say in 'no_source:' why none exists")


def check_sources(archive: Archive) -> SourceCheck | None:
    """Every finding of the source check; None where content/publishers.yaml is absent."""
    if not archive.publishers:
        return None
    index = PublisherIndex.of(archive.publishers)
    sources = every_source(archive)
    off = [f for f in (_off_domain(s, index) for s in sources) if f]
    unsupported = [f for f in (_unsupported(c, index) for c in archive.claims) if f]
    findings = sorted(off + unsupported, key=lambda p: (p.path, p.line or 0, p.message))
    return SourceCheck(tuple(findings), len(sources), len(archive.claims), len(off), len(unsupported))
