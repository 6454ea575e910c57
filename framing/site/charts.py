"""Charts drawn at build time as inline SVG strings: the claims-by-articles matrix (and, in timeline.py, the timeline).

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

__all__ = ["matrix_svg"]

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
