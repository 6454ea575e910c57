"""The build-time SVG charts: well-formed, accessible, escaped, linked and deterministic."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given, settings, strategies as st

from framing.site.charts import matrix_svg
from framing.site.timeline import timeline_svg

SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}href"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

ROWS = [("阿里巴巴否认", "claims/denial/"), ("下载量突破6亿次", "claims/downloads/"), ("没有链接的论断", "")]
COLUMNS = [("观察者网", "articles/guancha/"), ("中华网", "articles/china-com/"), ("網易號", "articles/netease/")]
CELLS = {(0, 0): "consistent", (0, 1): "consistent", (1, 0): "unverifiable", (1, 2): "unverifiable",
         (2, 1): "overstated"}
ITEMS = [
    ("2025-11-14", "英国《金融时报》报道", "event", "https://www.ft.com/"),
    ("2025-11-14 09:00", "千问APP上线", "event", ""),
    ("2025-11-15", "观察者网", "article", "articles/guancha/"),
    ("2025-11-16 15:15", "北京日报", "article", "articles/bjd/"),
    ("2025-11-17 16:05", "中华网", "article", "articles/china-com/"),
    ("2025-11-17 12:00", "港股研究社", "article", ""),
]


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    return root


def classes(element: ET.Element) -> set[str]:
    return set(element.get("class", "").split())


def links(root: ET.Element) -> list[ET.Element]:
    return list(root.iter(f"{SVG}a"))


def assert_accessible(root: ET.Element, title: str, desc: str, lang: str) -> None:
    assert root.get("role") == "group"
    assert root.get("version") == "1.1"
    assert root.get(XML_LANG) == lang
    title_el, desc_el = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title_el is not None and title_el.text == title
    assert desc_el is not None and desc_el.text == desc
    assert root[0] is title_el and root[1] is desc_el  # first children, as SVG 1.1 expects
    assert root.get("aria-labelledby").split() == [title_el.get("id"), desc_el.get("id")]
    ids = [el.get("id") for el in root.iter() if el.get("id")]
    assert len(ids) == len(set(ids))


def assert_no_inline_style(svg: str, root: ET.Element) -> None:
    assert "<style" not in svg
    assert all("style" not in el.attrib for el in root.iter())


def assert_viewbox(root: ET.Element) -> None:
    x, y, width, height = (float(v) for v in root.get("viewBox").split())
    assert (x, y) == (0, 0) and width > 0 and height > 0
    assert float(root.get("width")) == width and float(root.get("height")) == height


# ---------------------------------------------------------------------------------------------
# Matrix


def test_matrix_is_well_formed_and_accessible():
    svg = matrix_svg("论断与文章", "哪篇文章载有哪条论断", ROWS, COLUMNS, CELLS, "zh-Hans")
    root = parse(svg)
    assert_accessible(root, "论断与文章", "哪篇文章载有哪条论断", "zh-Hans")
    assert_no_inline_style(svg, root)
    assert_viewbox(root)
    assert {"chart", "chart-matrix"} <= classes(root)


def test_matrix_has_one_circle_per_carried_cell_with_its_verdict_class():
    root = parse(matrix_svg("t", "d", ROWS, COLUMNS, CELLS, "en"))
    circles = [c for c in root.iter(f"{SVG}circle") if "cell" in classes(c)]
    assert len(circles) == len(CELLS)
    found = sorted(sorted(classes(c)) for c in circles)
    expected = sorted(sorted({"cell", f"verdict-{v}"}) for v in CELLS.values())
    assert found == expected
    assert all(c.get("fill") == "currentColor" for c in circles)


def test_matrix_circles_sit_in_their_row_and_column():
    root = parse(matrix_svg("t", "d", ROWS, COLUMNS, CELLS, "en"))
    row_links = [a for a in links(root) if "row" in classes(a)]
    assert [a.get("href") for a in row_links] == ["claims/denial/", "claims/downloads/"]
    # the first row carries the claim in columns 0 and 1: two circles, distinct x, same y
    first = [c for c in row_links[0].iter(f"{SVG}circle")]
    assert len(first) == 2
    assert first[0].get("cy") == first[1].get("cy")
    assert float(first[0].get("cx")) < float(first[1].get("cx"))
    second = list(row_links[1].iter(f"{SVG}circle"))
    assert float(second[0].get("cx")) == float(first[0].get("cx"))  # column 0 in both rows
    assert float(second[0].get("cy")) > float(first[0].get("cy"))


def test_matrix_rows_and_columns_are_links():
    root = parse(matrix_svg("t", "d", ROWS, COLUMNS, CELLS, "en"))
    by_class = {"row": [], "column": []}
    for a in links(root):
        assert a.get("href") == a.get(XLINK)
        for name in by_class:
            if name in classes(a):
                by_class[name].append(a.get("href"))
    assert by_class["row"] == [href for _, href in ROWS if href]
    assert by_class["column"] == [href for _, href in COLUMNS]
    labels = [t.text for t in root.iter(f"{SVG}text") if "row-label" in classes(t)]
    assert labels == [label for label, _ in ROWS]  # the unlinked row is still drawn


def test_matrix_column_labels_are_rotated():
    root = parse(matrix_svg("t", "d", ROWS, COLUMNS, CELLS, "en"))
    columns = [t for t in root.iter(f"{SVG}text") if "col-label" in classes(t)]
    assert [t.text for t in columns] == [label for label, _ in COLUMNS]
    assert all(t.get("transform", "").startswith("rotate(-45 ") for t in columns)


def test_matrix_escapes_text_and_links():
    nasty = 'A < B & "C" \'D\' >'
    rows = [(nasty, 'claims/x/?a=1&b="2"')]
    columns = [("<script>alert(1)</script>", "articles/<y>/")]
    svg = matrix_svg(nasty, nasty, rows, columns, {(0, 0): "consistent"}, "en")
    assert "<script>" not in svg
    root = parse(svg)
    assert root.find(f"{SVG}title").text == nasty
    assert root.find(f"{SVG}desc").text == nasty
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert nasty in texts and "<script>alert(1)</script>" in texts
    hrefs = [a.get("href") for a in links(root)]
    assert hrefs == ['claims/x/?a=1&b="2"', "articles/<y>/"]
    circle = next(root.iter(f"{SVG}circle"))
    assert circle.find(f"{SVG}title").text == f"{nasty} · <script>alert(1)</script>"


def test_matrix_class_suffix_is_sanitised():
    root = parse(matrix_svg("t", "d", ROWS[:1], COLUMNS[:1], {(0, 0): 'bad" onload="x'}, "en"))
    circle = next(root.iter(f"{SVG}circle"))
    assert re.fullmatch(r"cell verdict-[a-z0-9-]+", circle.get("class"))
    assert "onload" not in circle.attrib


def test_matrix_scales_to_ninety_rows():
    rows = [(f"论断{i}:" + "很长的标签" * (i % 7), f"claims/c{i}/") for i in range(90)]
    columns = [(f"媒体{j}", f"articles/a{j}/") for j in range(5)]
    cells = {(i, j): "consistent" for i in range(90) for j in range(5) if (i + j) % 3 == 0}
    root = parse(matrix_svg("t", "d", rows, columns, cells, "zh-Hans"))
    assert_viewbox(root)
    assert len([c for c in root.iter(f"{SVG}circle") if "cell" in classes(c)]) == len(cells)
    width, height = float(root.get("width")), float(root.get("height"))
    assert height >= 90 * 20 and width < 800  # every row gets its own line; long labels are cut
    circles_y = sorted({float(c.get("cy")) for c in root.iter(f"{SVG}circle")})
    assert min(b - a for a, b in zip(circles_y, circles_y[1:])) >= 20  # rows do not crowd
    assert all(0 < float(c.get("cy")) < height for c in root.iter(f"{SVG}circle"))


def test_matrix_shortened_labels_keep_their_full_text():
    long_label = "这是一条非常非常非常非常非常非常非常非常非常非常非常长的论断标签"
    root = parse(matrix_svg("t", "d", [(long_label, "c/")], COLUMNS[:1], {}, "zh-Hans"))
    label = next(t for t in root.iter(f"{SVG}text") if "row-label" in classes(t))
    assert label.find(f"{SVG}title").text == long_label
    assert "".join(label.itertext()).endswith("…")


def test_matrix_size_follows_the_counts():
    small = parse(matrix_svg("t", "d", ROWS[:1], COLUMNS[:1], {}, "en"))
    large = parse(matrix_svg("t", "d", ROWS, COLUMNS, {}, "en"))
    assert float(large.get("height")) > float(small.get("height"))
    assert float(large.get("width")) > float(small.get("width"))


def test_matrix_rejects_cells_outside_the_grid():
    with pytest.raises(ValueError):
        matrix_svg("t", "d", ROWS, COLUMNS, {(3, 0): "consistent"}, "en")


def test_matrix_empty_is_still_valid():
    root = parse(matrix_svg("t", "d", [], [], {}, "en"))
    assert_accessible(root, "t", "d", "en")


def test_matrix_is_deterministic():
    first = matrix_svg("t", "d", ROWS, COLUMNS, CELLS, "en")
    shuffled = dict(reversed(list(CELLS.items())))
    assert matrix_svg("t", "d", ROWS, COLUMNS, shuffled, "en") == first
    assert matrix_svg("t", "d", ROWS, COLUMNS, CELLS, "en") == first


def test_chart_ids_are_distinct_per_content_and_can_be_given():
    a = parse(matrix_svg("t", "d", ROWS, COLUMNS, CELLS, "en"))
    b = parse(matrix_svg("t", "d", ROWS[:2], COLUMNS, {k: v for k, v in CELLS.items() if k[0] < 2}, "en"))
    assert a.get("id") != b.get("id")
    given = parse(matrix_svg("t", "d", ROWS, COLUMNS, CELLS, "en", chart_id="theme-matrix"))
    assert given.get("id") == "theme-matrix"
    assert given.get("aria-labelledby") == "theme-matrix-title theme-matrix-desc"


# ---------------------------------------------------------------------------------------------
# Timeline


def item_groups(root: ET.Element) -> dict[str, ET.Element]:
    """Each item's group, by its label."""
    groups = {}
    for g in root.iter(f"{SVG}g"):
        text = next(t for t in g.iter(f"{SVG}text"))
        groups[text.text] = g
    return groups


