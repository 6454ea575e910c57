"""Charts drawn at build time as inline SVG strings: the claims-by-articles matrix and the timeline.

Pure functions: the same arguments always give the same bytes, and nothing outside the arguments
is read. The output is SVG 1.1 (``version="1.1"``, ``xlink:href`` on links, ``xml:lang``) that can
be pasted into an HTML5 page as it is. Links also carry a plain ``href`` (SVG 2, and what HTML5
tools such as link checkers look at).

Accessibility: the root element has ``role="group"`` and ``aria-labelledby`` pointing at its
``<title>`` and ``<desc>``; every link and cell carries its own ``<title>`` (a tooltip). The links
inside stay reachable (``role="img"`` would hide them, and links inside an image are nested
interactive content); pages still give the plain HTML table (matrix) or list (timeline) beside
the chart as its accessible equivalent.

No ``style`` attribute or element is emitted (the Content-Security-Policy forbids inline styles).
Colours come from CSS classes; presentation attributes give only geometry, ``currentColor``
fallbacks and ``fill="none"`` where a shape must stay unpainted without the stylesheet. Classes:

* both: ``chart``; ``chart-matrix`` or ``chart-timeline`` on the root;
* matrix: ``band`` (a row's full-width background, ``band-alt`` on every other row), ``grid``
  (column guides), ``row-label``, ``col-label``, ``cell verdict-<suffix>`` (a carried claim; its
  fill is ``currentColor``, so ``.verdict-<suffix> { color: … }`` colours it), ``row`` and
  ``column`` on the links;
* timeline: ``axis``, ``tick``, ``tick-label``, ``leader``, ``mark mark-article`` /
  ``mark mark-event``, ``range`` (the bar of an item dated only to a range; ``range range-open``,
  dashed, where one end is open), ``item-label item-article`` / ``item-label item-event``, ``item``
  on the links.

Label widths are estimated (a wide CJK character counts as one em, anything else as 0.6 em); long
labels are shortened with an ellipsis and keep their full text in a ``<title>``.
"""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta

__all__ = ["matrix_svg", "timeline_svg"]

FONT_SIZE = 13  # px, set once on the root element
_PAD = 8
_ELLIPSIS = "…"


# ---------------------------------------------------------------------------------------------
# Helpers shared by both charts


def _escape(text: str) -> str:
    """Text or an attribute value, escaped for XML (and HTML)."""
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("'", "&#39;"))


def _num(value: float) -> str:
    """A coordinate with at most one decimal, no trailing '.0': stable across platforms."""
    text = f"{round(value, 1):.1f}"
    return text[:-2] if text.endswith(".0") else text


def _char_width(char: str, size: float) -> float:
    """The estimated advance of one character at a font size."""
    return size if unicodedata.east_asian_width(char) in ("W", "F") else size * 0.6


def _text_width(text: str, size: float = FONT_SIZE) -> float:
    """The estimated width of a line of text."""
    return sum(_char_width(c, size) for c in text)


def _fit(text: str, max_width: float, size: float = FONT_SIZE) -> str:
    """text shortened with an ellipsis so that it fits in max_width."""
    if _text_width(text, size) <= max_width:
        return text
    budget, kept = max_width - _text_width(_ELLIPSIS, size), []
    for char in text:
        budget -= _char_width(char, size)
        if budget < 0:
            break
        kept.append(char)
    return "".join(kept).rstrip() + _ELLIPSIS


def _chart_id(kind: str, *parts: object) -> str:
    """A deterministic id for a chart, derived from its content."""
    digest = hashlib.sha1(repr((kind, parts)).encode("utf-8")).hexdigest()[:10]
    return f"{kind}-{digest}"


def _class_suffix(suffix: str) -> str:
    """A string made safe as part of a class name: lower-case letters, digits and hyphens."""
    return re.sub(r"[^a-z0-9-]+", "-", suffix.strip().lower()).strip("-") or "unknown"


