"""Search: the Pagefind bundle built with the site, one index for the three editions, found in either script.

What a reader gets from a query is checked in real Chromium in test_browser.py and
test_search_browser.py; here the bundle, the records, the search pages and the folding of scripts
are checked without a browser.
"""

from __future__ import annotations

import json
import re
from importlib.metadata import version

from conftest import REPO, cli_for
from test_determinism import digest_tree
from framing.site.editions import ScriptConverter
from framing.search.indexer import staged_for_search
from framing.search.searchrecords import RECORD_LANGUAGE, without_ignored
from framing.search.searchrecords import joined, record_part


def pinned(name: str) -> str:
    for line in (REPO / "constraints.txt").read_text(encoding="utf-8").splitlines():
        if line.startswith(name + "=="):
            return line.split("==", 1)[1].strip()
    raise AssertionError(f"{name} is not pinned in constraints.txt")


def record(site, route: str, converter=None) -> str:
    """The record of route (e.g. articles/x/) as Pagefind reads it, from the three editions' pages of site."""
    converter = converter or ScriptConverter()
    parts = {}
    for code, prefix in (("zh-hans", ""), ("zh-hant", "zh-hant/"), ("en", "en/")):
        path = f"{prefix}{route}index.html"
        parts[code] = staged_for_search(converter, path, (site / path).read_bytes())
    return joined(parts).decode("utf-8")


def main_of(html: str) -> str:
    return re.search(r"<main\b[^>]*>(.*)</main>", html, re.S).group(1)


