"""What search indexes of a page: one record per article or theme for the three editions together.

Each article and theme is one record in one index, read in Simplified script: the Simplified
edition's page (its <main>, without what data-pagefind-ignore marks and without ids, with a
Simplified copy of the few lines it shows in Traditional, such as a source's title), then the
English edition's own text beside it (what is not marked lang="zh-…" on the English page: the
commentary, glosses, claims and labels; its Chinese text is the Simplified page's, already there),
and the titles the other two editions give it, as metadata. The Traditional page adds nothing
else: a query in Traditional script is folded to Simplified on the search page.

Each page gives its part where it is rendered (record_part, from the page's html alone: which
edition it belongs to is its <html lang>), and the indexer joins a record's parts (joined) once
the three have come. The search page of each edition shows a result with its own URL (the edition's
base URL, given to Pagefind), its own title (title, title_hant, title_en) and the excerpt, in
Traditional script on the Traditional page.
"""

from __future__ import annotations

import html as htmlcodec
import re

from framing.site.editions import ScriptConverter

PARTS = ("zh-hans", "en", "zh-hant")  # the editions whose pages make a record, in the order joined
RECORD_LANGUAGE = "zh-hans"  # every record is indexed (and segmented) as Simplified Chinese

_LANG = re.compile(r'<html lang="([^"]+)"')
_MAIN = re.compile(r"<main\b[^>]*>(.*)</main>", re.S)
_H1 = re.compile(r"<h1\b([^>]*)>(.*?)</h1>", re.S)
_H1_LANG = re.compile(r'\blang="([^"]+)"')
_ID = re.compile(r'\s(?:id|aria-labelledby)="[^"]*"')
_TAGS = re.compile(r"<[^>]+>")
_IGNORED = re.compile(r'<([a-z][a-z0-9]*)\b[^>]*\sdata-pagefind-ignore="all"[^>]*>')
_CHINESE = re.compile(r'<([a-z][a-z0-9]*)\b[^>]*\slang="zh-[^"]*"[^>]*>')
_ARCHIVED = re.compile(r'<(p)\b[^>]*\sclass="para"[^>]*>')  # an article's archived paragraph, the same in every edition
_FILTER = re.compile(r'<span data-pagefind-filter="[^"]*"(?: data-v="[^"]*")?></span>')
_RAW_TEXT = re.compile(r"<(?:script|style|textarea|title)\b|<!--", re.I)  # what a line cut out of its page could leave open


def without_elements(html: str, opening: re.Pattern[str]) -> str:
    """html without the elements whose opening tags match opening (its group 1: the tag name),
    whole, however they nest; an element never closed is cut to the end."""
    parts, position = [], 0
    while (found := opening.search(html, position)) is not None:
        parts.append(html[position:found.start()])
        name, depth, cursor = found.group(1), 1, found.end()
        tags = re.compile(rf"<(/?){name}\b[^>]*>")
        while depth and (tag := tags.search(html, cursor)) is not None:
            depth += -1 if tag.group(1) else 1
            cursor = tag.end()
        position = cursor if depth == 0 else len(html)
    parts.append(html[position:])
    return "".join(parts)


def without_ignored(html: str) -> str:
    """html without the elements marked data-pagefind-ignore="all" (Pagefind would skip them, but only
    after parsing them: on a theme page they are most of the bytes)."""
    return without_elements(html, _IGNORED)


def simplified_copy(inner: str, converter: ScriptConverter) -> str:
    """The lines of inner (markup) whose text reads differently in Simplified script, converted; ''
    where none does. The markup is converted in one call: no dictionary entry holds markup
    characters, so the text comes out as if converted node by node (at a quarter of the cost), and
    attributes are read by nobody (Pagefind indexes text and image alt text). A line may open an
    element it does not close, which the copy's own element closes; where one could open raw text
    (a script, a comment) that swallows what follows, the whole is copied."""
    copy = converter.engine("zh-Hans").convert(inner)
    if copy == inner:
        return ""
    lines, converted = inner.split("\n"), copy.split("\n")
    if len(lines) != len(converted) or _RAW_TEXT.search(inner):
        return copy
    # A line whose text reads the same (an English paragraph, whose note numbers' labels are Chinese) is not copied.
    return "\n".join(new for old, new in zip(lines, converted) if new != old and _TAGS.sub("", new) != _TAGS.sub("", old))


def _meta(name: str, value: str) -> str:
    """An empty element giving the record the metadata name=value (the value read from an attribute,
    so that a comma or colon in it is kept)."""
    return f'<span data-pagefind-meta="{name}[data-v]" data-v="{htmlcodec.escape(value)}"></span>'


def _title(inner: str) -> tuple[str, str]:
    """(text, lang attribute or '') of the first <h1> of a page's <main>."""
    heading = _H1.search(inner)
    if not heading:
        return "", ""
    lang = _H1_LANG.search(heading.group(1))
    return htmlcodec.unescape(_TAGS.sub("", heading.group(2))).strip(), lang.group(1) if lang else ""


def record_part(html: str, converter: ScriptConverter) -> str | None:
    """What the page (an article or theme page of any edition) gives its record, as markup; None for
    a page without <html lang> or <main>."""
    lang, main = _LANG.search(html), _MAIN.search(html)
    if not lang or not main:
        return None
    inner = _ID.sub("", without_ignored(main.group(1)))
    title, title_lang = _title(inner)
    code = lang.group(1).lower()
    if code == "zh-hant":
        return _meta("title_hant", title)
    if code == "en":
        # The Chinese text, and the archived text in any language, are the Simplified page's.
        own = _FILTER.sub("", without_elements(without_elements(inner, _CHINESE), _ARCHIVED))
        return f'<div lang="en">{own}</div>' + _meta("title_en", title) + (_meta("title_en_lang", title_lang) if title_lang else "")
    copy = simplified_copy(inner, converter)
    return inner + (f"<div>{copy}</div>" if copy else "")


def joined(parts: dict[str, bytes]) -> bytes:
    """The record Pagefind reads, from the parts of its pages by edition code (PARTS)."""
    missing = [code for code in PARTS if code not in parts]
    if missing:
        raise ValueError(f"a search record needs the pages of every edition: {', '.join(missing)} missing")
    return b"".join([f'<html lang="{RECORD_LANGUAGE}"><head></head><body><main>'.encode("utf-8"),
                     *(parts[code] for code in PARTS), b"</main></body></html>"])
