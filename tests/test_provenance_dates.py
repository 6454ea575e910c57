"""Capture and access dates, and publication ranges: loaded and checked with file and line, shown on
the pages of every edition, drawn on the timeline and given in the open data."""

import json
import re

import pytest

from conftest import REPO, CAPTURE_HANT, article, cli_for, tiny_files, write_project
from framing.site.timeline import timeline_svg

BETA_UNDATED = article("beta", "b.txt", CAPTURE_HANT, "zh-Hant", ["黃仁勛稱Qwen是頂尖開源模型。", "這裡的實驗室里有人說開源贏了。"],
                       extra="captured: 2025-12-02\npublished_after: 2025-11-20\npublished_before: 2025-11-25\n"
                       ).replace("published: 2025-11-14\n", "").replace(
                           "  - url: https://example.org/beta\n", "  - url: https://example.org/beta\n    accessed: 2025-12-01\n")


def files_with(beta: str = BETA_UNDATED) -> dict:
    files = tiny_files()
    files["articles/beta.md"] = beta
    files["claims/denial.md"] = files["claims/denial.md"].replace(
        "    url: https://example.org/src\n", "    url: https://example.org/src\n    accessed: 2025-11-16\n")
    return files


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    project = write_project(tmp_path_factory.mktemp("dates") / "project", files_with())
    result = cli_for(project, "build", "--out", str(project / "site"))
    assert result.returncode == 0, result.stderr
    return project / "site"


@pytest.mark.parametrize("edition, captured, between, accessed", [
    ("", "存档时间", "不早于2025-11-20,不晚于2025-11-25", "查阅于"),
    ("zh-hant/", "存檔時間", "不早於2025-11-20,不晚於2025-11-25", "查閱於"),
    ("en/", "Captured", "between 2025-11-20 and 2025-11-25", "accessed"),
])
def test_the_article_page_shows_capture_range_and_access(site, edition, captured, between, accessed):
    page = (site / edition / "articles" / "beta" / "index.html").read_text()
    assert f"<dt>{captured}</dt><dd><time>2025-12-02</time></dd>" in page
    assert f"<dd>{between}</dd>" in page
    assert f'<a rel="noopener noreferrer" href="https://example.org/beta">https://example.org/beta</a>, {accessed} <time>2025-12-01</time>' in page
    alpha = (site / edition / "articles" / "alpha" / "index.html").read_text()
    assert re.search(rf"<dt>{captured}</dt><dd>[^<]+</dd>", alpha)  # unknown, said so, never guessed


def test_a_claim_source_shows_when_it_was_accessed(site):
    page = (site / "en" / "claims" / "denial" / "index.html").read_text()
    assert "2025-11-15</time>, accessed <time>2025-11-16</time></li>" in page


def test_the_timeline_draws_a_range_and_lists_it(site):
    index = (site / "en" / "index.html").read_text()
    svg = re.search(r"<svg[^>]*chart-timeline.*?</svg>", index, re.S).group(0)
    assert len(re.findall(r'<line class="range" ', svg)) == 1 and "range-open" not in svg
    assert "<li>between 2025-11-20 and 2025-11-25 · Article:" in index
    assert "Articles whose publication date is unknown" not in index


def test_lists_write_the_range_without_a_time_element(site):
    listing = (site / "articles" / "index.html").read_text()
    assert "不早于2025-11-20,不晚于2025-11-25 ·" in listing and "<time>不早于" not in listing


def test_articles_json_gives_every_date(site):
    articles = {a["slug"]: a for a in json.loads((site / "data" / "articles.json").read_text())["articles"]}
    beta = articles["beta"]
    assert (beta["published"], beta["published_after"], beta["published_before"], beta["captured"]) == \
        ("", "2025-11-20", "2025-11-25", "2025-12-02")
    assert beta["sources"] == [{"url": "https://example.org/beta", "note": "", "accessed": "2025-12-01"}]
    assert articles["alpha"]["published"] == "2025-11-15" and articles["alpha"]["captured"] == ""
    claims = json.loads((site / "data" / "claims.json").read_text())["claims"]
    assert claims[0]["sources"][0]["accessed"] == "2025-11-16"