def _link_open(href: str, css_class: str) -> str:
    """The opening tag of a link (both href forms), or '' when there is no href."""
    if not href:
        return ""
    url = _escape(href)
    return f'<a class="{css_class}" href="{url}" xlink:href="{url}">'


def _link_close(href: str) -> str:
    """The closing tag matching _link_open."""
    return "</a>" if href else ""


def _svg_open(chart_id: str, kind: str, width: float, height: float, lang: str) -> str:
    """The root element's opening tag, title and desc follow it."""
    return (f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
            f'version="1.1" class="chart chart-{kind}" id="{chart_id}" '
            f'width="{_num(width)}" height="{_num(height)}" viewBox="0 0 {_num(width)} {_num(height)}" '
            f'role="group" aria-labelledby="{chart_id}-title {chart_id}-desc" xml:lang="{_escape(lang)}" '
            f'font-size="{FONT_SIZE}" fill="currentColor">')


def _heading(chart_id: str, title: str, desc: str) -> list[str]:
    """The chart's <title> and <desc>."""
    return [f'<title id="{chart_id}-title">{_escape(title)}</title>',
            f'<desc id="{chart_id}-desc">{_escape(desc)}</desc>']


def _label(text: str, max_width: float, x: float, y: float, css_class: str, extra: str = "") -> str:
    """A <text> shortened to max_width; a shortened one keeps its full text in a <title>."""
    shown = _fit(text, max_width)
    tooltip = f"<title>{_escape(text)}</title>" if shown != text else ""
    return (f'<text class="{css_class}" x="{_num(x)}" y="{_num(y)}"{extra}>'
            f"{tooltip}{_escape(shown)}</text>")


# ---------------------------------------------------------------------------------------------
# The matrix

_ROW_H = 24
_COL_W = 30
_RADIUS = 7
_ROW_LABEL_MAX = 320
_COL_LABEL_MAX = 200
_SLANT = math.radians(45)


@dataclass(frozen=True)
class _MatrixLayout:
    """Where the parts of a matrix go."""

    label_w: float  # width of the row-label column
    left: float  # x of the first column
    top: float  # y of the first row
    width: float
    height: float


def _matrix_layout(rows: list[tuple[str, str]], columns: list[tuple[str, str]]) -> _MatrixLayout:
    """Sizes computed from the labels and the counts."""
    label_w = min(_ROW_LABEL_MAX, max((_text_width(label) for label, _ in rows), default=0.0))
    col_label_w = min(_COL_LABEL_MAX, max((_text_width(label) for label, _ in columns), default=0.0))
    header = col_label_w * math.sin(_SLANT) + FONT_SIZE
    left = _PAD + label_w + _PAD
    top = _PAD + header + _PAD
    overhang = max(0.0, col_label_w * math.cos(_SLANT) - _COL_W / 2)  # the last label leans right
    width = left + len(columns) * _COL_W + overhang + _PAD
    height = top + len(rows) * _ROW_H + _PAD
    return _MatrixLayout(label_w, left, top, width, height)


def _matrix_columns(columns: list[tuple[str, str]], layout: _MatrixLayout, rows: int) -> list[str]:
    """Column guides and the slanted, linked column labels."""
    parts = []
    bottom = layout.top + rows * _ROW_H
    for index, (label, href) in enumerate(columns):
        x = layout.left + index * _COL_W + _COL_W / 2
        parts.append(f'<line class="grid" x1="{_num(x)}" y1="{_num(layout.top)}" x2="{_num(x)}" '
                     f'y2="{_num(bottom)}" stroke="currentColor" stroke-opacity="0.2"/>')
        y = layout.top - _PAD
        rotate = f' transform="rotate(-45 {_num(x)} {_num(y)})"'
        parts.append(_link_open(href, "column")
                     + _label(label, _COL_LABEL_MAX, x, y, "col-label", rotate)
                     + _link_close(href))
    return parts


