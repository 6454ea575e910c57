"""Sitemap, robots.txt, Atom feeds, canonical links, OpenGraph and JSON-LD, right under a sub-path."""

import json
import re
import xml.etree.ElementTree as ET

import feedparser
import pytest

from conftest import cli_for

URL = "https://user.github.io/repo/"


@pytest.fixture
def site(tiny):
    result = cli_for(tiny, "build", "--out", str(tiny / "site"), "--base-url", URL)
    assert result.returncode == 0, result.stderr
    return tiny / "site"


def test_sitemap_lists_every_page_of_every_edition_with_alternates(site):
    root = ET.parse(site / "sitemap.xml").getroot()
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    locs = [u.find("s:loc", ns).text for u in root.findall("s:url", ns)]
    assert URL in locs and URL + "en/articles/alpha/" in locs and URL + "zh-hant/themes/statistics/" in locs
    assert not any("404" in loc for loc in locs)
    assert len(locs) == len(set(locs)) == 3 * (1 + 1 + 2 + 2 + 2 + 1 + 1)  # index, article list, articles, themes, claims, data, corrections
    alternates = root.find("s:url", ns).findall("x:link", ns)
    assert {a.get("hreflang") for a in alternates} == {"zh-Hans", "zh-Hant", "en"}


def test_robots_points_at_the_sitemap(site):
    assert (site / "robots.txt").read_text() == f"User-agent: *\nAllow: /\nSitemap: {URL}sitemap.xml\n"


def test_no_sitemap_without_a_known_origin(tiny):
    assert cli_for(tiny, "build", "--out", str(tiny / "local")).returncode == 0
    assert not (tiny / "local" / "sitemap.xml").exists()
    assert "Sitemap" not in (tiny / "local" / "robots.txt").read_text()


@pytest.mark.parametrize("prefix,lang", [("", "zh-Hans"), ("zh-hant/", "zh-Hant"), ("en/", "en")])
def test_atom_feed_is_valid(site, prefix, lang):
    feed = feedparser.parse((site / prefix / "feed.xml").read_bytes())
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10"
    assert len(feed.entries) == 2 + 3  # articles and annotations
    links = [e.link for e in feed.entries]
    assert URL + prefix + "articles/alpha/#a-al-denial" in links
    assert all(e.updated for e in feed.entries)
    assert feed.feed.language == lang


def test_a_feed_carries_the_newest_articles_and_their_annotations_only(tiny, monkeypatch):
    from framing.site import feeds
    from framing import pipeline
    from framing.project import Project
    monkeypatch.setattr(feeds, "FEED_ARTICLES", 1)
    files = pipeline.gather(Project.at(tiny), URL).files
    for prefix in ("", "zh-hant/", "en/"):
        links = [entry.link for entry in feedparser.parse(files[prefix + "feed.xml"]).entries]
        assert links[0] == URL + prefix + "articles/alpha/"  # published 2025-11-15, beta a day earlier
        assert links[1:] and all(link.startswith(URL + prefix + "articles/alpha/#a-") for link in links[1:])
    assert "articles/beta/" in files["sitemap.xml"].decode()  # the sitemap still has every page


def test_canonical_and_opengraph(site):
    page = (site / "zh-hant" / "articles" / "alpha" / "index.html").read_text()
    assert f'<link rel="canonical" href="{URL}zh-hant/articles/alpha/">' in page
    assert '<meta property="og:type" content="article">' in page
    assert '<meta property="og:locale" content="zh_TW">' in page
    assert '<meta name="twitter:card" content="summary">' in page


def test_article_json_ld(site):
    page = (site / "articles" / "alpha" / "index.html").read_text()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1)
    data = json.loads(block)
    assert data["@type"] == "NewsArticle" and data["headline"] == "文章alpha"
    assert data["publisher"]["name"] == "测试媒体" and data["datePublished"] == "2025-11-15"
    assert data["url"] == "https://example.org/alpha"
    assert data["archivedAt"] == URL + "articles/alpha/"


def test_404_carries_the_base_path(site):
    page = (site / "404.html").read_text()
    hrefs = re.findall(r'(?:href|src)="([^"]+)"', page)
    internal = [h for h in hrefs if not h.startswith(("http", "#"))]  # same-document fragments work at any path
    assert internal and all(h.startswith("/repo/") for h in internal), internal
