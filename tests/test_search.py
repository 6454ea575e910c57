"""Search: the Pagefind bundle built with the site, one index per edition, text in both scripts.

What a reader gets from a query is checked in real Chromium in test_browser.py; here the bundle,
the search pages and the folding of scripts are checked without a browser.
"""

from __future__ import annotations

import json
import re
from importlib.metadata import version

from conftest import REPO, cli_for
from framing.editions import ScriptConverter
from framing.search import for_indexing, index_language


def pinned(name: str) -> str:
    for line in (REPO / "constraints.txt").read_text(encoding="utf-8").splitlines():
        if line.startswith(name + "=="):
            return line.split("==", 1)[1].strip()
    raise AssertionError(f"{name} is not pinned in constraints.txt")


def test_pagefind_is_pinned_and_the_pin_is_what_built_the_index(seed_site_subpath):
    """Pagefind issue #1237: releases differ in how they split Chinese, so the version is exact."""
    assert pinned("pagefind") == pinned("pagefind-bin-extended") == version("pagefind") == version("pagefind-bin-extended")
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert f'"pagefind[extended]=={pinned("pagefind")}"' in pyproject
    entry = json.loads((seed_site_subpath / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert entry["version"] == pinned("pagefind")


def test_one_index_per_edition_holding_the_article_and_theme_pages(seed_site_subpath):
    entry = json.loads((seed_site_subpath / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    pages = len(list((seed_site_subpath / "articles").iterdir())) + len(list((seed_site_subpath / "themes").iterdir()))
    assert {code: lang["page_count"] for code, lang in entry["languages"].items()} == \
           {"zh-hans": pages, "zh-hant": pages, index_language("en"): pages}
    # Written with sorted keys (Pagefind's own order changes from run to run).
    raw = (seed_site_subpath / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8")
    assert raw == json.dumps(json.loads(raw), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    bundle = [p.relative_to(seed_site_subpath).as_posix() for p in (seed_site_subpath / "pagefind").rglob("*")]
    assert "pagefind/pagefind.js" in bundle
    assert not any(part.startswith(".") for path in bundle for part in path.split("/")), "upload-pages-artifact drops dotfiles"
    assert not any("-ui." in path for path in bundle)  # the site has its own search page


def test_a_search_page_per_edition_that_works_under_the_sub_path(seed_site_subpath):
    for prefix, lang in (("", "zh-Hans"), ("zh-hant/", "zh-Hant"), ("en/", "en")):
        html = (seed_site_subpath / prefix / "search" / "index.html").read_text(encoding="utf-8")
        assert f'<html lang="{lang}"' in html
        assert f'action="/repo/{prefix}search/"' in html and 'name="q"' in html
        assert re.search(r"<noscript><p[^>]*>[^<]*JavaScript", html), "the page says search needs JavaScript"
        assert 'data-bundle="/repo/pagefind/"' in html and f'data-language="{index_language(lang)}"' in html
        scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", html, re.S)
        assert scripts and all('src="/repo/assets/search.' in attrs and not body.strip() for attrs, body in scripts
                               if "ld+json" not in attrs), "no inline script: the CSP allows none"
        assert f'href="/repo/{prefix}search/"' in (seed_site_subpath / prefix / "index.html").read_text(encoding="utf-8")


def test_each_page_is_indexed_in_both_scripts_but_published_as_it_is(seed_site_subpath):
    converter = ScriptConverter()
    hant = (seed_site_subpath / "zh-hant" / "themes" / "endorsements" / "index.html").read_text(encoding="utf-8")
    hans = (seed_site_subpath / "themes" / "endorsements" / "index.html").read_text(encoding="utf-8")
    assert "黃仁勳" in hant and "黄仁勋" not in hant and "黄仁勋" in hans
    indexed_hant, indexed_hans = for_indexing(hant, converter), for_indexing(hans, converter)
    assert "黃仁勳" in indexed_hant and "黄仁勋" in indexed_hant
    assert "黄仁勋" in indexed_hans and "黃仁勳" in indexed_hans
    # The copy repeats no id (no heading anchors it) and stays inside <main>, which is what is indexed.
    assert indexed_hant.count(' id="') == hant.count(' id="')
    assert indexed_hant.index("黄仁勋") < indexed_hant.index("</main>")
    english = for_indexing((seed_site_subpath / "en" / "themes" / "endorsements" / "index.html").read_text(encoding="utf-8"), converter)
    assert '<html lang="zh-x-en"' in english and "黄仁勋" in english and "黃仁勳" in english


def test_the_bundle_is_rebuilt_identically_and_follows_the_site(tiny):
    assert cli_for(tiny, "build", "--out", str(tiny / "one"), "--base-url", "/a/").returncode == 0
    assert cli_for(tiny, "build", "--out", str(tiny / "two"), "--base-url", "/b/").returncode == 0
    one = {p.relative_to(tiny / "one").as_posix(): p.read_bytes() for p in (tiny / "one" / "pagefind").rglob("*") if p.is_file()}
    two = {p.relative_to(tiny / "two").as_posix(): p.read_bytes() for p in (tiny / "two" / "pagefind").rglob("*") if p.is_file()}
    assert one and one == two  # result URLs are relative to the site, so the base path changes nothing
    entry = json.loads(one["pagefind/pagefind-entry.json"])
    assert entry["languages"]["zh-hant"]["page_count"] == 4  # two articles and two themes
