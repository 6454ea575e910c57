"""A crawler over a built site folder: every internal link and anchor must resolve."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if "id" in values:
            self.ids.add(values["id"])
        for name in ("href", "src"):
            if values.get(name):
                self.links.append(values[name])


def parse(path: Path) -> _Collector:
    collector = _Collector()
    collector.feed(path.read_text(encoding="utf-8"))
    return collector


def file_for(site: Path, base: str, url_path: str) -> Path | None:
    """The file a server with the site at base would answer url_path with (None: outside)."""
    if not url_path.startswith(base):
        return None
    relative = unquote(url_path[len(base):])
    target = site / relative
    if relative == "" or relative.endswith("/"):
        target = target / "index.html"
    return target


def broken_links(site: Path, base: str = "/") -> list[str]:
    """'page -> link: why' for every internal link or anchor that does not resolve."""
    pages = {path: parse(path) for path in sorted(site.rglob("*.html"))}
    problems = []
    for page, found in pages.items():
        page_url = base + page.relative_to(site).as_posix().removesuffix("index.html")
        for link in found.links:
            parts = urlsplit(link)
            if parts.scheme in ("http", "https", "mailto", "data") or link.startswith("//"):
                continue
            if parts.scheme:
                problems.append(f"{page} -> {link}: unexpected scheme")
                continue
            absolute = urlsplit(urljoin(page_url, link))
            target = file_for(site, base, absolute.path) if absolute.path else page
            if target is None or not target.is_file():
                problems.append(f"{page} -> {link}: no such file")
                continue
            if absolute.fragment:
                ids = pages[target].ids if target in pages else set()
                if unquote(absolute.fragment) not in ids:
                    problems.append(f"{page} -> {link}: no element with id {absolute.fragment!r}")
    return problems
