"""The matrix, the themes-by-outlet table, the timeline and the statistics table in the built site."""

import re
import xml.etree.ElementTree as ET

from conftest import cli_for

SVG = "{http://www.w3.org/2000/svg}"


def build(project, *extra):
    result = cli_for(project, "build", "--out", str(project / "site"), *extra)
    assert result.returncode == 0, result.stderr
    return project / "site"


def svg_of(page, marker):
    match = re.search(rf'(<svg[^>]*{marker}.*?</svg>)', page, re.S)
    return ET.fromstring(match.group(1))


def test_claims_matrix_on_index_and_theme_pages(tiny):
    site = build(tiny)
    index = (site / "index.html").read_text()
    matrix = svg_of(index, 'id="matrix-all"')
    assert matrix.get("role") == "group" and matrix.find(f"{SVG}title").text == "论断与文章对照"
    circles = matrix.iter(f"{SVG}circle")
    assert sorted(c.get("class") for c in circles) == ["cell verdict-consistent", "cell verdict-unverifiable"]
    assert "<summary>以表格查看</summary>" in index and "✓" in index
    theme = (site / "themes" / "accusation" / "index.html").read_text()
    assert len(list(svg_of(theme, 'id="matrix-accusation"').iter(f"{SVG}circle"))) == 1


def test_themes_by_outlet_counts(tiny):
    index = (build(tiny) / "en" / "index.html").read_text()
    table = re.search(r'<table class="counts">(.*?)</table>', index, re.S).group(1)
    rows = re.findall(r"<tr><th scope=\"row\">.*?</th>(.*?)</tr>", table, re.S)
    counts = [re.findall(r"<td>(\d+)</td>", row) for row in rows]
    assert counts == [["0", "1"], ["1", "1"]] or counts == [["1", "1"], ["0", "1"]]


def test_timeline_shows_articles_and_events(tiny):
    (tiny / "content" / "events.yaml").write_text(
        "events:\n  - date: 2025-11-14\n    label: 报道发表\n    label_en: The report appears\n    sources:\n"
        "      - publisher: 测试社\n        title: 报道\n        date: 2025-11-14\n        url: https://example.org/r\n")
    index = (build(tiny) / "en" / "index.html").read_text()
    timeline = svg_of(index, 'id="timeline-en"')
    labels = " ".join(t.text or "" for t in timeline.iter(f"{SVG}text"))
    assert "The report appears" in labels and "测试媒体" in labels
    assert "<time>2025-11-14</time> · Event:" in index


def test_event_without_source_is_an_error(tiny):
    (tiny / "content" / "events.yaml").write_text("events:\n  - date: 2025-11-14\n    label: 报道\n    label_en: x\n")
    result = cli_for(tiny, "check")
    assert result.returncode == 1 and "content/events.yaml:2: an event needs at least one source" in result.stderr.replace(str(tiny) + "/", "")


def test_statistics_table_flags_a_difference_from_the_source(tiny):
    (tiny / "content" / "site.yaml").write_text((tiny / "content" / "site.yaml").read_text() + "numbers_theme: statistics\n")
    claim = tiny / "content" / "claims" / "downloads.md"
    claim.write_text(claim.read_text().replace("verdict: unverifiable", "verdict: unverifiable\nsource_value: 6亿次"))
    page = (build(tiny) / "en" / "themes" / "statistics" / "index.html").read_text()
    table = re.search(r'<table class="numbers">(.*?)</table>', page, re.S).group(1)
    assert "突破6亿次" in table and "600,000,000" in table and "more than" in table
    assert "⚑" not in table
    claim.write_text(claim.read_text().replace("source_value: 6亿次", "source_value: 7亿次"))
    page = (build(tiny) / "en" / "themes" / "statistics" / "index.html").read_text()
    assert "⚑ differs from the source" in page


def test_source_value_must_be_a_number(tiny):
    claim = tiny / "content" / "claims" / "downloads.md"
    claim.write_text(claim.read_text().replace("verdict: unverifiable", "verdict: unverifiable\nsource_value: 很多"))
    result = cli_for(tiny, "check")
    assert result.returncode == 1 and "'很多' is not a number with its unit" in result.stderr