def test_timeline_is_well_formed_and_accessible():
    svg = timeline_svg("报道时间线", "文章与事件", ITEMS, "zh-Hans")
    root = parse(svg)
    assert_accessible(root, "报道时间线", "文章与事件", "zh-Hans")
    assert_no_inline_style(svg, root)
    assert_viewbox(root)
    assert {"chart", "chart-timeline"} <= classes(root)


def test_timeline_articles_above_events_below():
    root = parse(timeline_svg("t", "d", ITEMS, "en"))
    axis = next(line for line in root.iter(f"{SVG}line") if "axis" in classes(line))
    axis_y = float(axis.get("y1"))
    groups = item_groups(root)
    assert len(groups) == len(ITEMS)
    for _, label, kind, _ in ITEMS:
        text = next(groups[label].iter(f"{SVG}text"))
        assert kind in text.get("class")
        if kind == "article":
            assert float(text.get("y")) < axis_y
        else:
            assert float(text.get("y")) > axis_y


def test_timeline_is_in_time_order_along_the_axis():
    root = parse(timeline_svg("t", "d", ITEMS, "en"))
    groups = item_groups(root)
    x = {label: float(next(groups[label].iter(f"{SVG}text")).get("x")) for _, label, _, _ in ITEMS}
    assert x["观察者网"] < x["北京日报"] < x["港股研究社"] < x["中华网"]
    assert x["英国《金融时报》报道"] < x["千问APP上线"]


