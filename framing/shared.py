"""Passages that appear in more than one article: talking points travelling between outlets.

Each article's text is folded to one script (per character: framing/scriptfold.py) with punctuation and white
space removed, so a passage matches across scripts and punctuation styles. Fingerprints are chosen
by winnowing (Schleimer, Wilkerson and Aiken 2003): the smallest hash in every window of W k-grams,
which guarantees that any shared run of at least k + W - 1 folded characters shares a fingerprint.
Paragraph breaks stop a passage. Each fingerprint shared by several articles seeds an exact comparison against the first article
holding it, extended left and right to the longest common run: the work grows with the archive's
size, not with the number of article pairs.
"""

from __future__ import annotations

import bisect
import itertools
import unicodedata
import zlib
from array import array
from dataclasses import dataclass
from typing import Iterator, Sequence

from .anchor import Folded, TextFolder
from .records import Archive, Article, Span


@dataclass(frozen=True)
class FoldedArticle:
    """An article as one folded string (paragraphs joined by BREAK), and how to map it back."""

    slug: str
    text: str
    starts: tuple[int, ...]  # where each paragraph begins in text
    folds: tuple[Folded, ...]  # each paragraph folded by the TextFolder
    kept: tuple[Sequence[int] | None, ...]  # per paragraph: kept indices into its fold, as an array (None: all)


@dataclass(frozen=True)
class Occurrence:
    """Where a shared passage stands in one article."""

    article: str
    spans: tuple[Span, ...]  # one per paragraph the passage runs through


@dataclass(frozen=True)
class SharedPassage:
    """A folded run of text found in several articles."""

    id: str
    folded: str
    occurrences: tuple[Occurrence, ...]
    articles: tuple[str, ...] = ()  # the slugs of the occurrences, in order

    def __post_init__(self) -> None:
        object.__setattr__(self, "articles", tuple(o.article for o in self.occurrences))


BREAK = "\x00"  # between paragraphs: a shared passage never runs across one


def _is_dropped(char: str) -> bool:
    """Punctuation, symbols and white space do not count when comparing passages."""
    category = unicodedata.category(char)
    return category[0] in "PZS" or char.isspace()


def fold_article(article: Article, folder: TextFolder, drop: dict[int, str]) -> FoldedArticle:
    """The article's folded text without punctuation; drop is a translate table built up as needed."""
    pieces, starts, folds, kept = [], [], [], []
    position = 0
    for paragraph in article.paragraphs:
        folded = folder.fold(paragraph)
        for char in set(folded.text):
            if ord(char) not in drop:
                drop[ord(char)] = "\x01" if _is_dropped(char) else char
        marked = folded.text.translate(drop)
        if "\x01" in marked:
            kept.append(array("I", (i for i, c in enumerate(marked) if c != "\x01")))
            marked = marked.replace("\x01", "")
        else:
            kept.append(None)
        starts.append(position)
        folds.append(folded)
        pieces.append(marked)
        position += len(marked) + 1
    return FoldedArticle(article.slug, BREAK.join(pieces), tuple(starts), tuple(folds), tuple(kept))


def fingerprints(text: str, k: int, window: int) -> set[tuple[int, int]]:
    """Winnowed (hash, position) pairs of the k-grams of text."""
    crc, data = zlib.crc32, text.encode("utf-32-le")
    size = 4 * k
    hashes = [crc(data[4 * i:4 * i + size]) for i in range(len(text) - k + 1)]
    if not hashes:
        return set()
    window = min(window, len(hashes))
    chosen = set()
    low = -1  # position of the rightmost minimum of the current window
    for start in range(len(hashes) - window + 1):
        end = start + window - 1
        if low < start:
            block = hashes[start:end + 1]
            smallest = min(block)
            low = end - block[::-1].index(smallest)
        elif hashes[end] <= hashes[low]:
            low = end
        chosen.add((hashes[low], low))
    return chosen


CHUNK = 32


def _common_forward(a: str, i: int, b: str, j: int) -> int:
    """How many characters a[i:] and b[j:] share at their start, stopping at a paragraph break."""
    length = 0
    while True:  # compare whole chunks in C first, then the last partial chunk one character at a time
        x, y = a[i + length:i + length + CHUNK], b[j + length:j + length + CHUNK]
        if len(x) == CHUNK and x == y and BREAK not in x:
            length += CHUNK
            continue
        for p, q in zip(x, y):
            if p != q or p == BREAK:
                break
            length += 1
        return length


def _common_backward(a: str, i: int, b: str, j: int) -> int:
    """How many characters a[:i] and b[:j] share at their end, stopping at a paragraph break."""
    length = 0
    while True:
        x = a[max(0, i - length - CHUNK):i - length]
        y = b[max(0, j - length - CHUNK):j - length]
        if len(x) == len(y) == CHUNK and x == y and BREAK not in x:
            length += CHUNK
            continue
        for p, q in zip(reversed(x), reversed(y)):
            if p != q or p == BREAK:
                break
            length += 1
        return length