def _matrix_row(index: int, row: tuple[str, str], columns: list[tuple[str, str]],
                cells: dict[tuple[int, int], str], layout: _MatrixLayout) -> str:
    """One row: its band, its label and a circle for each article that carries the claim."""
    label, href = row
    y = layout.top + index * _ROW_H
    band = "band band-alt" if index % 2 else "band"
    parts = [_link_open(href, "row"),
             f'<rect class="{band}" x="0" y="{_num(y)}" width="{_num(layout.width)}" height="{_ROW_H}" '
             f'fill="none" pointer-events="all"/>',
             _label(label, _ROW_LABEL_MAX, _PAD, y + _ROW_H / 2 + FONT_SIZE * 0.35, "row-label")]
    for col, (column_label, _) in enumerate(columns):
        verdict = cells.get((index, col))
        if verdict is None or verdict == "":
            continue
        cx = layout.left + col * _COL_W + _COL_W / 2
        parts.append(f'<circle class="cell verdict-{_class_suffix(verdict)}" cx="{_num(cx)}" '
                     f'cy="{_num(y + _ROW_H / 2)}" r="{_RADIUS}" fill="currentColor">'
                     f"<title>{_escape(label)} · {_escape(column_label)}</title></circle>")
    parts.append(_link_close(href))
    return "".join(parts)


def matrix_svg(title: str, desc: str, rows: list[tuple[str, str]], columns: list[tuple[str, str]],
               cells: dict[tuple[int, int], str], lang: str, *, chart_id: str = "") -> str:
    """The claims-by-articles matrix as an SVG string.

    rows: (label, href) of each claim; columns: (label, href) of each article; cells[(row, col)]:
    a class suffix (the claim's verdict, e.g. 'consistent') where the article carries the claim.
    Each carried cell is a filled circle of class "cell verdict-<suffix>"; each row is a link to
    its claim (when its href is not ''), each column label a link to its article. chart_id: the
    id of the root element (its title and desc get '-title' and '-desc'); by default one derived
    from the content, so give distinct ids when one page shows the same chart twice.
    Raises ValueError for a cell outside the rows and columns.
    """
    for row, col in cells:
        if not (0 <= row < len(rows) and 0 <= col < len(columns)):
            raise ValueError(f"cell {(row, col)} is outside {len(rows)} rows × {len(columns)} columns")
    chart_id = chart_id or _chart_id("matrix", title, desc, rows, columns, sorted(cells.items()), lang)
    layout = _matrix_layout(rows, columns)
    parts = [_svg_open(chart_id, "matrix", layout.width, layout.height, lang), *_heading(chart_id, title, desc)]
    parts.extend(_matrix_row(i, row, columns, cells, layout) for i, row in enumerate(rows))
    parts.extend(_matrix_columns(columns, layout, len(rows)))
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


# ---------------------------------------------------------------------------------------------
# The timeline

_KINDS = ("article", "event")
_LINE_H = 18
_ITEM_LABEL_MAX = 240
_TICK_LABEL_GAP = 12  # vertical room between the axis and the tick labels
_GAP = 6  # horizontal room between two labels on one line
_LABEL_OFFSET = 2  # a label starts this far right of its marker


@dataclass(frozen=True)
class _Item:
    """A timeline item with its time parsed; a range has a start and an end, either of which may be open."""

    when: datetime  # the start, or the end of a range open at its start
    label: str
    kind: str
    href: str
    stamp: str  # the date as given
    until: datetime | None = None  # the end of a range
    open_start: bool = False  # a range known only to end at 'when'
    open_end: bool = False  # a range known only to start at 'when'

    @property
    def ranged(self) -> bool:
        return self.until is not None or self.open_start or self.open_end

    def days(self) -> list[date]:
        """The days the item's own dates fall on (an open end reaches _OPEN_DAYS beyond them)."""
        shown = [self.when.date()] + ([self.until.date()] if self.until else [])
        if self.open_end:
            shown.append(self.when.date() + timedelta(days=_OPEN_DAYS))
        if self.open_start:
            shown.append(self.when.date() - timedelta(days=_OPEN_DAYS))
        return shown


