"""content/corrections.yaml: the corrections log, loaded into frozen Correction records, newest first.

    corrections:
      - date: 2026-12-07
        what: 判定由“无法核实”改为“未找到来源依据”。   # what changed (Chinese)
        what_en: The verdict changed from …             # (optional) in English
        why: …                                          # why it changed
        why_en: …
        claim: musk-wan22-images                        # what it concerns: claim, annotation and/or
        annotation: [gc-musk]                           # article, each one id or a list of them
        article: guancha-silent-war

Every id must exist; problems are reported with file and line. The file is optional.
"""

from __future__ import annotations

from dataclasses import replace

from framing.errors import ContentError
from framing.source.fields import FieldReader, suggest
from framing.source.loader import Loader, optional_yaml
from framing.source.records import Annotation, Article, Claim, Correction, Place

FILE = "corrections.yaml"
_TARGETS = (("claim", "claims"), ("annotation", "annotations"), ("article", "articles"))


def load_corrections(loader: Loader, problems: list[ContentError]) -> tuple[Correction, ...]:
    """The log's entries, newest first (entries of one day in the order written); () without the file."""
    found = optional_yaml(loader, FILE, problems)
    if found is None:
        return ()
    data, shown = found
    if data is None or (isinstance(data, dict) and data.get("corrections") is None):
        return ()  # a log with nothing in it yet
    if not isinstance(data, dict) or not isinstance(data.get("corrections"), list):
        problems.append(ContentError(shown, 1, "corrections.yaml must hold a list under 'corrections:'",
                                     "write corrections: followed by entries with date, what, why and the claim, "
                                     "annotation or article concerned"))
        return ()
    fields = FieldReader(data, shown, problems, loader.today)
    read = [entry for entry in (_entry(reader, shown) for reader in fields.mappings("corrections")) if entry]
    fields.finish()
    numbered, per_day = [], {}
    for entry in read:
        per_day[entry.date.iso()] = per_day.get(entry.date.iso(), 0) + 1
        numbered.append(replace(entry, id=f"{entry.date.iso()}-{per_day[entry.date.iso()]}"))
    return tuple(sorted(numbered, key=lambda c: c.date.sort_key(), reverse=True))


def _entry(entry: FieldReader, shown: str) -> Correction | None:
    date = entry.date("date")
    targets = {plural: entry.text_list(singular) for singular, plural in _TARGETS}
    correction = Correction("", Place(shown, entry.line()), date, entry.text("what", single_line=False),  # type: ignore[arg-type]
                            entry.text("why", single_line=False), entry.text("what_en", required=False, single_line=False),
                            entry.text("why_en", required=False, single_line=False), **targets)
    entry.finish()
    if not any(targets.values()):
        entry.error(None, "a correction must say what it concerns",
                    "add 'claim: <id>', 'annotation: <id>' or 'article: <slug>' (one, or a list)")
    return correction if date else None


def check_corrections(corrections: tuple[Correction, ...], claims: dict[str, Claim], annotations: list[Annotation],
                      articles: dict[str, Article], problems: list[ContentError]) -> None:
    """Every claim, annotation and article a correction names exists."""
    known = {"claim": set(claims), "annotation": {a.id for a in annotations}, "article": set(articles)}
    for correction in corrections:
        for singular, plural in _TARGETS:
            for target in getattr(correction, plural):
                if target not in known[singular]:
                    problems.append(ContentError(correction.place.path, correction.place.line,
                                                 f"the correction of {correction.date.iso()} names the {singular} '{target}', "
                                                 f"which does not exist{suggest(target, known[singular])}",
                                                 f"write the id of an existing {singular}"))