def test_timeline_ticks_are_days_in_the_page_language():
    zh = parse(timeline_svg("t", "d", ITEMS, "zh-Hans"))
    ticks = [t.text for t in zh.iter(f"{SVG}text") if "tick-label" in classes(t)]
    assert ticks == ["2025年11月14日", "11月15日", "11月16日", "11月17日", "11月18日"]
    en = parse(timeline_svg("t", "d", ITEMS, "en"))
    ticks = [t.text for t in en.iter(f"{SVG}text") if "tick-label" in classes(t)]
    assert ticks == ["14 Nov 2025", "15 Nov", "16 Nov", "17 Nov", "18 Nov"]


def test_timeline_long_spans_get_fewer_ticks():
    items = [("2025-01-01", "a", "article", ""), ("2025-12-31", "b", "event", "")]
    root = parse(timeline_svg("t", "d", items, "en"))
    ticks = [t for t in root.iter(f"{SVG}text") if "tick-label" in classes(t)]
    assert 2 <= len(ticks) <= 17
    assert ticks[0].text == "1 Jan 2025"


def test_timeline_year_shown_when_it_changes():
    items = [("2025-12-30", "a", "article", ""), ("2026-01-02", "b", "article", "")]
    root = parse(timeline_svg("t", "d", items, "en"))
    ticks = [t.text for t in root.iter(f"{SVG}text") if "tick-label" in classes(t)]
    assert ticks == ["30 Dec 2025", "31 Dec", "1 Jan 2026", "2 Jan", "3 Jan"]


def label_boxes(root: ET.Element) -> list[tuple[float, float, float]]:
    """(x, y, estimated right edge) of every item label."""
    from framing.site.charts import _text_width  # the estimate the layout itself uses

    boxes = []
    for t in root.iter(f"{SVG}text"):
        if "item-label" in classes(t):
            boxes.append((float(t.get("x")), float(t.get("y")), float(t.get("x")) + _text_width(t.text)))
    return boxes