@dataclass(frozen=True)
class _Placed:
    """An item with its position: x on the axis and its stacking level on its side."""

    item: _Item
    x: float
    level: int
    shown: str  # the label as drawn (possibly shortened)
    x_end: float | None = None  # where a range's bar ends


def _parse_when(stamp: str) -> datetime:
    """'YYYY-MM-DD' or 'YYYY-MM-DD HH:MM' as a datetime (ValueError otherwise)."""
    for pattern in ("%Y-%m-%d %H:%M", "%Y-%m-%d"):
        try:
            return datetime.strptime(stamp.strip(), pattern)
        except ValueError:
            continue
    raise ValueError(f"not a date 'YYYY-MM-DD' or 'YYYY-MM-DD HH:MM': {stamp!r}")


_OPEN_DAYS = 4  # how far the bar of a range open at one end reaches beyond its known end


def _parse_item(stamp: str, label: str, kind: str, href: str) -> _Item:
    """One item: a date, or a range written as an ISO 8601 interval 'START/END' where either end
    may be left empty ('2025-12-10/': not before; '/2025-11-15': not after)."""
    if kind not in _KINDS:
        raise ValueError(f"kind must be 'article' or 'event', not {kind!r}")
    if "/" not in stamp:
        return _Item(_parse_when(stamp), label, kind, href, stamp.strip())
    start, _, end = (part.strip() for part in stamp.partition("/"))
    if not start and not end:
        raise ValueError(f"a range needs a start or an end: {stamp!r}")
    if start and end:
        first, last = _parse_when(start), _parse_when(end)
        if last < first:
            raise ValueError(f"the range ends before it starts: {stamp!r}")
        return _Item(first, label, kind, href, stamp.strip(), until=last)
    return _Item(_parse_when(start or end), label, kind, href, stamp.strip(), open_start=not start, open_end=not end)


def _parse_items(items: list[tuple[str, str, str, str]]) -> list[_Item]:
    """Items validated and sorted by time, then kind, label and link (a total, stable order)."""
    parsed = [_parse_item(*item) for item in items]
    return sorted(parsed, key=lambda i: (i.when, i.kind, i.label, i.href, i.stamp))


def _tick_step(days: int) -> int:
    """Days between two ticks, so that there are at most about 16 of them."""
    for step in (1, 2, 7, 14, 28, 56, 91, 182, 364):
        if days / step <= 16:
            return step
    return math.ceil(days / 16)


def _day_width(days: int) -> float:
    """Pixels per day: wide for a few days, narrower for a long span."""
    return max(12.0, min(120.0, 840.0 / days))


def _tick_text(day: date, lang: str, with_year: bool) -> str:
    """A tick's date in the page's language: '14 Nov 2025' / '2025年11月14日'."""
    if lang.lower().startswith("en"):
        text = f"{day.day} {_MONTHS_EN[day.month - 1]}"
        return f"{text} {day.year}" if with_year else text
    text = f"{day.month}月{day.day}日"
    return f"{day.year}年{text}" if with_year else text


_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _stack(items: list[_Item], spans: list[tuple[float, float | None]]) -> list[_Placed]:
    """Levels for labels (and ranges' bars) on one side of the axis: each goes on the lowest line where it fits.

    spans: where each item starts, and where a range's bar ends (None for a date)."""
    line_ends: list[float] = []  # the right edge of the last label or bar on each line
    placed = []
    for item, (x, x_end) in sorted(zip(items, spans), key=lambda pair: pair[1][0]):
        shown = _fit(item.label, _ITEM_LABEL_MAX)
        right = max(x + _LABEL_OFFSET + _text_width(shown), x_end or x)
        level = next((n for n, end in enumerate(line_ends) if end + _GAP <= x), len(line_ends))
        if level == len(line_ends):
            line_ends.append(right)
        else:
            line_ends[level] = right
        placed.append(_Placed(item, x, level, shown, x_end))
    return placed


