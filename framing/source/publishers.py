"""content/publishers.yaml: each publisher that sources name, what kind of source it is, and the
domains where its own pages are. Loaded into frozen Publisher records; every source must name a
publisher listed there (where the file exists).

    publishers:
      - name: Bloomberg
        also: [Bloomberg Opinion]      # other names sources give it (optional)
        kind: reputable                # original, reputable or secondary
        domains: [bloomberg.com]       # host names, subdomains included; a path prefix may follow
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from framing.errors import ContentError
from framing.source.fields import FieldReader, suggest
from framing.source.loader import Loader, optional_yaml
from framing.source.records import PUBLISHER_KINDS, Archive, Place, Publisher, Source

FILE = "publishers.yaml"
_DOMAIN = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z][a-z0-9-]*[a-z0-9](?:/[^\s?#]*)?")


def load_publishers(loader: Loader, problems: list[ContentError]) -> tuple[Publisher, ...]:
    """content/publishers.yaml as records; () where the file does not exist."""
    found = optional_yaml(loader, FILE, problems)
    if found is None:
        return ()
    data, shown = found
    if not isinstance(data, dict) or not isinstance(data.get("publishers"), list):
        problems.append(ContentError(shown, 1, "publishers.yaml must hold a list under 'publishers:'",
                                     "write publishers: followed by entries with name, kind and domains"))
        return ()
    fields = FieldReader(data, shown, problems, loader.today)
    publishers, names = [], {}
    for entry in fields.mappings("publishers"):
        publisher = Publisher(entry.text("name"), Place(shown, entry.line()), entry.choice("kind", PUBLISHER_KINDS),
                              _domains(entry), entry.text_list("also"))
        entry.finish()
        for name in (publisher.name, *publisher.also):
            if name and name in names:
                entry.error("name" if name == publisher.name else "also",
                            f"'{name}' is already a name of the publisher on line {names[name]}",
                            "give each name to one publisher: merge the two entries")
            names.setdefault(name, publisher.place.line)
        publishers.append(publisher)
    fields.finish()
    return tuple(publishers)


def _domains(entry: FieldReader) -> tuple[str, ...]:
    """The entry's 'domains', each a lower-case host name, optionally with a path prefix."""
    domains = []
    for domain in entry.text_list("domains"):
        if "://" in domain or not _DOMAIN.fullmatch(domain):
            entry.error("domains", f"'{domain}' is not a host name such as example.com (or example.com/path)",
                        "write the host name in lower case, without https:// (subdomains are included)")
            continue
        domains.append(domain.rstrip("/"))
    return tuple(domains)


@dataclass(frozen=True)
class PublisherIndex:
    """Publishers by every name sources may give them."""

    by_name: dict[str, Publisher]

    @classmethod
    def of(cls, publishers: tuple[Publisher, ...]) -> "PublisherIndex":
        return cls({name: p for p in publishers for name in (p.name, *p.also)})

    def get(self, name: str) -> Publisher | None:
        return self.by_name.get(name)


def on_domains(url: str, publisher: Publisher) -> bool:
    """Whether url is on one of the publisher's domains (a subdomain counts; a path prefix must match)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    for domain in publisher.domains:
        name, _, prefix = domain.partition("/")
        if (host == name or host.endswith("." + name)) and (not prefix or (parts.path + "/").startswith(f"/{prefix}/")):
            return True
    return False


def every_source(archive: Archive) -> list[Source]:
    """The sources of every claim and event, in content order."""
    return [s for claim in archive.claims for s in claim.sources] + [s for event in archive.events for s in event.sources]


def check_publishers_known(archive: Archive, problems: list[ContentError]) -> None:
    """Where publishers.yaml exists, every source names a publisher listed in it."""
    if not archive.publishers:
        return
    index = PublisherIndex.of(archive.publishers)
    for source in every_source(archive):
        if source.publisher and index.get(source.publisher) is None and source.place:
            problems.append(ContentError(source.place.path, source.place.line,
                                         f"the publisher '{source.publisher}' is not in content/{FILE}"
                                         f"{suggest(source.publisher, index.by_name)}",
                                         f"add it to content/{FILE} (name, kind, domains), or write the name it has there"))
