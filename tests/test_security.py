"""Every page of the real archive: a CSP that allows no inline script, no handlers, safe external links.

The sanitiser's allow-list against the OWASP filter-evasion examples is in tests/test_sanitise.py;
hostile titles and annotations are built and inspected in tests/test_bad_inputs.py.
"""

from __future__ import annotations

import pytest

from conftest import REPO
from htmlsafety import inspect, policy_problems


def pages(site):
    found = sorted(site.rglob("*.html"))
    assert len(found) > 20 and (site / "404.html") in found
    return found


def test_every_page_has_a_csp_that_allows_no_inline_script(seed_site):
    for path in pages(seed_site):
        page = inspect(path.read_text(encoding="utf-8"))
        where = path.relative_to(seed_site).as_posix()
        assert len(page.policies) == 1, where
        assert policy_problems(page.policies[0]) == [], where
        assert page.before_policy == [], f"{where}: {page.before_policy} load before the Content-Security-Policy"


def test_no_page_has_inline_script_event_handlers_or_script_urls(seed_site):
    for path in pages(seed_site):
        assert inspect(path.read_text(encoding="utf-8")).found == [], path.relative_to(seed_site).as_posix()


def test_every_external_link_has_noopener_noreferrer(seed_site):
    external = 0
    for path in pages(seed_site):
        for link in inspect(path.read_text(encoding="utf-8")).external:
            external += 1
            assert {"noopener", "noreferrer"} <= set(link.get("rel", "").split()), (path.relative_to(seed_site).as_posix(), link)
    assert external > 10  # the archive links its sources: the check has something to check


def test_the_preview_error_page_has_the_same_policy():
    page = inspect((REPO / "templates" / "error.html").read_text(encoding="utf-8"))
    assert len(page.policies) == 1 and policy_problems(page.policies[0]) == []


@pytest.mark.parametrize("policy,problem", [
    ("default-src 'self'; script-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'none'", "'unsafe-inline'"),
    ("default-src 'self'; script-src 'nonce-abc'; object-src 'none'; base-uri 'none'", "'nonce-abc'"),
    ("default-src *; object-src 'none'; base-uri 'none'", "*"),
    ("style-src 'self'; object-src 'none'; base-uri 'none'", "neither script-src nor default-src"),
    ("default-src 'self'; script-src 'self'", "object-src is not 'none'"),
    ("default-src 'self'; script-src 'self'; script-src-attr 'unsafe-inline'; object-src 'none'; base-uri 'none'",
     "script-src-attr allows handlers"),
])
def test_the_policy_check_rejects_unsafe_policies(policy, problem):
    assert problem in policy_problems(policy)


def test_the_page_check_finds_unsafe_markup():
    page = inspect('<a href="https://x.org">x</a><meta http-equiv="Content-Security-Policy" content="default-src \'self\'">'
                   '<p onclick="f()">p</p><script>alert(1)</script><a href="java\nscript:alert(1)">y</a>')
    assert page.external == [{"href": "https://x.org"}]
    assert page.found == ["p onclick=", "<script>", "inline script 'alert(1)'", "a href=java\nscript:alert(1)"]


def test_a_build_has_no_trace_of_the_annotation_panel(seed_site):
    """The panel and its endpoint belong to 'build.py serve' alone (framing/preview/annotate_server.py)."""
    panel = (REPO / "framing" / "preview" / "panel" / "panel.js").read_bytes()
    files = [path for path in seed_site.rglob("*") if path.is_file()]
    assert len(files) > 50
    for path in files:
        data = path.read_bytes()
        where = path.relative_to(seed_site).as_posix()
        assert b"_annotate" not in data and b"data-token" not in data and b"annotate-" not in data, where
        assert data != panel and path.name not in ("panel.js", "panel.css"), where
