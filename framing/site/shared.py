"""Passages that appear in more than one article: talking points travelling between outlets.

Each article's text is folded to one script (per character: framing/source/scriptfold.py) with punctuation and white
space removed, so a passage matches across scripts and punctuation styles. Fingerprints are chosen
by winnowing (Schleimer, Wilkerson and Aiken 2003): the smallest hash in every window of W k-grams,
which guarantees that any shared run of at least k + W - 1 folded characters shares a fingerprint.
Paragraph breaks stop a passage.

The guarantee is one common fingerprint, no more: a run of exactly min_length characters holds one
window, so its one fingerprint may also be held by many unrelated contexts, which may come first.
So the places of a fingerprint are not compared with its first holder only: they are sorted into
groups by the min_length characters around the k-gram (at each offset), with a dictionary, so that
any two places sharing a run of min_length or more are in some group together, and places in
unrelated contexts never meet. Within a group, the run common to all is extended with exact string
comparisons, then the subsets that agree on the next character before or after it in turn: every
two articles end with their longest common runs, and each run lists every article carrying it. The
work grows with the archive's size and the number of distinct shared runs, not with the number of
article pairs, and a long passage is extended once, not once per fingerprint it holds.

In a language with spaces between words (English) a passage must start and end at word boundaries
in every article that carries it, and needs SPACED_FACTOR times as many letters as a Chinese one needs
characters: each run found is cut back at either end to the nearest word boundaries (_whole_word_runs)
before runs held in longer ones are merged.
"""

from __future__ import annotations

import bisect
import itertools
import unicodedata
import zlib
from array import array
from dataclasses import dataclass
from typing import Iterator, Sequence

