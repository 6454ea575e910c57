"""Every internal link and anchor resolves, at the root and under a sub-path."""

from conftest import cli_for
from sitecrawl import broken_links


def test_tiny_site_links_resolve_at_root(tiny):
    assert cli_for(tiny, "build", "--out", str(tiny / "site")).returncode == 0
    assert broken_links(tiny / "site", "/") == []


def test_tiny_site_links_resolve_under_subpath(tiny):
    assert cli_for(tiny, "build", "--out", str(tiny / "site"), "--base-url", "/repo/").returncode == 0
    assert broken_links(tiny / "site", "/repo/") == []
    index = (tiny / "site" / "index.html").read_text()
    assert 'href="/repo/assets/style.' in index
    assert 'href="/themes/' not in index  # nothing escapes the sub-path


def test_crawler_detects_a_broken_anchor(tiny):
    assert cli_for(tiny, "build", "--out", str(tiny / "site")).returncode == 0
    page = tiny / "site" / "index.html"
    page.write_text(page.read_text().replace("</main>", '<a href="/themes/accusation/#nowhere">x</a><a href="/nope/">y</a></main>'))
    problems = broken_links(tiny / "site", "/")
    assert any("nowhere" in p for p in problems) and any("/nope/" in p for p in problems)


def test_seed_archive_links_resolve_at_root(seed_site):
    assert broken_links(seed_site, "/") == []


def test_seed_archive_links_resolve_under_subpath(seed_site_subpath):
    assert broken_links(seed_site_subpath, "/repo/") == []
