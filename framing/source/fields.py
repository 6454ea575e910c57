"""Typed reading of YAML fields with every problem collected, located and explained.

A FieldReader wraps one mapping from a content file. Each accessor returns a clean value or records
a ContentError (missing, wrong type, impossible date …) and returns a neutral value, so that one pass
over a file reports all of its problems. Unknown keys get a 'did you mean' suggestion.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Iterable

from framing.errors import ContentError
from framing.source.frontmatter import LocatedDict
from framing.source.records import PartialDate

SLUG_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
SLUG_MAX = 80  # characters: a slug names a file and a folder (at most 255 bytes each) and shows in URLs
SLUG_RULE = f"lower-case ASCII letters, digits and single hyphens, at most {SLUG_MAX} characters"
RESERVED_ARTICLE_SLUGS = ("page",)  # articles/page/N/ are the pages of the article list
_DATE_PATTERN = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?)?)?")
_URL_PATTERN = re.compile(r"https?://[^\s<>\"']+")


def is_slug(text: str) -> bool:
    """Whether text is a slug: SLUG_RULE."""
    return len(text) <= SLUG_MAX and SLUG_PATTERN.fullmatch(text) is not None


def suggest(word: str, choices: Iterable[str]) -> str:
    """' (did you mean x?)' or ''."""
    import difflib  # only for an error's message: a build never needs it

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def parse_date(text: str, today: dt.date) -> tuple[PartialDate | None, str]:
    """A PartialDate, or None and the reason it is not one."""
    match = _DATE_PATTERN.fullmatch(text.strip())
    if not match:
        return None, f"'{text}' is not a date"
    year, month, day, hour, minute, second = match.groups()
    try:
        if int(year) < 1:
            raise ValueError("there is no year 0")
        if day:
            dt.date(int(year), int(month), int(day))
        elif month and not 1 <= int(month) <= 12:
            raise ValueError("month must be in 1..12")
        if hour and (int(hour) > 23 or int(minute) > 59 or (second and int(second) > 59)):
            raise ValueError("the time is impossible")
    except ValueError as exc:
        return None, f"'{text}' is an impossible date ({exc})"
    date = PartialDate(int(year), int(month) if month else None, int(day) if day else None,
                       f"{hour}:{minute}" + (f":{second}" if second else "") if hour else None)
    earliest = (date.year, date.month or 1, date.day or 1)
    if earliest > (today.year, today.month, today.day):
        return None, f"'{text}' is in the future"
    return date, ""


class FieldReader:
    """Read fields of one YAML mapping; problems go into the shared list."""

    def __init__(self, data: LocatedDict, shown: str, problems: list[ContentError], today: dt.date):
        self.data, self.shown, self.problems, self.today = data, shown, problems, today
        self.known: set[str] = set()

    def line(self, key: str | None = None) -> int:
        if key is not None and key in self.data.lines:
            return self.data.lines[key]
        return self.data.line

    def error(self, key: str | None, message: str, hint: str) -> None:
        self.problems.append(ContentError(self.shown, self.line(key), message, hint))

    def _get(self, key: str, required: bool, kind: str) -> Any:
        self.known.add(key)
        value = self.data.get(key)
        if value is None or value == "":
            if required:
                self.error(None, f"the required field '{key}' is missing or empty", f"add '{key}: …' ({kind})")
            return None
        return value

    def text(self, key: str, required: bool = True, single_line: bool = True) -> str:
        value = self._get(key, required, "text")
        if value is None:
            return ""
        if isinstance(value, bool):
            self.error(key, f"'{key}' is read as a true/false value (YAML turns words like yes, no, true and off into booleans)",
                       f"put the value in quotes: {key}: \"…\"")
            return ""
        if isinstance(value, (int, float)):
            value = str(value)
        if not isinstance(value, str):
            kind = "a list" if isinstance(value, list) else "a set of fields" if isinstance(value, dict) else type(value).__name__
            self.error(key, f"'{key}' must be text, not {kind}", f"write '{key}: some text' (in quotes if it holds [ ] {{ }} or ': ')")
            return ""
        value = value.strip()
        if single_line and "\n" in value:
            self.error(key, f"'{key}' must be a single line", "join the lines")
        return value

    def choice(self, key: str, choices: Iterable[str], required: bool = True) -> str:
        choices = tuple(choices)
        value = self.text(key, required)
        if value and value not in choices:
            self.error(key, f"'{value}' is not a valid {key}{suggest(value, choices)}",
                       f"use one of: {', '.join(choices)}")
            return ""
        return value

    def slug(self, key: str, required: bool = True) -> str:
        value = self.text(key, required)
        if value and not is_slug(value):
            self.error(key, f"'{value}' is not a valid {key}", f"use {SLUG_RULE}")
            return ""
        return value

    def url(self, key: str, required: bool = True) -> str:
        value = self.text(key, required)
        if value and not _URL_PATTERN.fullmatch(value):
            self.error(key, f"'{value}' is not an http(s) URL", "write the full address, starting with https://")
            return ""
        return value

    def date(self, key: str, required: bool = True) -> PartialDate | None:
        value = self._get(key, required, "a date such as 2025-11-17")
        if value is None:
            return None
        date, why = parse_date(str(value), self.today)
        if date is None:
            self.error(key, f"{key}: {why}", "write YYYY-MM-DD (or YYYY-MM, YYYY, or 'YYYY-MM-DD HH:MM')")
        return date

    def text_list(self, key: str) -> tuple[str, ...]:
        value = self._get(key, False, "a list")
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, (str, int)) for v in value):
            self.error(key, f"'{key}' must be a list of text", f"write '{key}: [one, two]'")
            return ()
        return tuple(str(v).strip() for v in value if str(v).strip())

    def mappings(self, key: str) -> list["FieldReader"]:
        value = self._get(key, False, "a list")
        if value is None:
            return []
        if not isinstance(value, list):
            self.error(key, f"'{key}' must be a list of entries", "write each entry on a line starting with '- '")
            return []
        readers = []
        for item, line in zip(value, value.lines):
            if not isinstance(item, dict):
                self.problems.append(ContentError(self.shown, line, f"each entry of '{key}' must be a set of fields",
                                                  "write 'key: value' fields under the '- '"))
                continue
            readers.append(FieldReader(item, self.shown, self.problems, self.today))
        return readers

    def finish(self, allowed: Iterable[str] = ()) -> None:
        """Report keys nobody asked for: a typo would otherwise be silently ignored."""
        known = self.known | set(allowed)
        for key in self.data:
            if key not in known:
                self.error(key, f"unknown field '{key}'{suggest(key, known)}",
                           f"remove it, or use one of: {', '.join(sorted(known))}")
