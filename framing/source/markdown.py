"""Editor markdown to sanitised HTML, made while content loads (and checked there).

Markdown comes from editors and may hold anything, so its HTML passes through nh3 (the Rust
'ammonia' sanitiser) with a short allow-list: no script, style, event handler or javascript: URL
survives. Internal links are written claim:<id>, article:<slug>#<annotation>, theme:<slug> or
page:<slug> and left in that form; page assembly resolves them per edition (resolve_links).
"""

from __future__ import annotations

import re
from html import unescape
from typing import Callable

import markdown
import nh3

ALLOWED_TAGS = {"a", "abbr", "b", "blockquote", "br", "cite", "code", "del", "em", "h2", "h3", "h4", "hr", "i",
                "li", "ol", "p", "pre", "q", "s", "strong", "sub", "sup", "table", "tbody", "td", "th",
                "thead", "tr", "ul"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title", "hreflang"}, "abbr": {"title"},  # no q cite: nh3 does not check its scheme
                      "td": {"align"}, "th": {"align"}, "*": {"lang"}}
URL_SCHEMES = {"http", "https", "mailto", "claim", "article", "theme", "page"}
_INTERNAL_HREF = re.compile(r'href="(claim|article|theme|page):([^"#]*)(?:#([^"]*))?"')
_A_TAG = re.compile(r"<a(\s[^>]*)?>")
_HREF = re.compile(r'\shref="([^"]*)"')
_REL = re.compile(r'\srel="')
_SCHEME = re.compile(r"[a-z][a-z0-9+.-]*:")


class MarkdownRenderer:
    """Editor markdown to sanitised HTML, with one parser reused for every text (building one is slow)."""

    def __init__(self) -> None:
        self._parser = markdown.Markdown(extensions=["sane_lists", "tables"], output_format="html")

    def html(self, text: str) -> str:
        """Sanitised HTML; internal links still in claim:/article:/theme:/page: form."""
        self._parser.reset()
        return nh3.clean(self._parser.convert(text), tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                         url_schemes=URL_SCHEMES, link_rel=None, strip_comments=True)


def markdown_to_html(text: str) -> str:
    """Sanitised HTML of one editor text (a fresh renderer: for one-off use)."""
    return MarkdownRenderer().html(text)


def resolve_links(html: str, resolve: Callable[[str, str, str], str]) -> str:
    """Turn claim:/article:/theme: hrefs into URLs; mark external links noopener noreferrer."""
    html = _INTERNAL_HREF.sub(lambda m: f'href="{resolve(m.group(1), m.group(2), m.group(3) or "")}"', html)
    return _A_TAG.sub(_mark_external, html)


def _mark_external(match: re.Match) -> str:
    """rel="noopener noreferrer" on a link that leaves the site (a scheme, or // and its variants)."""
    attributes = match.group(1) or ""
    href = _HREF.search(attributes)
    if not href or _REL.search(attributes):
        return match.group(0)
    url = unescape(href.group(1)).strip().lower()
    if _SCHEME.match(url) or url.startswith(("//", "/\\", "\\")):
        return f'<a rel="noopener noreferrer"{attributes}>'
    return match.group(0)
