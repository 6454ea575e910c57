"""Annotation coverage: which claim-like passages of the articles no annotation covers.

A claim-like passage is a number with a unit (Arabic or Chinese numerals, 万/亿, %, currencies,
counters), a quotation in “…” or 「…」, or a clause with an attribution verb (称, 表示, 说, 直言 …).
A passage is covered when an annotation's span overlaps it. Passages that are out of scope are
listed with a reason in content/coverage-allow.yaml; every entry there must still match a passage.
Articles in other languages than Chinese are read with the English patterns (framing/source/coverage_en.py).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from framing.errors import ContentError, ContentErrors
from framing.source.fields import FieldReader
from framing.source.frontmatter import parse_yaml
from framing.source.records import Archive, Article
from framing.source.textfile import folder_in_place, read_text
from framing.source.coverage_en import english_claim_like
from framing.source.languages import is_chinese

_DIGITS = r"[0-9０-９][0-9０-９.,，．]*"
_HAN_NUMBER = r"[零〇一二两兩三四五六七八九十百千万萬亿億]+"
_SCALE = r"(?:万亿|萬億|亿|億|万|萬|千|百)"
_UNIT = (r"(?:%|％|美元|美金|港元|欧元|元|人民币|块|次|个|款|種|种|家|倍|位|名|项|項|条|條|席|国|國|"
         r"年|个月|個月|月|天|日|周|週|小时|小時|分钟|分鐘|秒|座|台|张|張|篇|期|季度|季|度|B|b)")
NUMBER = re.compile(rf"(?:约|近|超|逾|多达|超过|突破)?(?:(?<![A-Za-z0-9.\-]){_DIGITS}\s*[多余餘]?(?:{_SCALE}[多余餘]?\s*{_UNIT}?|{_UNIT})|{_HAN_NUMBER}[多余餘]?(?:{_SCALE}{_UNIT}?|{_UNIT}))")
QUOTATION = re.compile(r"“[^”]{2,}”|「[^」]{2,}」|『[^』]{2,}』")
ATTRIBUTION = re.compile(r"称赞|夸赞|點讚|点赞|(?<![名号號])[称稱](?![号號为為作])|表示|(?<![来來])[说說](?![明话話停服法])|直言|指出|认为|認為|"
                         r"强调|強調|警告|坦言|宣布|透露|回应|回應|驳斥|駁斥|声称|聲稱")
_CLAUSE_END = re.compile(r"[,，。!！?？;；:：、]")
_TRIVIAL = re.compile(r"[一两兩][个個次款项項场場种種国國家位名条條张張篇座台]")  # "a/an", "both": counters, not claims


@dataclass(frozen=True)
class Passage:
    """One claim-like passage: where it is, what it is, and whether anything covers it."""

    article: str
    paragraph: int
    start: int
    end: int
    kind: str  # number, quotation, attribution
    text: str


def _clause(text: str, position: int) -> tuple[int, int]:
    """The clause around position: from the previous clause mark to the next one."""
    start = position
    while start > 0 and not _CLAUSE_END.match(text[start - 1]):
        start -= 1
    end = position
    while end < len(text) and not _CLAUSE_END.match(text[end]):
        end += 1
    return start, end


def claim_like_passages(article: Article) -> list[Passage]:
    """Every number with a unit, quotation and attribution clause of one article, in text order."""
    found: dict[tuple[int, int, int], Passage] = {}
    if not is_chinese(article.language):
        for number, paragraph in enumerate(article.paragraphs):
            for start, end, kind, text in english_claim_like(paragraph):
                found.setdefault((number, start, end), Passage(article.slug, number, start, end, kind, text))
        return [found[key] for key in sorted(found)]
    for number, paragraph in enumerate(article.paragraphs):
        for match in NUMBER.finditer(paragraph):
            text = match.group().strip()
            if not text or _TRIVIAL.fullmatch(text):
                continue
            found.setdefault((number, match.start(), match.end()), Passage(article.slug, number, match.start(), match.end(), "number", text))
        for match in QUOTATION.finditer(paragraph):
            found.setdefault((number, match.start(), match.end()),
                             Passage(article.slug, number, match.start(), match.end(), "quotation", match.group()))
        for match in ATTRIBUTION.finditer(paragraph):
            start, end = _clause(paragraph, match.start())
            found.setdefault((number, start, end), Passage(article.slug, number, start, end, "attribution", paragraph[start:end]))
    return [found[key] for key in sorted(found)]


@dataclass(frozen=True)
class Allowance:
    """An out-of-scope passage: the article, text that contains the passage, and why."""

    article: str
    text: str
    reason: str
    line: int


def load_allowances(content_dir: Path, root: Path, today: dt.date) -> list[Allowance]:
    path = content_dir / "coverage-allow.yaml"
    shown = path.relative_to(root).as_posix() if path.is_relative_to(root) else path.as_posix()
    if not path.is_file():
        problem = folder_in_place(path, shown, "move it away; EDITING.md shows what coverage-allow.yaml holds")
        if problem:
            raise problem
        return []
    data = parse_yaml(read_text(path, shown), shown)
    problems: list[ContentError] = []
    allowances = []
    if not isinstance(data, dict) or not isinstance(data.get("allow"), list):
        raise ContentError(shown, 1, "coverage-allow.yaml must hold a list under 'allow:'",
                           "write allow: followed by entries with article, text and reason")
    reader = FieldReader(data, shown, problems, today)
    for entry in reader.mappings("allow"):
        allowances.append(Allowance(entry.slug("article"), entry.text("text"), entry.text("reason"), entry.line()))
        entry.finish()
    reader.finish()
    if problems:
        raise ContentErrors(problems)
    return allowances


@dataclass(frozen=True)
class Coverage:
    """The outcome for the whole archive."""

    passages: tuple[Passage, ...]
    covered: frozenset[Passage]
    allowed: dict[Passage, Allowance]
    unused: tuple[Allowance, ...]

    def per_article(self) -> list[tuple[str, int, int, int]]:
        """(slug, passages, covered, allowed) per article."""
        rows: dict[str, list[int]] = {}
        for passage in self.passages:
            row = rows.setdefault(passage.article, [0, 0, 0])
            row[0] += 1
            row[1] += passage in self.covered
            row[2] += passage in self.allowed
        return [(slug, *counts) for slug, counts in rows.items()]

    @property
    def percent(self) -> float:
        return 100.0 * len(self.covered) / len(self.passages) if self.passages else 100.0

    def uncovered(self) -> list[Passage]:
        return [p for p in self.passages if p not in self.covered and p not in self.allowed]


def measure(archive: Archive, allowances: list[Allowance]) -> Coverage:
    """Which passages are covered by annotations, which are allowed out of scope, which remain."""
    spans: dict[tuple[str, int], list[tuple[int, int]]] = {}
    for annotation in archive.annotations:
        spans.setdefault((annotation.article, annotation.span.paragraph), []).append((annotation.span.start, annotation.span.end))
    passages: list[Passage] = []
    covered = set()
    for article in archive.articles:
        for passage in claim_like_passages(article):
            passages.append(passage)
            if any(s < passage.end and passage.start < e for s, e in spans.get((article.slug, passage.paragraph), ())):
                covered.add(passage)
    articles = {a.slug: a for a in archive.articles}
    allowed: dict[Passage, Allowance] = {}
    used: set[Allowance] = set()
    for passage in passages:
        if passage in covered:
            continue
        paragraph = articles[passage.article].paragraphs[passage.paragraph]
        for allowance in allowances:
            if allowance.article != passage.article or allowance.text not in paragraph:
                continue
            at = paragraph.find(allowance.text)
            while at != -1:
                if at <= passage.start and passage.end <= at + len(allowance.text):
                    allowed[passage] = allowance
                    used.add(allowance)
                    break
                at = paragraph.find(allowance.text, at + 1)
            if passage in allowed:
                break
    return Coverage(tuple(passages), frozenset(covered), allowed, tuple(a for a in allowances if a not in used))


def report(coverage: Coverage, allow_path: str) -> str:
    """The text printed by 'check --coverage'."""
    lines = ["coverage of claim-like passages (numbers with units, quotations, attributions):"]
    for slug, total, covered, allowed in coverage.per_article():
        share = 100.0 * covered / total if total else 100.0
        lines.append(f"  {slug}: {covered}/{total} covered ({share:.1f} %), {allowed} out of scope")
    lines.append(f"overall: {len(coverage.covered)}/{len(coverage.passages)} covered ({coverage.percent:.1f} %), "
                 f"{len(coverage.allowed)} out of scope with a reason in {allow_path}")
    uncovered = coverage.uncovered()
    if uncovered:
        lines.append(f"{len(uncovered)} passages are neither annotated nor listed as out of scope:")
        for passage in uncovered:
            lines.append(f"  {passage.article} ¶{passage.paragraph + 1} [{passage.kind}] {passage.text}")
    for allowance in coverage.unused:
        lines.append(f"{allow_path}:{allowance.line}: this entry matches no uncovered passage; remove it")
    return "\n".join(lines)