def _place(items: list[_Item], kind: str, first: date, days: int, left: float, day_w: float) -> list[_Placed]:
    """The items of one kind at their times on the axis, stacked so that their labels do not overlap.
    A range's bar runs from its start to its end, and from its known end to the edge of the axis
    where the other end is open."""
    start = datetime.combine(first, datetime.min.time())

    def x_of(when: datetime) -> float:
        return left + (when - start) / timedelta(days=1) * day_w

    spans = []
    chosen = [i for i in items if i.kind == kind]
    for item in chosen:
        if item.open_start:
            spans.append((left, x_of(item.when)))
        elif item.open_end:
            spans.append((x_of(item.when), left + days * day_w))
        else:
            spans.append((x_of(item.when), x_of(item.until) + day_w if item.until else None))
    return _stack(chosen, spans)


def _range_svg(placed: _Placed, bar_y: float) -> str:
    """A range's bar: solid between two known ends, dashed where one end is open."""
    item = placed.item
    open_end = " range-open" if item.open_start or item.open_end else ""
    dashes = ' stroke-dasharray="6 4"' if open_end else ""
    return (f'<line class="range{open_end}" x1="{_num(placed.x)}" y1="{_num(bar_y)}" x2="{_num(placed.x_end or placed.x)}" '
            f'y2="{_num(bar_y)}" stroke="currentColor" stroke-width="4"{dashes}/>')


def _item_svg(placed: _Placed, axis_y: float, label_y: float, leader_from: float) -> str:
    """One item: a marker on the axis, a leader to its label, the label; all linked when it has a href.

    leader_from: where the leader starts (the axis for articles; under the tick labels for
    events, so that it does not cross a date).
    """
    item, x = placed.item, placed.x
    tooltip = f"{item.label} ({item.stamp.replace('/', ' – ')})"
    tail = label_y + (4 if item.kind == "article" else -FONT_SIZE)
    if item.ranged:
        shape = _range_svg(placed, label_y + 3)  # under its label, in the room the descenders leave
    elif item.kind == "article":
        shape = f'<circle class="mark mark-{item.kind}" cx="{_num(x)}" cy="{_num(axis_y)}" r="4"/>'
    else:
        shape = f'<rect class="mark mark-{item.kind}" x="{_num(x - 4)}" y="{_num(axis_y - 4)}" width="8" height="8"/>'
    leader = ""
    ends = [x] if not item.ranged else [*([] if item.open_start else [x]), *([] if item.open_end else [placed.x_end or x])]
    if abs(tail - leader_from) >= 1:  # from the axis to the label, at a date or each known end of a range
        leader = "".join(f'<line class="leader" x1="{_num(end)}" y1="{_num(leader_from)}" x2="{_num(end)}" y2="{_num(tail)}" '
                         f'stroke="currentColor" stroke-opacity="0.4"/>' for end in ends)
    return (_link_open(item.href, "item")
            + f"<g><title>{_escape(tooltip)}</title>"
            + leader
            + shape
            + f'<text class="item-label item-{item.kind}" x="{_num(x + _LABEL_OFFSET)}" y="{_num(label_y)}">'
              f"{_escape(placed.shown)}</text></g>"
            + _link_close(item.href))


