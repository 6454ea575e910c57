"""The timeline, drawn at build time as SVG: articles and events on one time axis, each with its label,
and a publication known only as a range drawn as a bar. Pure.
"""

from __future__ import annotations

from __future__ import annotations
import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from framing.site.charts import FONT_SIZE, _PAD, _chart_id, _escape, _fit, _heading, _link_close, _link_open, _num, _svg_open, _text_width

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