def test_the_data_page_lists_articles_json(site):
    assert 'href="/data/articles.json"' in (site / "en" / "data" / "index.html").read_text()


def test_open_ranges_are_drawn_dashed_to_the_edge():
    svg = timeline_svg("t", "d", [("2025-11-14", "a", "article", ""), ("2025-12-10/", "b", "article", ""),
                                  ("/2025-11-15", "c", "article", "")], "en")
    bars = re.findall(r'<line class="range range-open" x1="([\d.]+)" y1="[\d.]+" x2="([\d.]+)"', svg)
    assert len(bars) == 2
    axis = re.search(r'<line class="axis" x1="([\d.]+)" y1="[\d.]+" x2="([\d.]+)"', svg).groups()
    assert sorted(bars)[0][0] == axis[0]  # not after 15 Nov: from the start of the axis
    assert sorted(bars)[1][1] == axis[1]  # not before 10 Dec: to its end
    with pytest.raises(ValueError):
        timeline_svg("t", "d", [("2025-12-10/2025-12-01", "x", "article", "")], "en")
    with pytest.raises(ValueError):
        timeline_svg("t", "d", [("/", "x", "article", "")], "en")


@pytest.mark.parametrize("extra, line, message", [
    ("published_after: 2025-11-01\n", 11, "'published_after' is for an article whose publication date is unknown"),
    ("captured: 2025-11-02\n", 11, "the capture (2025-11-02) is earlier than the publication (published: 2025-11-14)"),
    ("captured: someday\n", 11, "captured: 'someday' is not a date"),
])
def test_article_date_problems_name_file_and_line(tmp_path, extra, line, message):
    files = tiny_files()
    files["articles/beta.md"] = article("beta", "b.txt", CAPTURE_HANT, "zh-Hant",
                                        ["黃仁勛稱Qwen是頂尖開源模型。", "這裡的實驗室里有人說開源贏了。"], extra=extra)
    result = cli_for(write_project(tmp_path / "p", files), "check")
    assert result.returncode == 1
    assert f"content/articles/beta.md:{line}: {message}" in result.stderr


def test_bounds_the_wrong_way_round_and_access_before_the_source(tmp_path):
    beta = BETA_UNDATED.replace("published_after: 2025-11-20\npublished_before: 2025-11-25",
                                "published_after: 2025-11-25\npublished_before: 2025-11-20")
    files = files_with(beta)
    files["claims/denial.md"] = files["claims/denial.md"].replace("accessed: 2025-11-16", "accessed: 2025-11-01")
    result = cli_for(write_project(tmp_path / "p", files), "check")
    assert result.returncode == 1
    assert "content/articles/beta.md:13: published_before (2025-11-20) is earlier than published_after (2025-11-25)" in result.stderr
    assert "content/claims/denial.md:10: accessed (2025-11-01) is earlier than the source's date (2025-11-15)" in result.stderr


def test_the_seed_dates_its_undated_articles_by_what_their_notes_state():
    text = {slug: (REPO / "content" / "articles" / f"{slug}.md").read_text()
            for slug in ("guancha-silent-war", "hkstock-qwen-panic", "netease-meta-avocado")}
    assert "published_before: 2025-11-15" in text["guancha-silent-war"] and "2025-11-15" in text["guancha-silent-war"].split("notes:")[1]
    assert "published_after: 2025-12-10" in text["netease-meta-avocado"] and "2025年12月10日" in text["netease-meta-avocado"]
    assert "published_after: 2025-11-11\npublished_before: 2025-11-30" in text["hkstock-qwen-panic"]
    assert "11月中下旬" in text["hkstock-qwen-panic"]
