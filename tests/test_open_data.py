"""Open data: the Web Annotation collection, claims as JSON and CSV, ClaimReview in theme pages."""

import csv
import io
import json
import re

import pytest

from conftest import cli_for

URL = "https://user.github.io/repo/"


@pytest.fixture
def site(tiny):
    assert cli_for(tiny, "build", "--out", str(tiny / "site"), "--base-url", URL).returncode == 0
    return tiny / "site"


def test_web_annotation_collection(site):
    data = json.loads((site / "data" / "annotations.jsonld").read_text())
    assert data["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert data["type"] == "AnnotationCollection" and data["total"] == 3
    items = data["first"]["items"]
    assert data["first"]["type"] == "AnnotationPage" and len(items) == 3
    for item in items:
        assert item["type"] == "Annotation" and item["id"].startswith(URL + "articles/")
        assert item["motivation"] in ("commenting", "assessing")
        selector = item["target"]["selector"]
        assert selector["type"] == "TextQuoteSelector" and selector["exact"]
        assert item["target"]["source"] == item["id"].split("#")[0]
        assert any(b["purpose"] == "commenting" and b["format"] == "text/markdown" for b in item["body"])
    denial = next(i for i in items if i["id"].endswith("#a-al-denial"))
    assert denial["target"]["selector"] == {"type": "TextQuoteSelector", "exact": "阿里巴巴称这些说法完全不实",
                                            "prefix": "美国指控阿里巴巴为军方提供技术支持。", "suffix": "。"}
    assert {"type": "SpecificResource", "purpose": "assessing", "source": URL + "themes/accusation/#claim-denial",
            "value": "consistent"} in denial["body"]
    beta = next(i for i in items if i["id"].endswith("#a-be-huang"))
    assert beta["target"]["selector"]["exact"] == "黃仁勛稱Qwen是頂尖開源模型"  # verbatim, as captured


def test_claims_json_and_csv_agree(site):
    claims = json.loads((site / "data" / "claims.json").read_text())["claims"]
    assert [c["id"] for c in claims] == ["denial", "downloads"]
    denial = claims[0]
    assert denial["verdict"] == "consistent" and denial["articles"] == ["alpha"] and denial["passages"] == ["al-denial"]
    assert denial["sources"] == [{"publisher": "测试社", "title": "报道", "date": "2025-11-15", "url": "https://example.org/src", "via": "", "accessed": ""}]
    rows = list(csv.DictReader(io.StringIO((site / "data" / "claims.csv").read_text())))
    assert [r["id"] for r in rows] == ["denial", "downloads"]
    assert rows[0]["sources"] == "测试社, 报道, 2025-11-15, https://example.org/src"
    assert rows[1]["verdict"] == "unverifiable" and rows[1]["passages"] == "1"


def test_claim_review_json_ld(site):
    page = (site / "en" / "themes" / "accusation" / "index.html").read_text()
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    reviews = json.loads(blocks[0])
    assert len(reviews) == 1
    review = reviews[0]
    assert review["@type"] == "ClaimReview" and review["claimReviewed"] == "Alibaba's denial"
    assert review["url"] == URL + "en/themes/accusation/#claim-denial"
    assert review["reviewRating"]["alternateName"] == "Consistent with sources"
    assert review["author"]["name"] == "Test Archive"
    assert review["itemReviewed"]["appearance"][0]["url"] == "https://example.org/alpha"


def test_data_page_links_every_export(site):
    page = (site / "zh-hant" / "data" / "index.html").read_text()
    for name in ("annotations.jsonld", "claims.json", "claims.csv"):
        assert f'href="/repo/data/{name}"' in page
    assert "W3C" in page


def test_exports_stream_their_items_one_a_line_into_compact_json():
    import json

    from framing.site.exports import Streamed, _json

    items = [{"id": "甲", "n": [1, {"x": None}]}, {"id": "b", "empty": []}]
    for listed in (items, []):
        data = {"head": "档案", "nested": {"items": Streamed(len(listed), lambda listed=listed: iter(listed))}, "tail": {}}
        written = _json(data).decode("utf-8")
        assert json.loads(written) == {"head": "档案", "nested": {"items": listed}, "tail": {}}
        lines = written.splitlines()
        assert len(lines) == (len(listed) + 2 if listed else 1)  # the head, one line per item, the tail
        for line, item in zip(lines[1:], listed):
            assert json.loads(line.rstrip(",")) == item


def test_a_claim_review_lists_each_work_once_in_the_order_it_first_carries_the_claim():
    """However many passages of one article carry a claim, the article appears once."""
    from framing.site import structured
    from framing.site.editions import ScriptConverter
    from framing.site.pages import edition_views
    from framing.pipeline import load, load_catalogue
    from framing.project import Project
    from conftest import REPO

    project = Project.at(REPO)
    archive = load(project)
    view = edition_views(archive, load_catalogue(project), ScriptConverter(), {})[0]
    repeated = 0
    for claim in archive.claims:
        review = json.loads(structured.claim_reviews(view, [claim]))[0]
        works = [view.index.articles[a.article] for a in view.index.by_claim[claim.id]]
        repeated += len(works) - len({w.slug for w in works})
        expected = list(dict.fromkeys((w.title, w.outlet) for w in works))
        assert [(a["headline"], a["publisher"]["name"]) for a in review["itemReviewed"]["appearance"]] == expected
    assert repeated, "the seed has claims carried twice by one article"


def test_a_claim_review_names_the_first_works_only(tiny):
    """A talking point carried by many articles: its ClaimReview names the first APPEARANCES works."""
    from dataclasses import replace

    from framing.site import structured
    from framing.site.editions import ScriptConverter
    from framing.site.pages import edition_views
    from framing.pipeline import load, load_catalogue
    from framing.project import Project

    project = Project.at(tiny)
    archive = load(project)
    alpha = next(a for a in archive.articles if a.slug == "alpha")
    denial = next(a for a in archive.annotations if a.claim == "denial")
    copies = [replace(alpha, slug=f"copy-{n:02d}", title=f"转载{n:02d}") for n in range(structured.APPEARANCES + 5)]
    archive = replace(archive, articles=archive.articles + tuple(copies),
                      annotations=archive.annotations + tuple(replace(denial, id=f"d-{c.slug}", article=c.slug) for c in copies))
    view = edition_views(archive, load_catalogue(project), ScriptConverter(), {})[0]
    review = json.loads(structured.claim_reviews(view, [view.index.claims["denial"]]))[0]
    works = list(dict.fromkeys(view.index.articles[a.article].title for a in view.index.by_claim["denial"]))
    assert len(works) > structured.APPEARANCES
    assert [a["headline"] for a in review["itemReviewed"]["appearance"]] == works[:structured.APPEARANCES]


def test_a_large_archive_s_open_data_comes_in_parts_none_over_the_limit(tiny, monkeypatch):
    """With a limit small enough to split the tiny archive's annotations (here) and shared passages
    (below), every data file stays under it, and the parts hold every item once, in order: the
    annotations as the W3C model's pages of one collection."""
    from framing.site import dataparts
    from framing.pipeline import gather
    from framing.project import Project

    whole = gather(Project.at(tiny), URL).files
    monkeypatch.setattr(dataparts, "DATA_FILE_LIMIT", 6000)
    files = gather(Project.at(tiny), URL).files
    split = {path: body for path, body in files.items() if path.startswith("data/annotations")}
    assert len(split) > 2 and all(len(body) <= 6000 for body in split.values()), {path: len(body) for path, body in split.items()}
    collection = json.loads(split["data/annotations.jsonld"])
    assert collection["type"] == "AnnotationCollection" and collection["total"] == 3
    items, page_url, pages = [], collection["first"], []
    while page_url:
        page = json.loads(split[page_url.removeprefix(URL)])
        assert page["type"] == "AnnotationPage" and page["partOf"] == collection["id"] and page["startIndex"] == len(items)
        items += page["items"]
        pages.append(page_url)
        page_url = page.get("next")
    assert pages[-1] == collection["last"] and len(pages) == len(split) - 1
    assert items == json.loads(whole["data/annotations.jsonld"])["first"]["items"]


def test_shared_passages_come_in_parts_listed_by_the_index_file(tiny, monkeypatch):
    from dataclasses import replace

    from framing.site import dataparts
    from framing.site.editions import ScriptConverter
    from framing.site.pages import edition_views
    from framing.pipeline import load, load_catalogue
    from framing.project import Project
    from framing.site.shared import find_shared
    from framing.source.anchor import TextFolder

    project = Project.at(tiny)
    archive = load(project)
    converter = ScriptConverter()
    found = find_shared(archive, TextFolder(converter.engine("zh-Hans")), archive.config.shared_min_length)
    passages = tuple(replace(found[0], id=f"shared-{n}") for n in range(1, 7))
    view = edition_views(archive, load_catalogue(project), converter, {}, passages)[0]
    whole = dict(dataparts.shared_passage_files(view))
    assert list(whole) == ["data/shared-passages.json"]
    monkeypatch.setattr(dataparts, "DATA_FILE_LIMIT", 6000)
    made = {path: make() for path, make in dataparts.shared_passage_files(view)}
    assert len(made) > 2 and all(len(body) <= 6000 for body in made.values()), {path: len(body) for path, body in made.items()}
    index = json.loads(made["data/shared-passages.json"])
    parts = [json.loads(made[part["url"].removeprefix("/")]) for part in index["parts"]]
    assert [len(part["passages"]) for part in parts] == [part["passages"] for part in index["parts"]]
    assert [p for part in parts for p in part["passages"]] == json.loads(whole["data/shared-passages.json"]())["passages"]
    assert index["total"] == 6 and all(part["min_length"] == index["min_length"] for part in parts)


def test_the_parts_are_consecutive_and_within_their_budget():
    from framing.site.dataparts import parts

    assert parts([], 10) == [range(0, 0)]
    assert parts([4, 4, 4, 9, 30, 1], 10) == [range(0, 2), range(2, 3), range(3, 4), range(4, 5), range(5, 6)]
    assert parts([1] * 5, 10) == [range(0, 5)]
