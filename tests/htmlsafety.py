"""What a built page may not contain: script that runs, event handlers, script URLs, unsafe CSP."""

from __future__ import annotations

import json
from html.parser import HTMLParser

UNSAFE_SOURCES = ("'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "'strict-dynamic'", "*", "data:", "blob:",
                  "http:", "https:", "filesystem:")


class PageSafety(HTMLParser):
    """Collects everything in a page that could run code, the CSP meta tags and the external links.

    A JSON-LD data block (<script type="application/ld+json">) is data, not script: browsers never
    run it and CSP does not apply; it is allowed when its body is JSON with no '<' to break out.
    """

    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.found: list[str] = []  # active content
        self.policies: list[str] = []  # Content-Security-Policy meta contents, in order
        self.before_policy: list[str] = []  # tags that load or run something before the first CSP meta
        self.external: list[dict[str, str]] = []  # <a> attributes of links leaving the site
        self._in_script: str | None = None

    def handle_starttag(self, tag, attrs):
        values = {name: value or "" for name, value in attrs}
        kind = values.get("type", "").strip().lower()
        if tag == "meta" and values.get("http-equiv", "").lower() == "content-security-policy":
            self.policies.append(values.get("content", ""))
        elif tag in ("script", "link", "style", "img", "iframe") and not self.policies:
            self.before_policy.append(tag)
        if tag in ("script", "iframe", "object", "embed", "img", "style", "base", "frame", "applet", "foreignobject", "set",
                   "animate", "handler"):  # inline SVG (charts) is allowed:
            # its script, handlers and URLs are checked like any other
            if tag != "script" or not (values.get("src") or kind == "application/ld+json"):
                self.found.append(f"<{tag}>")
        self._in_script = kind if tag == "script" else None
        for name, value in values.items():
            if name.startswith("on"):
                self.found.append(f"{tag} {name}=")
            if name in ("href", "src", "action", "formaction", "cite", "data", "poster", "background") and ":" in value:
                scheme = "".join(value.split()).lower().split(":", 1)[0]
                # data: is an image at most in <img> and <link rel=icon> (the CSP's img-src allows it); elsewhere it can be a page
                if scheme in ("javascript", "vbscript", "livescript") or (scheme == "data" and tag not in ("img", "link")):
                    self.found.append(f"{tag} {name}={value}")
        href = "".join(values.get("href", "").split()).lower()
        if tag == "a" and (href.startswith(("http:", "https:", "//", "/\\", "\\"))):
            self.external.append(values)

    def handle_endtag(self, tag):
        self._in_script = None

    def handle_data(self, data):
        if self._in_script == "application/ld+json":
            try:
                json.loads(data)
            except ValueError:
                self.found.append(f"JSON-LD that is not JSON {data[:40]!r}")
            if "<" in data:
                self.found.append(f"JSON-LD with '<' {data[:40]!r}")
        elif self._in_script is not None and data.strip():
            self.found.append(f"inline script {data[:40]!r}")


def inspect(html: str) -> PageSafety:
    page = PageSafety()
    page.feed(html)
    page.close()
    return page


def active_content(html: str) -> list[str]:
    return inspect(html).found


def directives(policy: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            found.setdefault(words[0].lower(), [w.lower() for w in words[1:]])
    return found


def policy_problems(policy: str) -> list[str]:
    """Why a CSP would let an inline script, an event handler or a foreign script run ([] when it does not)."""
    rules = directives(policy)
    sources = rules.get("script-src", rules.get("default-src"))
    if sources is None:
        return ["neither script-src nor default-src"]
    problems = [s for s in sources if s in UNSAFE_SOURCES or s.startswith(("'nonce-", "'sha"))]
    if "script-src-attr" in rules and rules["script-src-attr"] != ["'none'"]:
        problems.append("script-src-attr allows handlers")
    if "script-src-elem" in rules:
        problems += [s for s in rules["script-src-elem"] if s in UNSAFE_SOURCES or s.startswith(("'nonce-", "'sha"))]
    if rules.get("object-src", rules.get("default-src")) != ["'none'"]:
        problems.append("object-src is not 'none'")
    if "base-uri" not in rules:
        problems.append("base-uri is not restricted")
    return problems
