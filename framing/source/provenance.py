"""The dates of provenance, read and checked against each other: when a capture was made, the bounds
of an unknown publication date, and when a source was read.

Each date is optional, as the others of the archive are: an unknown date is left out, never guessed.
"""

from __future__ import annotations

from dataclasses import dataclass

from framing.source.fields import FieldReader
from framing.source.records import PartialDate


def earliest(date: PartialDate) -> tuple[int, int, int]:
    """The first day a partial date can mean."""
    return (date.year, date.month or 1, date.day or 1)


def latest(date: PartialDate) -> tuple[int, int, int]:
    """The last day a partial date can mean (a month's last day taken as the 31st: only for comparing)."""
    return (date.year, date.month or 12, date.day or 31)


def surely_before(first: PartialDate, second: PartialDate) -> bool:
    """Whether first ends before second begins, however their unknown parts are filled in."""
    return latest(first) < earliest(second)


@dataclass(frozen=True)
class ArticleDates:
    """An article's dates beside 'published': its capture's, and the bounds of an unknown publication."""

    captured: PartialDate | None
    published_after: PartialDate | None
    published_before: PartialDate | None


def read_article_dates(fields: FieldReader, published: PartialDate | None) -> ArticleDates:
    """captured, published_after and published_before, each checked against published and each other."""
    captured = fields.date("captured", required=False)
    after = fields.date("published_after", required=False)
    before = fields.date("published_before", required=False)
    if published and (after or before):
        key = "published_after" if after else "published_before"
        fields.error(key, f"'{key}' is for an article whose publication date is unknown, and 'published' is given",
                     f"keep 'published' and remove '{key}', or remove 'published' if the date is not certain")
    if after and before and surely_before(before, after):
        fields.error("published_before", f"published_before ({before.iso()}) is earlier than published_after ({after.iso()})",
                     "swap the two dates, or correct the one that is wrong")
    if captured:
        first = published or after
        if first and surely_before(captured, first):
            key = "published" if published else "published_after"
            fields.error("captured", f"the capture ({captured.iso()}) is earlier than the publication ({key}: {first.iso()})",
                         "'captured' is the date the capture file was made: correct it, or the publication date")
    return ArticleDates(captured, after, before)


def read_accessed(entry: FieldReader, published: PartialDate | None) -> PartialDate | None:
    """A source's 'accessed' date: when it was read, which cannot be before the source's own date."""
    accessed = entry.date("accessed", required=False)
    if accessed and published and surely_before(accessed, published):
        entry.error("accessed", f"accessed ({accessed.iso()}) is earlier than the source's date ({published.iso()})",
                    "'accessed' is the day an editor read the page: correct it, or the source's date")
    return accessed