def test_pagefind_is_pinned_and_the_pin_is_what_built_the_index(seed_site_subpath):
    """Pagefind issue #1237: releases differ in how they split Chinese, so the version is exact."""
    assert pinned("pagefind") == pinned("pagefind-bin-extended") == version("pagefind") == version("pagefind-bin-extended")
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert f'"pagefind[extended]=={pinned("pagefind")}"' in pyproject
    entry = json.loads((seed_site_subpath / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert entry["version"] == pinned("pagefind")


def test_one_index_for_the_three_editions_with_a_record_per_article_and_theme(seed_site_subpath):
    entry = json.loads((seed_site_subpath / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    pages = sum(1 for kind in ("articles", "themes") for page in (seed_site_subpath / kind).glob("*/index.html") if page.parent.name != "page")
    assert {code: lang["page_count"] for code, lang in entry["languages"].items()} == {RECORD_LANGUAGE: pages}
    # Written with sorted keys (Pagefind's own order changes from run to run).
    raw = (seed_site_subpath / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8")
    assert raw == json.dumps(json.loads(raw), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    bundle = [p.relative_to(seed_site_subpath).as_posix() for p in (seed_site_subpath / "pagefind").rglob("*")]
    assert "pagefind/pagefind.js" in bundle
    assert len([path for path in bundle if path.startswith("pagefind/fragment/")]) == pages
    assert not any(part.startswith(".") for path in bundle for part in path.split("/")), "upload-pages-artifact drops dotfiles"
    assert not any("-ui." in path for path in bundle)  # the site has its own search page


def test_a_search_page_per_edition_that_works_under_the_sub_path(seed_site_subpath):
    for prefix, lang in (("", "zh-Hans"), ("zh-hant/", "zh-Hant"), ("en/", "en")):
        html = (seed_site_subpath / prefix / "search" / "index.html").read_text(encoding="utf-8")
        assert f'<html lang="{lang}"' in html
        assert f'action="/repo/{prefix}search/"' in html and 'name="q"' in html
        assert re.search(r"<noscript><p[^>]*>[^<]*JavaScript", html), "the page says search needs JavaScript"
        # One index for every edition; results put under the edition's own base URL.
        assert 'data-bundle="/repo/pagefind/"' in html and f'data-language="{RECORD_LANGUAGE}"' in html
        assert f'data-base="/repo/{prefix}"' in html and 'data-merged=""' in html
        scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", html, re.S)
        assert scripts and all('src="/repo/assets/search.' in attrs and not body.strip() for attrs, body in scripts
                               if "ld+json" not in attrs), "no inline script: the CSP allows none"
        assert f'href="/repo/{prefix}search/"' in (seed_site_subpath / prefix / "index.html").read_text(encoding="utf-8")


def test_the_facets_are_form_controls_with_labels_in_the_edition_s_language(seed_site_subpath):
    for prefix, legend, theme in (("", "主题", "背书"), ("zh-hant/", "主題", "背書"), ("en/", "Themes", "Endorsements")):
        html = (seed_site_subpath / prefix / "search" / "index.html").read_text(encoding="utf-8")
        form = re.search(r'<form class="search-form".*?</form>', html, re.S).group(0)
        facets = re.findall(r'<fieldset class="facet" data-facet="([a-z]+)">\s*<legend>([^<]+)</legend>', form)
        assert [name for name, _ in facets] == ["theme", "verdict", "outlet", "month"] and (("theme", legend) in facets)
        boxes = re.findall(r'<input type="checkbox" id="([^"]+)" name="([a-z]+)" value="([^"]*)">', form)
        assert boxes and all(f'<label for="{box}">' in form for box, _, _ in boxes)
        assert ("theme", "endorsements") in {(name, value) for _, name, value in boxes} and f">{theme}</span>" in form
        assert ("month", "2025-11") in {(name, value) for _, name, value in boxes}


def test_a_record_holds_each_text_once_in_simplified_and_the_english_commentary(seed_site_subpath):
    """The article was captured in Traditional: its record holds the Simplified text only, the
    Chinese notes, the English notes beside them, and each edition's title as metadata."""
    converter = ScriptConverter()
    route = "articles/netease-meta-avocado/"
    indexed = record(seed_site_subpath, route, converter)
    english = (seed_site_subpath / "en" / route / "index.html").read_text(encoding="utf-8")
    traditional = re.search(r'<p class="para" lang="zh-Hant">(?:<[^>]+>)*([^<]{8,})', english).group(1)
    assert traditional not in indexed and converter.text(traditional, "zh-Hant", "zh-Hans") in indexed
    commentary = re.search(r'<div class="commentary" lang="en"><p>([^<]+)</p>', english).group(1)
    assert indexed.count(commentary) == 1
    assert '<div class="commentary" lang="zh-Hans">' in indexed  # the Chinese notes, from the Simplified page
    assert f'<html lang="{RECORD_LANGUAGE}"' in indexed and ' id="' not in main_of(indexed)
    for name in ("title_hant", "title_en", "title_en_lang"):
        assert f'data-pagefind-meta="{name}[data-v]"' in indexed
    # The Chinese text of the English page is not there twice (its lang="zh-…" elements are the Simplified page's).
    paragraph = re.search(r'<p class="para" lang="zh-Hans">(?:<[^>]+>)*([^<]{8,})', indexed).group(1)
    assert indexed.count(paragraph) == 1


def test_the_simplified_page_gives_the_filters_and_the_other_editions_do_not(seed_site_subpath):
    route = "articles/hkstock-qwen-panic/"
    filters = {path: re.findall(r'data-pagefind-filter="([a-z]+)\[data-v\]" data-v="([^"]*)"',
                                (seed_site_subpath / path / "index.html").read_text(encoding="utf-8"))
               for path in (route, "zh-hant/" + route, "en/" + route)}
    assert ("outlet", "港股研究社") in filters[route] and ("theme", "endorsements") in filters[route]
    assert any(name == "verdict" for name, _ in filters[route])
    assert filters["zh-hant/" + route] == filters["en/" + route] == []
    theme = (seed_site_subpath / "themes" / "endorsements" / "index.html").read_text(encoding="utf-8")
    assert 'data-pagefind-filter="theme[data-v]" data-v="endorsements"' in theme


def test_a_theme_page_is_indexed_without_the_passages_it_gathers(seed_site_subpath):
    """Those passages are indexed on their article pages; a theme page is found for what is its own."""
    theme = (seed_site_subpath / "themes" / "endorsements" / "index.html").read_text(encoding="utf-8")
    indexed = record(seed_site_subpath, "themes/endorsements/")
    assert 'data-pagefind-ignore="all"' in theme and 'data-pagefind-ignore' not in indexed
    assert '<ul class="passages"' in theme and '<ul class="passages"' not in indexed
    intro = re.search(r'<div class="intro">\s*<div lang="[^"]+">(.*?)</div>', theme, re.S).group(1)
    assert intro.strip() and intro in indexed


def test_an_article_is_indexed_without_its_shared_passage_notes(seed_site_subpath):
    """Those notes list the other outlets that carry a passage: indexed, a search for an outlet's name
    would find every article sharing a sentence with it. The passages themselves stay indexed."""
    page = (seed_site_subpath / "articles" / "guancha-silent-war" / "index.html").read_text(encoding="utf-8")
    indexed = record(seed_site_subpath, "articles/guancha-silent-war/")
    assert 'class="note shared-note"' in page and 'class="note shared-note"' not in indexed
    passage = re.search(r'<span class="shared" id="shared-\d+">(.*?)</span>', page).group(1)
    assert passage and passage in indexed
    notes = page.count('class="note ') - page.count('class="note shared-note"')
    assert notes > 0 and indexed.count('class="note ') == 2 * notes  # each note in Chinese, and in English beside it


def test_an_article_is_indexed_without_the_notices_and_labels_every_article_repeats(tiny):
    """The capture's file, hash and script, the trimming record and the fixed notices are the same
    words on every article page: indexed, a search for 'SHA-256' or 'verbatim' would find them all.
    What tells one article from another (its outlet, authors, sources, text and notes) stays indexed."""
    from framing.pipeline import gather
    from framing.project import Project

    files = gather(Project.at(tiny)).files
    converter = ScriptConverter()
    page = files["en/articles/alpha/index.html"].decode("utf-8")
    indexed = joined({code: staged_for_search(converter, f"{prefix}articles/alpha/index.html", files[f"{prefix}articles/alpha/index.html"])
                      for code, prefix in (("zh-hans", ""), ("zh-hant", "zh-hant/"), ("en", "en/"))}).decode("utf-8")
    capture_hash = re.search(r'<code class="hash">([0-9a-f]{64})</code>', page).group(1)
    missing = re.search(r'<p class="missing"[^>]*>([^<]+)</p>', page).group(1)  # a note without English
    verbatim = re.search(r'<p class="notice"[^>]*>([^<]+)</p>', page).group(1)
    for repeated in (capture_hash, missing, verbatim, "a.txt</a>", "masthead and headline"):
        assert repeated in page and repeated not in indexed, repeated
    for own in ("测试媒体", "作者甲", "https://example.org/alpha", "Alibaba's denial.", "下载量突破6亿次"):
        assert own in page and own in indexed, own


def part_copy(html: str) -> str:
    """The Simplified copy at the end of a Simplified page's part."""
    return re.search(r"<div>(.*)</div>$", record_part(html, ScriptConverter()), re.S).group(1)


def test_the_simplified_copy_of_a_page_converts_its_text_node_by_node():
    """record_part converts the whole <main> in one OpenCC call: its text must come out as if each
    text node were converted alone."""
    converter = ScriptConverter()
    html = ('<html lang="zh-Hans"><body><main><h1 id="t" lang="zh-Hant">發佈會</h1><p>國<b>際</b>'
            '<a href="/x/" aria-label="註釋">開發</a>者說:「簡體」</p></main></body></html>')
    copy = part_copy(html)
    nodes = [part if part.startswith("<") else converter.text(part, "zh-Hant", "zh-Hans")
             for part in re.split(r"(<[^>]*>)", html[html.index("<h1"):html.index("</main>")])]
    assert re.sub(r"<[^>]*>", "", copy) == re.sub(r"<[^>]*>", "", "".join(nodes)) == "发布会国际开发者说:「简体」"
    assert ' id="' not in copy and "發佈會" in record_part(html, converter)  # the page as published, then the copy without ids


def test_only_the_lines_that_read_differently_in_simplified_are_copied():
    converter = ScriptConverter()
    lines = ["<h1 lang=\"zh-Hans\">指控</h1>", "<p>阿里巴巴发表声明。</p>", "<li><span lang=\"zh-Hant\">國際新聞</span>,",
             "<time>2025-11-14</time></li>", "<p>白宫备忘录。</p>"]
    html = '<html lang="zh-Hans"><body><main>' + "\n".join(lines) + "</main></body></html>"
    assert part_copy(html) == '<li><span lang="zh-Hant">国际新闻</span>,'  # that line alone, its element closed by the copy's
    assert "<div>" not in record_part(html.replace("國際新聞", "国际新闻"), converter)  # nothing differs: no copy
    # A line that could open raw text (a comment here) is never cut out of its page: the whole is copied.
    commented = html.replace("<p>白宫备忘录。</p>", "<!-- 注释\n--><p>白宫备忘录。</p>")
    whole = part_copy(commented)
    assert "阿里巴巴发表声明" in whole and "国际新闻" in whole


def test_a_simplified_theme_page_is_not_indexed_twice_over(seed_site_subpath):
    """The seed's Simplified theme pages quote a few Traditional source titles: only those lines are copied."""
    page = (seed_site_subpath / "themes" / "accusation" / "index.html").read_text(encoding="utf-8")
    own = without_ignored(main_of(page))
    assert 0 < len(part_copy(page)) < len(own) / 5


def test_ignored_elements_are_cut_out_whole_however_they_nest():
    html = ('<main><p>keep</p><ul class="a" data-pagefind-ignore="all"><li>x<ul><li>y</li></ul></li></ul><p>also</p>'
            '<div data-pagefind-ignore="all"><div>z</div><div>w</div></div><p>end</p></main>')
    assert without_ignored(html) == "<main><p>keep</p><p>also</p><p>end</p></main>"
    assert without_ignored('<p>a</p><section data-pagefind-ignore="all"><p>never closed') == "<p>a</p>"
    assert without_ignored("<p>nothing marked</p>") == "<p>nothing marked</p>"


def test_the_search_page_folds_queries_with_opencc_s_own_table(seed_site_subpath):
    html = (seed_site_subpath / "zh-hant" / "search" / "index.html").read_text(encoding="utf-8")
    table_url = re.search(r'data-table="([^"]+)"', html).group(1)
    assert table_url.startswith("/repo/assets/script-table.") and table_url.endswith(".json")
    table = json.loads((seed_site_subpath / table_url.removeprefix("/repo/")).read_text(encoding="utf-8"))
    fold = dict(zip(table["from"], table["to"]))
    assert len(table["from"]) == len(table["to"]) > 2000
    # The three ways of writing Jensen Huang's name fold to one; Simplified characters stay as they are.
    assert "".join(fold.get(c, c) for c in "黃仁勳") == "".join(fold.get(c, c) for c in "黃仁勛") == "黄仁勋"
    assert "阿" not in fold and fold["問"] == "问" and fold["開"] == "开"
    # The Traditional page's excerpts: each Simplified character's Traditional form (only that page loads it).
    excerpts_url = re.search(r'data-excerpts="([^"]+)"', html).group(1)
    assert excerpts_url.startswith("/repo/assets/excerpt-table.") and excerpts_url.endswith(".json")
    excerpts = json.loads((seed_site_subpath / excerpts_url.removeprefix("/repo/")).read_text(encoding="utf-8"))
    shown = dict(zip(excerpts["from"], excerpts["to"]))
    assert "".join(shown.get(c, c) for c in "黄仁勋发表") == "黃仁勳發表" and "阿" not in shown and "布" not in shown
    for prefix in ("", "en/"):
        assert "data-excerpts" not in (seed_site_subpath / prefix / "search" / "index.html").read_text(encoding="utf-8")


def test_the_bundle_is_rebuilt_identically_and_follows_the_site(tiny):
    assert cli_for(tiny, "build", "--out", str(tiny / "one"), "--base-url", "/a/").returncode == 0
    assert cli_for(tiny, "build", "--out", str(tiny / "two"), "--base-url", "/b/").returncode == 0
    one = {p.relative_to(tiny / "one").as_posix(): p.read_bytes() for p in (tiny / "one" / "pagefind").rglob("*") if p.is_file()}
    two = {p.relative_to(tiny / "two").as_posix(): p.read_bytes() for p in (tiny / "two" / "pagefind").rglob("*") if p.is_file()}
    assert one and one == two  # result URLs are relative to the site, so the base path changes nothing
    entry = json.loads(one["pagefind/pagefind-entry.json"])
    assert entry["languages"][RECORD_LANGUAGE]["page_count"] == 4  # two articles and two themes


# ---------------------------------------------------------------- shards

def sharded_build(project, out, monkeypatch, size=1):
    """Build in-process with SHARD_SIZE articles per shard (the tiny archive's two articles, in shard 1 of 2)."""
    from framing import pipeline
    from framing.search import layout as search
    from framing.project import Project
    monkeypatch.setattr(search, "SHARD_SIZE", size)
    pipeline.build(Project.at(project), out, "/repo/", force=True)
    return out


def test_shards_are_stable_and_sized():
    from framing.search.layout import SHARD_SIZE, shard_count, shard_of
    assert shard_count(0) == shard_count(1) == shard_count(SHARD_SIZE) == 1 and shard_count(SHARD_SIZE + 1) == 2
    slugs = [f"article-{n}" for n in range(2000)]
    counts = [0] * 8
    for slug in slugs:
        counts[shard_of(slug, 8)] += 1
    assert min(counts) > 2000 / 8 * 0.8  # spread evenly
    assert all(shard_of(slug, 8) == shard_of(slug, 8) for slug in slugs[:50])  # a slug's shard depends on nothing else


def test_a_large_archive_is_indexed_in_shards_that_the_search_page_merges(tiny, monkeypatch):
    site = sharded_build(tiny, tiny / "site", monkeypatch)
    primary = json.loads((site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    # The main bundle holds the theme pages; the articles are in shard 1, one bundle for every edition.
    assert {code: lang["page_count"] for code, lang in primary["languages"].items()} == {RECORD_LANGUAGE: 2}
    shard = site / "pagefind" / "shard-1"
    entry = json.loads((shard / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert {code: lang["page_count"] for code, lang in entry["languages"].items()} == {RECORD_LANGUAGE: 2}
    assert (shard / f"pagefind.{entry['languages'][RECORD_LANGUAGE]['hash']}.pf_meta").is_file()
    assert list((shard / "filter").iterdir())  # the shard's articles have filters of their own
    assert not (shard / "pagefind.js").exists()  # the main bundle's script and WebAssembly serve every shard
    for prefix in ("", "zh-hant/", "en/"):
        html = (site / prefix / "search" / "index.html").read_text(encoding="utf-8")
        assert 'data-merged="/repo/pagefind/shard-1/"' in html and f'data-base="/repo/{prefix}"' in html


def test_the_shards_hold_every_edition_s_records_whichever_edition_is_at_the_root(tiny, monkeypatch):
    site_yaml = tiny / "content" / "site.yaml"
    site_yaml.write_text(site_yaml.read_text(encoding="utf-8").replace("default_edition: zh-hans", "default_edition: en"),
                         encoding="utf-8")
    site = sharded_build(tiny, tiny / "site", monkeypatch)
    entry = json.loads((site / "pagefind" / "shard-1" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert {code: lang["page_count"] for code, lang in entry["languages"].items()} == {RECORD_LANGUAGE: 2}
    for prefix in ("", "zh-hans/", "zh-hant/"):
        html = (site / prefix / "search" / "index.html").read_text(encoding="utf-8")
        assert 'data-merged="/repo/pagefind/shard-1/"' in html and f'data-language="{RECORD_LANGUAGE}"' in html
        assert f'data-base="/repo/{prefix}"' in html


def test_an_unchanged_shard_is_not_indexed_again(tiny, monkeypatch, tmp_path):
    from framing.incremental.runs import SearchRuns
    runs = []
    real = SearchRuns.keep

    def counting(self, key, folder):  # each run Pagefind indexed, as its output is kept
        runs.append(folder.name)
        return real(self, key, folder)

    monkeypatch.setattr(SearchRuns, "keep", counting)
    site = tiny / "site"
    sharded_build(tiny, site, monkeypatch)
    assert sorted(runs) == ["out-0", "out-1"]
    runs.clear()
    annotations = tiny / "content" / "annotations" / "alpha.md"
    annotations.write_text(annotations.read_text(encoding="utf-8").replace("公司数据。", "公司自己的数据。"), encoding="utf-8")
    sharded_build(tiny, site, monkeypatch)
    assert sorted(runs) == ["out-1"]  # the theme pages index only what is their own: unchanged
    runs.clear()
    cold = sharded_build(tiny, tmp_path / "cold", monkeypatch)
    assert len(runs) == 2
    assert digest_tree(site) == digest_tree(cold)


def test_a_shards_files_are_linked_from_the_cache_not_copied(tiny, monkeypatch, tmp_path):
    """The files of a shard bundle are the cache's files (hard links, where the file system has them),
    and a build that takes the shard from the cache gives the same bytes as one that indexes it."""
    site = sharded_build(tiny, tiny / "site", monkeypatch)
    shard = sorted(p for p in (site / "pagefind" / "shard-1").rglob("*") if p.is_file() and p.name != "pagefind-entry.json")
    assert shard
    cached = {p.stat().st_ino for p in (tiny / ".site.cache").rglob("*") if p.is_file()}
    assert all(p.stat().st_ino in cached for p in shard)
    assert not (site / "pagefind" / "shard-1" / "pagefind-entry.json").stat().st_ino in cached  # rewritten with sorted keys
    first = digest_tree(site)
    sharded_build(tiny, site, monkeypatch)  # every shard from the cache
    assert digest_tree(site) == first == digest_tree(sharded_build(tiny, tmp_path / "cold", monkeypatch))


def test_an_english_article_is_indexed_once_and_never_copied_into_simplified(seed_site_subpath):
    """Its paragraphs (lang="en") read the same in every script: of the three editions' pages, what the
    indexer gets holds them once."""
    converter = ScriptConverter()
    staged = []
    for prefix in ("", "zh-hant/", "en/"):
        path = f"{prefix}articles/cnbc-alibaba-memo/index.html"
        made = staged_for_search(converter, path, (seed_site_subpath / path).read_bytes())
        staged.append(made.decode("utf-8") if made else "")
    assert "".join(staged).count("The White House did not respond to requests for comment") == 1
