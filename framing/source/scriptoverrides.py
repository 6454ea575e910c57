"""content/script-overrides.yaml: phrases OpenCC converts wrongly into Traditional script, and their right form.

OpenCC converts a text phrase by phrase, taking at each point the longest phrase of its dictionary
that starts there, and some of its phrases are wrong in context: in 美国历史 it finds 国历 (國曆, the
national calendar) and writes 美國曆史 where the text means 美國歷史. Editors list such phrases,
each as its Simplified text and its Traditional form:

    美国历史: 美國歷史

An override may only change characters, never words: its Traditional form must read as its
Simplified text again when converted back (OpenCC t2s, or tw2s for the Taiwan forms), and be written
in the forms the Traditional edition uses (Taiwan's standard characters, OpenCC s2tw). Where a
phrase of the file stands in a text, the Traditional edition shows its form; OpenCC converts the
text around it (PhraseOverrides). Where phrases of the file overlap, the longest one that starts
first is taken.
"""

from __future__ import annotations

import re
from typing import Callable, Iterable

from framing.errors import ContentError
from framing.source.loader import Loader, optional_yaml
from framing.source.records import Place, ScriptOverride
from framing.source.scriptfold import opencc_engine

FILE = "script-overrides.yaml"
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]")
_EXAMPLE = "美国历史: 美國歷史"


def load_script_overrides(loader: Loader, problems: list[ContentError]) -> tuple[ScriptOverride, ...]:
    """The overrides of content/script-overrides.yaml (none where there is no such file), checked."""
    found = optional_yaml(loader, FILE, problems)
    if found is None:
        return ()
    data, shown = found
    if data is None:
        return ()
    if not isinstance(data, dict):
        problems.append(ContentError(shown, getattr(data, "line", 1),
                                     f"{FILE} must be a list of 'Simplified phrase: Traditional form' lines",
                                     f"write one override per line, e.g. {_EXAMPLE}"))
        return ()
    overrides = []
    for phrase, form in data.items():
        problem = override_problem(phrase, form)
        if problem:
            problems.append(ContentError(shown, data.lines[phrase], *problem))
        else:
            overrides.append(ScriptOverride(phrase, form, Place(shown, data.lines[phrase])))
    return tuple(overrides)


def override_problem(phrase: str, form: object) -> tuple[str, str] | None:
    """(what is wrong, how to fix it) with one override, or None where it is right."""
    to_simplified, taiwan = opencc_engine("t2s"), opencc_engine("t2tw")
    if not isinstance(form, str) or not form.strip():
        return (f"the phrase '{phrase}' has no Traditional form",
                f"write the phrase, a colon and its Traditional form, e.g. {_EXAMPLE}")
    if phrase != phrase.strip() or form != form.strip() or any(c.isspace() for c in phrase + form):
        return (f"'{phrase}: {form}' holds spaces or line breaks", "write the phrase and its form without spaces")
    if not _HAN.search(phrase):
        return (f"'{phrase}' holds no Chinese characters", "list Chinese phrases only: OpenCC converts nothing else")
    if to_simplified.convert(phrase) != phrase:
        return (f"'{phrase}' is not Simplified text (OpenCC reads it as {to_simplified.convert(phrase)})",
                "write the phrase as it stands in the Simplified text, then a colon and its Traditional form")
    back = {to_simplified.convert(form), opencc_engine("tw2s").convert(form)}
    if len(form) != len(phrase) or phrase not in back:
        return (f"'{form}' does not read as '{phrase}' converted back to Simplified script (OpenCC gives "
                f"{' or '.join(sorted(back))}): an override may change characters, never words",
                f"write '{phrase}' in Traditional characters, one for each of its characters")
    if taiwan.convert(form) != form:
        return (f"'{form}' is not in the Taiwan standard forms the Traditional edition is written in",
                f"write {taiwan.convert(form)}")
    return None


class PhraseOverrides:
    """The overrides, applied to a text around OpenCC's conversion of the rest of it."""

    def __init__(self, pairs: Iterable[tuple[str, str]] = ()) -> None:
        self.pairs = tuple(sorted(dict(pairs).items()))
        self._forms = dict(self.pairs)
        longest_first = sorted(self._forms, key=lambda phrase: (-len(phrase), phrase))
        self._pattern = re.compile("|".join(map(re.escape, longest_first))) if longest_first else None

    def convert(self, text: str, convert: Callable[[str], str]) -> str:
        """text converted by convert, but for each phrase of the overrides in it, which becomes its
        form: at each point the longest phrase that starts there (re tries the alternatives in order)."""
        if self._pattern is None:
            return convert(text)
        parts, position = [], 0
        for match in self._pattern.finditer(text):
            if match.start() > position:
                parts.append(convert(text[position:match.start()]))
            parts.append(self._forms[match.group()])
            position = match.end()
        if not position:
            return convert(text)
        if position < len(text):
            parts.append(convert(text[position:]))
        return "".join(parts)