def _ticks(first: date, days: int, left: float, day_w: float, axis_y: float, lang: str) -> list[str]:
    """The day ticks and their dates; the first one (and a change of year) shows the year."""
    parts, step, previous_year = [], _tick_step(days), None
    for offset in range(0, days + 1, step):
        day = first + timedelta(days=offset)
        x = left + offset * day_w
        parts.append(f'<line class="tick" x1="{_num(x)}" y1="{_num(axis_y - 4)}" x2="{_num(x)}" '
                     f'y2="{_num(axis_y + 4)}" stroke="currentColor"/>')
        text = _tick_text(day, lang, day.year != previous_year)
        parts.append(f'<text class="tick-label" x="{_num(x)}" y="{_num(axis_y + _TICK_LABEL_GAP + FONT_SIZE)}" '
                     f'text-anchor="middle">{_escape(text)}</text>')
        previous_year = day.year
    return parts


def timeline_svg(title: str, desc: str, items: list[tuple[str, str, str, str]], lang: str, *,
                 chart_id: str = "") -> str:
    """The coverage timeline as an SVG string.

    items: (date 'YYYY-MM-DD' or 'YYYY-MM-DD HH:MM', label, kind 'article' or 'event', href or '').
    An item known only to lie in a range gives it as an ISO 8601 interval, 'START/END', and either
    end may be left open ('2025-12-10/': on or after; '/2025-11-15': on or before); it is drawn as
    a bar from its start to the end of its last day under its label, dashed to the edge of the axis
    on an open side, with a leader from the axis to each known end.
    Articles are drawn above a horizontal time axis, events below it; labels that would overlap
    go on further lines. The axis has a tick per day (fewer for long spans) dated in the page's
    language (lang 'en…' or Chinese). A date alone is placed at the start of its day. The order
    of items does not matter. chart_id: as for matrix_svg. Raises ValueError for a malformed date
    or an unknown kind.
    """
    parsed = _parse_items(items)
    chart_id = chart_id or _chart_id("timeline", title, desc, sorted(items), lang)
    if not parsed:
        return "\n".join([_svg_open(chart_id, "timeline", 2 * _PAD, 2 * _PAD, lang),
                          *_heading(chart_id, title, desc), "</svg>"]) + "\n"
    every_day = [day for item in parsed for day in item.days()]
    first = min(every_day)
    days = max(1, (max(every_day) - first).days + 1)
    day_w = _day_width(days)
    last_tick = first + timedelta(days=days // _tick_step(days) * _tick_step(days))  # as _ticks draws it
    left = _PAD + _text_width(_tick_text(first, lang, True)) / 2  # the first tick label is centred on it
    above, below = (_place(parsed, kind, first, days, left, day_w) for kind in _KINDS)
    lines_above = 1 + max((p.level for p in above), default=-1)
    lines_below = 1 + max((p.level for p in below), default=-1)
    axis_y = _PAD + lines_above * _LINE_H + _PAD
    below_top = axis_y + _TICK_LABEL_GAP + FONT_SIZE + _PAD  # under the tick labels
    height = below_top + lines_below * _LINE_H + _PAD
    right_edges = [left + (last_tick - first).days * day_w + _text_width(_tick_text(last_tick, lang, True)) / 2]
    right_edges += [max(p.x + _LABEL_OFFSET + _text_width(p.shown), p.x_end or p.x) for p in above + below]
    width = max(right_edges) + _PAD
    parts = [_svg_open(chart_id, "timeline", width, height, lang), *_heading(chart_id, title, desc),
             f'<line class="axis" x1="{_num(left)}" y1="{_num(axis_y)}" x2="{_num(left + days * day_w)}" '
             f'y2="{_num(axis_y)}" stroke="currentColor"/>']
    parts.extend(_ticks(first, days, left, day_w, axis_y, lang))
    parts.extend(_item_svg(p, axis_y, axis_y - _PAD - p.level * _LINE_H, axis_y) for p in above)
    parts.extend(_item_svg(p, axis_y, below_top + (p.level + 1) * _LINE_H - 4, below_top - _PAD / 2)
                 for p in below)
    parts.append("</svg>")
    return "\n".join(parts) + "\n"