def _extend(a: str, i: int, b: str, j: int, k: int) -> tuple[int, int, int]:
    """The longest common run of a and b through a[i:i+k] == b[j:j+k]: (start in a, start in b, length)."""
    left = _common_backward(a, i, b, j)
    right = k + _common_forward(a, i + k, b, j + k)
    return i - left, j - left, left + right


def _spans(article: FoldedArticle, paragraphs: tuple[str, ...], start: int, length: int) -> tuple[Span, ...]:
    """The original span of folded characters start..start+length (a run never crosses a paragraph)."""
    number = bisect.bisect_right(article.starts, start) - 1
    first = start - article.starts[number]
    last = first + length - 1
    kept = article.kept[number]
    if kept is not None:
        first, last = kept[first], kept[last]
    folded, text = article.folds[number], paragraphs[number]
    return (Span(number, folded.original(first, len(text)), folded.original(last, len(text)) + 1),)


def find_shared(archive: Archive, folder: TextFolder, min_length: int = 12) -> tuple[SharedPassage, ...]:
    """Every run of at least min_length folded characters that two or more articles share.

    Ranked by how many articles carry it, then by length; ids are stable for the same content.
    """
    k = max(4, min_length // 2)
    window = max(1, min_length - k + 1)
    drop: dict[int, str] = {}
    folded = [fold_article(a, folder, drop) for a in archive.articles]
    runs: dict[str, dict[int, int]] = {}  # folded text -> {article number: start}
    found: dict[tuple[int, int], list[tuple[int, int, int]]] = {}  # (first, other) -> runs already extended
    for places in _shared_fingerprints(folded, k, window):
        first, first_pos = places[0]
        for number, position in places[1:]:
            if number == first:
                continue
            known = found.setdefault((first, number), [])
            if any(sa <= first_pos < sa + n and first_pos - sa == position - sb for sa, sb, n in known):
                continue  # inside a run this pair already has
            a, b = folded[first].text, folded[number].text
            if a[first_pos:first_pos + k] != b[position:position + k] or BREAK in a[first_pos:first_pos + k]:
                continue  # a hash collision, or a k-gram across a paragraph break
            start_a, start_b, length = _extend(a, first_pos, b, position, k)
            known.append((start_a, start_b, length))
            if length < min_length:
                continue
            text = a[start_a:start_a + length]
            members = runs.setdefault(text, {})
            members.setdefault(first, start_a)
            members.setdefault(number, start_b)
    passages = _merge(runs, folded)
    passages.sort(key=lambda p: (-len(p[1]), -len(p[0]), p[0]))
    return tuple(SharedPassage(f"shared-{n + 1}", text, tuple(Occurrence(folded[m].slug, _spans(folded[m], archive.articles[m].paragraphs, start, len(text)))
                                                         for m, start in sorted(members.items())))
                 for n, (text, members) in enumerate(passages))


class SharedPassageMemo:
    """find_shared for a series of builds over mostly the same articles (the live preview): the
    passages are found again only when the articles' texts, their order or the minimum length changed."""

    def __init__(self) -> None:
        self._key: tuple | None = None
        self._found: tuple[SharedPassage, ...] = ()

    def __call__(self, archive: Archive, folder: TextFolder, min_length: int) -> tuple[SharedPassage, ...]:
        key = (min_length, tuple((article.slug, article.paragraphs) for article in archive.articles))
        if key != self._key:
            self._found, self._key = find_shared(archive, folder, min_length), key
        return self._found


def _shared_fingerprints(folded: list[FoldedArticle], k: int, window: int) -> Iterator[list[tuple[int, int]]]:
    """For each fingerprint that two or more articles hold, in the order of its hash: its (article
    number, position) places, in article then position order.

    Every fingerprint of the archive is packed into one integer (hash, article, position) and the
    list sorted, rather than gathered in a dictionary of lists of tuples: most fingerprints belong
    to one article only, and at 10,000 articles the dictionary was the largest thing a build held."""
    packed = [value << 64 | number << 32 | position
              for number, article in enumerate(folded) for value, position in fingerprints(article.text, k, window)]
    packed.sort()
    for _, group in itertools.groupby(packed, key=lambda entry: entry >> 64):
        places = [(entry >> 32 & 0xFFFFFFFF, entry & 0xFFFFFFFF) for entry in group]
        if len(places) > 1 and places[0][0] != places[-1][0]:
            yield places


def _merge(runs: dict[str, dict[int, int]], folded: list[FoldedArticle]) -> list[tuple[str, dict[int, int]]]:
    """Fold runs contained in a longer run into it, adding the articles where the longer one also occurs."""
    ordered = sorted(runs.items(), key=lambda item: (-len(item[0]), item[0]))
    kept: list[tuple[str, dict[int, int]]] = []
    for text, members in ordered:
        host = next((entry for entry in kept if text in entry[0] and set(members) <= set(entry[1])), None)
        if host is None:
            kept.append((text, dict(members)))
    return kept