def assert_no_overlap(root: ET.Element) -> None:
    boxes = label_boxes(root)
    for i, (x1, y1, r1) in enumerate(boxes):
        for x2, y2, r2 in boxes[i + 1:]:
            if y1 == y2:
                assert r1 <= x2 or r2 <= x1, (x1, r1, x2, r2)
            else:
                assert abs(y1 - y2) >= 13  # one line of text apart


def test_timeline_labels_on_the_same_day_are_stacked():
    items = [("2025-11-17", f"同一天的第{i}篇文章", "article", "") for i in range(5)]
    items += [("2025-11-17", f"同一天的第{i}件事", "event", "") for i in range(3)]
    root = parse(timeline_svg("t", "d", items, "zh-Hans"))
    boxes = label_boxes(root)
    assert len({y for _, y, _ in boxes}) == 8  # five lines above, three below
    assert_no_overlap(root)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.dates(min_value=__import__("datetime").date(2025, 1, 1),
                                    max_value=__import__("datetime").date(2025, 3, 1)),
                          st.integers(0, 23), st.text(alphabet="阿里千问Qwen 报道abc", min_size=1, max_size=12),
                          st.sampled_from(["article", "event"])), max_size=25))
def test_timeline_labels_never_overlap(entries):
    items = [(f"{day.isoformat()} {hour:02d}:00", label, kind, "") for day, hour, label, kind in entries]
    svg = timeline_svg("t", "d", items, "en")
    root = parse(svg)
    assert_no_overlap(root)
    assert len(label_boxes(root)) == len(items)
    width, height = float(root.get("width")), float(root.get("height"))
    for x, y, right in label_boxes(root):
        assert 0 <= x and right <= width + 0.1 and 0 < y <= height


def test_timeline_links_only_where_given():
    root = parse(timeline_svg("t", "d", ITEMS, "en"))
    hrefs = sorted(a.get("href") for a in links(root))
    assert hrefs == sorted(href for *_, href in ITEMS if href)
    assert all(a.get("href") == a.get(XLINK) and "item" in classes(a) for a in links(root))


def test_timeline_escapes_text_and_links():
    nasty = 'A < B & "C" >'
    items = [("2025-11-14", nasty, "article", "a?x=1&y=<2>"), ("2025-11-15", "<b>", "event", "")]
    svg = timeline_svg(nasty, nasty, items, "en")
    root = parse(svg)
    assert root.find(f"{SVG}title").text == nasty
    labels = [t.text for t in root.iter(f"{SVG}text") if "item-label" in classes(t)]
    assert labels == [nasty, "<b>"]
    assert [a.get("href") for a in links(root)] == ["a?x=1&y=<2>"]
    assert "<b>" not in svg


def test_timeline_is_deterministic_and_order_free():
    first = timeline_svg("t", "d", ITEMS, "en")
    assert timeline_svg("t", "d", ITEMS, "en") == first
    assert timeline_svg("t", "d", list(reversed(ITEMS)), "en") == first


def test_timeline_single_day_and_empty():
    one = parse(timeline_svg("t", "d", [("2025-11-14", "一篇", "article", "")], "zh-Hant"))
    assert_accessible(one, "t", "d", "zh-Hant")
    empty = parse(timeline_svg("t", "d", [], "en"))
    assert_accessible(empty, "t", "d", "en")


@pytest.mark.parametrize("item", [("2025-13-01", "x", "article", ""), ("14 Nov", "x", "article", ""),
                                  ("2025-11-14", "x", "report", "")])
def test_timeline_rejects_bad_items(item):
    with pytest.raises(ValueError):
        timeline_svg("t", "d", [item], "en")


def test_same_bytes_in_another_process():
    """No dependence on hash randomisation or other per-process state."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    code = ("import sys; from framing.site.charts import matrix_svg; from framing.site.timeline import timeline_svg; from tests.test_charts import *; "
            "sys.stdout.write(matrix_svg('t', 'd', ROWS, COLUMNS, CELLS, 'en') + timeline_svg('t', 'd', ITEMS, 'en'))")
    root = Path(__file__).resolve().parent.parent
    outputs = set()
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        result = subprocess.run([sys.executable, "-c", code], cwd=root, env=env, capture_output=True, text=True,
                                check=True)
        outputs.add(result.stdout)
    assert outputs == {matrix_svg("t", "d", ROWS, COLUMNS, CELLS, "en") + timeline_svg("t", "d", ITEMS, "en")}
