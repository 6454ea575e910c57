"""The 'report an error' link of every page's footer: a new issue in the archive's repository,
prefilled with the page's address where the host takes a title and a body in the URL (GitHub,
GitLab), else the repository's own address. No link where site.yaml gives no repository.
"""

from __future__ import annotations

from urllib.parse import quote, urlsplit

_PREFILLED = {
    "github.com": ("/issues/new", "title", "body"),
    "gitlab.com": ("/-/issues/new", "issue[title]", "issue[description]"),
}


def new_issue_url(repository: str, title: str, body: str) -> str:
    """Where to report an error about a page: the host's new-issue form with title and body filled
    in, where the host is known to take them; otherwise the repository itself."""
    if not repository:
        return ""
    parts = urlsplit(repository.rstrip("/"))
    host = (parts.hostname or "").lower()
    segments = [s for s in parts.path.split("/") if s]
    if host not in _PREFILLED or len(segments) < 2:
        return repository
    path, title_key, body_key = _PREFILLED[host]
    base = f"{parts.scheme}://{parts.netloc}/{'/'.join(segments[:2] if host == 'github.com' else segments)}"
    return f"{base}{path}?{quote(title_key)}={quote(title, safe='')}&{quote(body_key)}={quote(body, safe='')}"