from framing.source.anchor import Folded, TextFolder
from framing.source.records import Archive, Article, Span
from framing.source.languages import is_spaced
from framing.source.latin import at_word_boundaries


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
    k = min(min_length, max(4, min_length // 2))
    window = min_length - k + 1
    drop: dict[int, str] = {}
    folded = [fold_article(a, folder, drop) for a in archive.articles]
    finder = _RunFinder([article.text for article in folded], k)
    for places in _shared_fingerprints(folded, k, window):
        for group in _window_groups(places, finder.texts, k, min_length):
            finder.take(group)
    passages = _merge(_whole_word_runs(finder.runs, archive, folded, min_length), folded)
    passages.sort(key=lambda p: (-len(p[1]), -len(p[0]), p[0]))
    return tuple(SharedPassage(f"shared-{n + 1}", text, tuple(Occurrence(folded[m].slug, _spans(folded[m], archive.articles[m].paragraphs, start, len(text)))
                                                         for m, start in sorted(members.items())))
                 for n, (text, members) in enumerate(passages))


Place = tuple[int, int]  # (article number, position of a k-gram in its folded text)


def _window_groups(places: list[Place], texts: list[str], k: int, min_length: int) -> Iterator[list[Place]]:
    """The places of one fingerprint in groups, each group's places holding one window of min_length
    characters around the k-gram at the same offset, in article then position order.

    Two places whose texts share a run of min_length or more through the k-gram hold such a window
    at some offset: so they are in a group together, however many other contexts the k-gram has.
    Places with the same context (the k-gram and min_length - k characters either side) are sorted
    into one class first, and the windows read from one place per class, so that a passage copied
    into many articles costs one dictionary entry per copy. Groups within one article are left out.
    """
    span = min_length - k
    classes: dict[tuple[int, str], list[Place]] = {}
    for number, position in places:
        start = max(0, position - span)
        context = texts[number][start:position + k + span]
        classes.setdefault((position - start, context), []).append((number, position))
    keyed: dict[tuple[int, str], list[int]] = {}
    for index, (offset, context) in enumerate(classes):
        for shift in range(offset + 1):  # offset is span, or less at the start of the text
            piece = context[offset - shift:offset - shift + min_length]
            if len(piece) == min_length and BREAK not in piece:
                keyed.setdefault((shift, piece), []).append(index)
    members = list(classes.values())
    seen: set[tuple[int, ...]] = set()
    for indices in keyed.values():
        if tuple(indices) in seen:
            continue
        seen.add(tuple(indices))
        group = members[indices[0]]
        if len(indices) > 1:
            group = sorted(itertools.chain.from_iterable(members[i] for i in indices))
        if group[0][0] != group[-1][0]:
            yield group


class _RunFinder:
    """The runs shared by groups of places, each recorded with every article of the group that carries it.

    A group's places all share a common run through their k-gram: the run that the first place shares
    with every other place, extended as far as all of them agree. Places that agree on the character
    just before that run, or just after it, share a longer run: each such subset is taken in turn, so
    that every two places end with their longest common run recorded, and every recorded run lists
    all the places of the group that carry it. A long passage holds many fingerprints whose groups
    are the same places moved along the text: a group is skipped when its first k-gram lies inside a
    run already taken for the same places, so each passage is extended once, not once per fingerprint.
    """

    def __init__(self, texts: list[str], k: int) -> None:
        self.texts, self.k = texts, k
        self.runs: dict[str, dict[int, int]] = {}  # folded text -> {article number: start}
        # a group's places, as positions relative to its first place -> the runs taken in the first place's text
        self._taken: dict[tuple[Place, ...], list[tuple[int, int]]] = {}

    def take(self, group: list[Place]) -> None:
        first = group[0][1]
        taken = self._taken.setdefault(tuple((number, position - first) for number, position in group), [])
        if any(start <= first and first + self.k <= end for start, end in taken):
            return
        pending, seen = [group], {tuple(group)}
        while pending:
            members = pending.pop()
            left, length = self._common(members)
            if members is group:
                taken.append((first - left, first - left + length))
            self._record(members, left, length)
            for subset in self._subsets(members, left, length):
                if tuple(subset) not in seen:
                    seen.add(tuple(subset))
                    pending.append(subset)

    def _common(self, members: list[Place]) -> tuple[int, int]:
        """How far before its k-gram the run common to all members begins, and its length."""
        number, position = members[0]
        text, k = self.texts[number], self.k
        left = right = len(text)
        for other, at in members[1:]:
            left = min(left, _common_backward(text, position, self.texts[other], at))
            right = min(right, _common_forward(text, position + k, self.texts[other], at + k))
        return left, left + k + right

    def _record(self, members: list[Place], left: int, length: int) -> None:
        number, position = members[0]
        start = position - left
        carriers = self.runs.setdefault(self.texts[number][start:start + length], {})
        for carrier, at in members:
            carriers.setdefault(carrier, at - left)

    def _subsets(self, members: list[Place], left: int, length: int) -> Iterator[list[Place]]:
        """The members that agree on the character before the common run, or on the one after it."""
        for before in (True, False):
            by_character: dict[str, list[Place]] = {}
            for number, position in members:
                text = self.texts[number]
                at = position - left - 1 if before else position - left + length
                if 0 <= at < len(text) and text[at] != BREAK:
                    by_character.setdefault(text[at], []).append((number, position))
            yield from (subset for subset in by_character.values() if subset[0][0] != subset[-1][0])


SPACED_FACTOR = 4  # in a language with spaces between words a passage needs this many times min_length letters


def _whole_word_runs(runs: dict[str, dict[int, int]], archive: Archive, folded: list[FoldedArticle],
                     min_length: int) -> dict[str, dict[int, int]]:
    """The runs ({text: {article number: start}}) with those carried by an article in a spaced
    language (English) cut back, at either end, to the longest run that starts and ends at word
    boundaries in every such carrier, and kept if SPACED_FACTOR * min_length long. An article in
    another language is listed beside them where the cut run does not start or end inside one of
    its words either; two or more such articles keep the uncut run among themselves too."""
    kept: dict[str, dict[int, int]] = {}

    def add(text: str, members: dict[int, int]) -> None:
        carriers = kept.setdefault(text, {})
        for number, start in members.items():
            carriers.setdefault(number, start)

    for text, members in runs.items():
        spaced = {n: s for n, s in members.items() if is_spaced(archive.articles[n].language)}
        plain = {n: s for n, s in members.items() if n not in spaced}
        if len(plain) >= 2:
            add(text, plain)
        if not spaced:
            continue
        head, tail = _word_bounds(archive, folded, spaced, len(text))
        if tail - head < min_length * SPACED_FACTOR:
            continue
        carriers = {n: s + head for n, s in spaced.items()}
        carriers.update((n, s + head) for n, s in plain.items()
                        if _word_bounds(archive, folded, {n: s + head}, tail - head) == (0, tail - head))
        if len(carriers) >= 2:
            add(text[head:tail], carriers)
    return kept


def _word_bounds(archive: Archive, folded: list[FoldedArticle], places: dict[int, int], length: int) -> tuple[int, int]:
    """The first and past-the-last folded offsets of the longest part of a run that starts and ends at
    word boundaries in every place ({article number: start of the run})."""
    head, tail = 0, length
    while head < tail and any(_cuts_word(folded[n], archive.articles[n].paragraphs, s + head, True)
                              for n, s in places.items()):
        head += 1
    while tail > head and any(_cuts_word(folded[n], archive.articles[n].paragraphs, s + tail - 1, False)
                              for n, s in places.items()):
        tail -= 1
    return head, tail


def _cuts_word(article: FoldedArticle, paragraphs: tuple[str, ...], position: int, at_start: bool) -> bool:
    """Whether a run starting (at_start) or ending at folded position begins or ends inside a word."""
    span = _spans(article, paragraphs, position, 1)[0]
    text = paragraphs[span.paragraph]
    if at_start:
        return not at_word_boundaries(text, span.start, len(text))
    return not at_word_boundaries(text, 0, span.end)


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
