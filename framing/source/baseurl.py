"""Where the site is served: a base URL, checked and split into the path and the origin.

It is given as a path (/repo/) or as an http(s) address (https://user.github.io/repo/), in
site.yaml or with --base-url. The path begins every internal link; the origin, where there is one,
makes canonical links, the sitemap and the feeds absolute. So a base URL that would make those
links point elsewhere is refused, with what to write instead: a query or fragment (every link would
end inside it), a '.' or '..' segment (a browser folds it away), a character that no URL holds
as it is (white space, quotes, <, >, a backslash…), or a '%' that begins no escape. Letters beyond
ASCII are allowed, and written as a browser sends them: percent-encoded UTF-8 in the path, IDNA in
the host name.
"""

from __future__ import annotations

import re
from typing import NamedTuple
from urllib.parse import quote

from framing.errors import UsageError

_ORIGIN = re.compile(r"(https?)://([^/?#\s@]+)(?=[/?#]|$)", re.IGNORECASE)
_LABEL = r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?"
_HOST = re.compile(rf"(?:{_LABEL}(?:\.{_LABEL})*|\[[0-9a-f:.]+\])(?::[0-9]{{1,5}})?")  # a name or [IPv6], and a port
_UNSAFE = re.compile(r'[\s"<>\\^`{|}\x00-\x1f\x7f]')
_LONE_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_DOT_SEGMENTS = {".", "..", "%2e", ".%2e", "%2e.", "%2e%2e"}  # a browser reads %2e in a segment as a dot
_KEPT = "!$&'()*+,;=:@%~"  # besides letters, digits and -._: what a path segment may hold as it is


class BaseUrl(NamedTuple):
    """A checked base URL."""

    path: str  # '/…/': starts and ends with '/', percent-encoded
    origin: str  # 'https://host[:port]' where an address was given, else ''

    def __str__(self) -> str:
        return self.origin + self.path


class BaseUrlError(UsageError):
    """A base URL that would break the site's links: what is wrong, and what to write instead."""

    def __init__(self, message: str, fix: str) -> None:
        self.message, self.fix = message, fix
        super().__init__(f"{message}; {fix}")


def parse_base_url(value: str) -> BaseUrl:
    """The path and origin of value ('' is the root, '/'). Raises BaseUrlError."""
    text = value.strip()
    origin = ""
    if "://" in text:
        match = _ORIGIN.match(text)
        host = _ascii_host(match.group(2)) if match else ""
        if not _HOST.fullmatch(host):
            raise BaseUrlError(f"the base URL '{value}' is not an http(s) address with a host name",
                               "write e.g. https://user.github.io/repo/, or only the path, /repo/")
        origin = f"{match.group(1).lower()}://{host}"
        text = text[match.end():]
    if "?" in text or "#" in text:
        raise BaseUrlError(f"the base URL '{value}' has a query (?…) or a fragment (#…)",
                           "give only the folder the site is served from, such as /repo/")
    unsafe = _UNSAFE.search(text)
    if unsafe:
        character = unsafe.group()
        shown = "a space" if character == " " else repr(character)
        raise BaseUrlError(f"the base URL '{value}' holds {shown}, which a URL cannot hold as it is",
                           f"leave it out, or write it percent-encoded ({quote(character, safe='')})")
    if _LONE_PERCENT.search(text):
        raise BaseUrlError(f"the base URL '{value}' holds a '%' that is not followed by two hexadecimal digits",
                           "write a '%' itself as %25")
    segments = [segment for segment in text.split("/") if segment]
    if any(segment.lower() in _DOT_SEGMENTS for segment in segments):
        raise BaseUrlError(f"the base URL '{value}' has a '.' or '..' segment",
                           "write the folder's path without them, such as /repo/")
    return BaseUrl("/" + "".join(quote(segment, safe=_KEPT) + "/" for segment in segments), origin)


def _ascii_host(host: str) -> str:
    """host lower-cased, a name beyond ASCII written as IDNA (例子.中国 -> xn--fsqu00a.xn--fiqs8s); '' where it cannot be."""
    if host.isascii():
        return host.lower()
    name, colon, port = host.rpartition(":")
    if not (colon and port.isdigit()):
        name, colon, port = host, "", ""
    try:
        return name.encode("idna").decode("ascii") + colon + port
    except UnicodeError:
        return ""
