"""Annotating from the preview: the text written into the files, as an editor would write it.

A section is '## id', the '> quote' line, the key lines, a blank line and the commentary (the
grammar of framing/source/annotations.py, documented in EDITING.md). A change to an annotation file
replaces exactly the bytes of one section, or appends one: every other byte of the file stays as it
was, so git shows the change as an ordinary edit and can undo it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from framing.preview.annotate import Context

HEADING = "## "  # a line starting with this starts a section (framing/source/annotations.py)


class TextProblem(ValueError):
    """Something an editor typed that cannot be written into the file as it is, and what to do instead."""


@dataclass(frozen=True)
class Draft:
    """What the panel's form gives for one annotation, before it is written."""

    id: str
    quote: str
    contexts: tuple[Context, ...]  # the 'prefix:' and 'suffix:' lines, if any
    theme: str
    claim: str
    tags: str
    device: str
    entman: str
    frame: str
    commentary: str
    gloss: str
    commentary_en: str


def _line(name: str, value: str) -> str:
    """A one-line value, stripped; a line break in it is refused (it would end the key line)."""
    value = value.strip()
    if "\n" in value or "\r" in value:
        raise TextProblem(f"{name} must be one line; remove the line breaks")
    return value


def _block(name: str, text: str) -> str:
    """A block of markdown with LF line ends and no trailing blank lines; a '## ' line would start a new section."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = [line.rstrip() for line in text.split("\n")]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    for line in lines:
        if line.startswith(HEADING):
            raise TextProblem(f"a line of the {name} starts with '## ', which would begin a new annotation; "
                              "use '### ' for a heading inside a note")
    return "\n".join(lines)


def section_text(draft: Draft) -> str:
    """The Chinese file's section for a draft: heading, quote, key lines, blank line, commentary."""
    keys = [(context.key, context.text) for context in draft.contexts]
    keys += [("theme", draft.theme), ("claim", draft.claim), ("tags", draft.tags), ("device", draft.device),
             ("entman", draft.entman), ("frame", draft.frame)]
    written = [f"{name}: {_line(name, value)}" for name, value in keys if value.strip()]
    quote = _line("the quote", draft.quote)
    commentary = _block("commentary", draft.commentary)
    text = f"{HEADING}{draft.id}\n\n> {quote}\n\n" + "\n".join(written) + "\n"
    return text + (f"\n{commentary}\n" if commentary else "")


def english_section_text(draft: Draft) -> str:
    """The English file's section under the same id: the gloss line and the commentary where given, else the heading alone."""
    gloss = _line("the gloss", draft.gloss)
    commentary = _block("English commentary", draft.commentary_en)
    text = f"{HEADING}{draft.id}\n"
    if gloss:
        text += f"\ngloss: {gloss}\n"
    if commentary:
        text += f"\n{commentary}\n"
    return text


def claim_text(theme: str, label: str) -> str:
    """A new claim's file: its theme and label, no verdict yet ('unverifiable') and no sources, which
    'check' reports until the editor adds them and the context."""
    label = _line("the claim's label", label)
    if not label:
        raise TextProblem("a new claim needs a label: one line saying what is claimed")
    return f"---\ntheme: {theme}\nlabel: {json.dumps(label, ensure_ascii=False)}\nverdict: unverifiable\nsources: []\n---\n"


def english_claim_text(label: str) -> str:
    """A new claim's English file: its label only."""
    return f"---\nlabel: {json.dumps(_line('the English label', label), ensure_ascii=False)}\n---\n"


@dataclass(frozen=True)
class Bounds:
    """Where one section is in a file's text: from its heading to the end of its last non-blank
    line (content_end), and to the next heading or the end of the file (end)."""

    id: str
    start: int
    content_end: int
    end: int


def sections_of(text: str) -> list[Bounds]:
    """The sections of an annotation file's text, in order, headings found as framing/source/annotations.py finds them."""
    lines = text.split("\n")
    offsets, position = [], 0
    for line in lines:
        offsets.append(position)
        position += len(line) + 1
    heads = [i for i, line in enumerate(lines) if line.startswith(HEADING)]
    found = []
    for number, head in enumerate(heads):
        stop = heads[number + 1] if number + 1 < len(heads) else len(lines)
        last = max(i for i in range(head, stop) if lines[i].strip() or i == head)
        content_end = min(offsets[last] + len(lines[last]) + 1, len(text))
        end = offsets[stop] if stop < len(lines) else len(text)
        found.append(Bounds(lines[head][len(HEADING):].strip(), offsets[head], content_end, end))
    return found


def find(text: str, ident: str) -> Bounds | None:
    """The one section with this id, None where there is none; an id given twice is refused."""
    matching = [bounds for bounds in sections_of(text) if bounds.id == ident]
    if len(matching) > 1:
        raise TextProblem(f"the id '{ident}' heads {len(matching)} sections of the file; give each its own id by hand first")
    return matching[0] if matching else None


def appended(text: str, section: str) -> str:
    """The file's text with a section added at the end, after a blank line; a file that ends with a
    blank line still does."""
    if not text.strip():
        return text + section
    if text.endswith("\n\n"):
        return text + section + "\n"
    return text + ("\n" if text.endswith("\n") else "\n\n") + section


def replaced(text: str, bounds: Bounds, section: str) -> str:
    """The file's text with one section's lines replaced (the blank lines after it kept)."""
    after = text[bounds.content_end:]
    if bounds.content_end == len(text) and not text.endswith("\n"):
        section = section.removesuffix("\n")  # the file ended without a line end: so does it still
    return text[:bounds.start] + section + after


def removed(text: str, bounds: Bounds) -> str:
    """The file's text without one section. The last section takes the blank line before it along,
    unless the file ends with a blank line: adding a section and removing it gives the file back."""
    if bounds.end < len(text):
        return text[:bounds.start] + text[bounds.end:]
    kept = text[:bounds.start]
    if kept.endswith("\n\n") and not text.endswith("\n\n"):
        kept = kept[:-1]
    return kept
