"""Chinese words inside English text, marked with their language (WCAG 2.2, 3.1.2 Language of Parts).

English notes and commentary quote Chinese: a page name such as 相关内容, a phrase such as 千问恐慌.
Each run of Han characters (with the Chinese punctuation inside it) is wrapped in <span lang="zh-Hans">,
so that a screen reader reads it with a Chinese voice and the English edition's check (framing/
englishcheck.py) knows it is a quotation. Editors write Chinese in Simplified script (as for the
commentary), hence the tag. Nothing here does I/O.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_MARKS = "\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\u201c\u201d\u2018\u2019\u00b7"
# a run starts and ends with a Han character; Chinese punctuation and marks may join two runs
_RUN = re.compile(rf"[{_HAN}](?:[{_HAN}{_CJK_MARKS}]*[{_HAN}])?")
_TAG = re.compile(r"(<[^>]*>)")
QUOTED_LANG = "zh-Hans"


def mark_text(text: str) -> Markup:
    """Plain text, escaped, with each Han run in <span lang="zh-Hans">."""
    out, position = [], 0
    for match in _RUN.finditer(text):
        out.append(str(escape(text[position:match.start()])))
        out.append(f'<span lang="{QUOTED_LANG}">{escape(match.group())}</span>')
        position = match.end()
    out.append(str(escape(text[position:])))
    return Markup("".join(out))


def mark_html(html: str) -> Markup:
    """An HTML fragment with each Han run of its text in <span lang="zh-Hans">, unless the element around it
    already carries a lang attribute (the run is then left as it is: its language is known)."""
    if not _RUN.search(html):
        return Markup(html)
    out: list[str] = []
    open_langs: list[bool] = []  # per open element: whether it (or one outside it) has a lang
    for part in _TAG.split(html):
        if part.startswith("<"):
            out.append(part)
            _follow(part, open_langs)
        elif part and not (open_langs and open_langs[-1]):
            out.append(_RUN.sub(lambda m: f'<span lang="{QUOTED_LANG}">{m.group()}</span>', part))
        else:
            out.append(part)
    return Markup("".join(out))


_VOID = {"br", "hr", "img", "input", "meta", "link", "wbr", "source", "area", "col", "embed", "track", "base", "param"}
_NAME = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)")


def _follow(tag: str, open_langs: list[bool]) -> None:
    """Keep track of which open elements sit inside one with a lang attribute."""
    name = _NAME.match(tag)
    if not name or tag.startswith("<!"):
        return
    if tag.startswith("</"):
        if open_langs:
            open_langs.pop()
        return
    if name.group(1).lower() in _VOID or tag.endswith("/>"):
        return
    inherited = bool(open_langs and open_langs[-1])
    open_langs.append(inherited or " lang=" in tag)
