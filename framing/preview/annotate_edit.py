"""Annotating from the preview: reading, checking and writing the annotation and claim files.

Every change is checked as 'check' checks it before anything is written (the section is read back
with framing/source/annotations.py and anchored with framing/source/anchor.py), and touches only files inside
content/annotations/ and content/claims/, named by slug: no other path, no symbolic link. Each file
is replaced whole and atomically, keeping its permissions; a change to several files that fails
half-way puts back the ones already written.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path

from framing.source.anchor import TextFolder
from framing.preview.annotate import Anchoring, Context, SelectionError, anchoring, archived_span, id_prefix, propose_id
from framing.preview.annotate_text import (Draft, TextProblem, appended, claim_text, english_claim_text, english_section_text, find,
                            removed, replaced, section_text, sections_of)
from framing.source.annotations import check_section, parse_sections
from framing.errors import ContentError
from framing.source.fields import SLUG_RULE, is_slug
from framing.source.loader import Loader
from framing.source.records import Annotation, Archive, Article, Claim, Markdown, Place
from framing.source.textfile import check_text, read_text


class Rejection(Exception):
    """A request that changes nothing: the HTTP status, and each problem as (what is wrong, how to fix it)."""

    def __init__(self, status: int, problems: list[tuple[str, str]]):
        super().__init__(status, problems)
        self.status = status
        self.problems = problems


def _refused(message: str, hint: str) -> Rejection:
    return Rejection(403, [(message, hint)])


def _invalid(message: str, hint: str = "") -> Rejection:
    return Rejection(400, [(message, hint)])


def confined(folder: Path, name: str, suffix: str) -> Path:
    """content/<folder>/<name><suffix>, refused unless name is a slug and the path is a plain file
    (or nothing yet) directly inside the folder, with no symbolic link on the way."""
    if not is_slug(name):
        raise _refused(f"'{name[:100]}' is not a name the preview writes", f"names are {SLUG_RULE}")
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        raise _refused(f"content/{folder.name}/ is not a plain folder", "the preview writes only into plain folders of content/")
    path = folder / f"{name}{suffix}"
    if path.is_symlink() or (path.exists() and not path.is_file()):
        raise _refused(f"content/{folder.name}/{path.name} is not a plain file", "edit it by hand")
    if path.resolve().parent != folder.resolve():
        raise _refused(f"content/{folder.name}/{path.name} is outside content/{folder.name}/", "edit it by hand")
    return path


def _new_file_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def write_files(changes: dict[Path, bytes]) -> list[Path]:
    """Each file replaced whole, atomically (a temporary file renamed over it) with its permissions
    kept; where one cannot be written, those written before it are put back as they were. The files
    written: those whose bytes change."""
    before = {path: path.read_bytes() if path.exists() else None for path in changes}
    changes = {path: data for path, data in changes.items() if data != before[path]}  # a file with nothing new is left alone
    written: list[Path] = []
    try:
        for path, data in changes.items():
            path.parent.mkdir(exist_ok=True)  # content/annotations/ of an archive that has none yet
            mode = path.stat().st_mode & 0o7777 if path.exists() else _new_file_mode()
            handle = tempfile.NamedTemporaryFile(dir=path.parent, prefix=f".{path.name}-", delete=False)
            try:
                with handle:
                    handle.write(data)
                os.chmod(handle.name, mode)
                os.replace(handle.name, path)
            except BaseException:
                Path(handle.name).unlink(missing_ok=True)
                raise
            written.append(path)
    except OSError as error:
        for path in written:
            if before[path] is None:
                path.unlink(missing_ok=True)
            else:
                path.write_bytes(before[path])
        raise Rejection(500, [(f"cannot write {path.name}: {error.strerror or error}",
                               "check the folder's permissions and free space; nothing was changed")]) from None
    return list(changes)


@dataclass(frozen=True)
class Selection:
    """A passage selected on a page: the article, the paragraph (from 0) as shown, and code-point offsets in it."""

    slug: str
    paragraph: int
    shown: str
    start: int
    end: int


@dataclass(frozen=True)
class NewClaim:
    """A claim to create with the annotation: its labels (the id and theme are the draft's)."""

    label: str
    label_en: str = ""


@dataclass
class Annotator:
    """Reads and changes one project's annotation files for the preview's panel."""

    content: Path
    root: Path
    folder: TextFolder
    written: set[str] = field(default_factory=set)  # ids added since the server started (the archive may not have them yet)

    def __post_init__(self) -> None:
        self.loader = Loader(self.content, self.root, dt.date.today())

    # ------------------------------------------------------------ paths

    def _annotation_path(self, slug: str, english: bool = False) -> Path:
        return confined(self.content / "annotations", slug, ".en.md" if english else ".md")

    def _claim_path(self, claim_id: str, english: bool = False) -> Path:
        return confined(self.content / "claims", claim_id, ".en.md" if english else ".md")

    def _read(self, path: Path) -> str:
        """The file's text ('' where there is none yet), refused where 'check' would refuse it."""
        if not path.exists():
            return ""
        try:
            return read_text(path, self.loader.shown(path))
        except ContentError as error:
            raise _invalid(f"{error.path}: {error.message}", error.hint) from None

    # ------------------------------------------------------------ selecting

    def article(self, archive: Archive, slug: str) -> Article:
        """The article named by slug (a slug, or the request is refused: it names the files to write)."""
        confined(self.content / "annotations", slug, ".md")
        for article in archive.articles:
            if article.slug == slug:
                return article
        raise Rejection(404, [(f"there is no article '{slug[:100]}'", "reload the page")])

    def locate(self, archive: Archive, selection: Selection) -> Anchoring:
        """The quote a selection gives, and how it anchors."""
        article = self.article(archive, selection.slug)
        try:
            span = archived_span(self.folder, article, selection.paragraph, selection.shown, selection.start, selection.end)
            return anchoring(self.folder, article, span)
        except SelectionError as error:
            raise _invalid(str(error)) from None

    def taken_ids(self, archive: Archive, slug: str) -> set[str]:
        """Every id in use: the archive's, this article's files' as they are now, and those added since."""
        taken = {a.id for a in archive.annotations} | self.written
        for english in (False, True):
            taken |= {bounds.id for bounds in sections_of(self._read(self._annotation_path(slug, english)))}
        return taken

    def propose(self, archive: Archive, slug: str, hint: str) -> str:
        """A free id for a new annotation of the article, made of its ids' usual start and the hint."""
        article = self.article(archive, slug)
        ids = [bounds.id for bounds in sections_of(self._read(self._annotation_path(slug)))]
        ids += [a.id for a in archive.annotations if a.article == slug]
        return propose_id(id_prefix(slug, ids), hint, self.taken_ids(archive, article.slug))

    # ------------------------------------------------------------ checking

    def _checked(self, archive: Archive, article: Article, draft: Draft, new_claim: Claim | None) -> Annotation:
        """The annotation the draft's sections make, read back and checked as 'check' does; else a Rejection."""
        if not is_slug(draft.id):
            raise _invalid(f"'{draft.id[:100]}' is not a valid annotation id", f"use {SLUG_RULE}")
        try:
            zh, en = section_text(draft), english_section_text(draft)
        except TextProblem as problem:
            raise _invalid(str(problem)) from None
        shown = f"content/annotations/{article.slug}.md"
        sections, problems = parse_sections(self.loader, zh, shown, False)
        english, problems_en = parse_sections(self.loader, en, shown.replace(".md", ".en.md"), True)
        problems += problems_en
        if not problems and [s.id for s in sections] != [draft.id]:
            raise _invalid("the annotation would not read back as one section", "remove '## ' lines from the text")
        claims = {claim.id: claim for claim in archive.claims}
        if new_claim is not None:
            claims[new_claim.id] = new_claim
        if not problems:
            result = check_section(shown, sections[0], english[0] if english else None, article,
                                   archive.config.themes, claims, self.folder)
            if isinstance(result, Annotation):
                return result
            problems = list(result)
        raise Rejection(400, [(problem.message, problem.hint) for problem in problems])

    def _new_claim(self, archive: Archive, claim_id: str, theme: str) -> Claim:
        """The record a new claim will make (its theme and id checked; its sources are for the editor to add)."""
        if not claim_id:
            raise _invalid("a new claim needs an id", f"give it a short id ({SLUG_RULE}), e.g. alibaba-denial")
        if any(claim.id == claim_id for claim in archive.claims) or self._claim_path(claim_id).exists():
            raise Rejection(409, [(f"there is already a claim '{claim_id}'", "choose it from the list, or give the new claim another id")])
        place = Place(f"content/claims/{claim_id}.md", 1)
        return Claim(claim_id, place, theme, "", "", "unverifiable", (), "", Markdown("", place), None)

    # ------------------------------------------------------------ changing

    def add(self, archive: Archive, selection: Selection, draft: Draft, claim: NewClaim | None = None) -> list[Path]:
        """Append the draft's sections to the article's files (and write its new claim); the files written."""
        article = self.article(archive, selection.slug)
        found = self.locate(archive, selection)
        if not found.anchors:
            raise _invalid("the passage cannot be made to anchor once: it is repeated with what surrounds it",
                           "select a longer passage")
        draft = replace(draft, quote=found.quote, contexts=(found.context,) if found.context else ())
        if draft.id in self.taken_ids(archive, article.slug):
            raise Rejection(409, [(f"the id '{draft.id}' is already used", "choose another id")])
        new_claim = self._new_claim(archive, draft.claim, draft.theme) if claim is not None else None
        annotation = self._checked(archive, article, draft, new_claim)
        if annotation.span != found.span:
            raise _invalid("the quote would anchor to another passage than the one selected", "select the passage again")
        changes: dict[Path, bytes] = {}
        if new_claim is not None and claim is not None:
            try:
                changes[self._claim_path(new_claim.id)] = claim_text(draft.theme, claim.label).encode()
                if claim.label_en.strip():
                    changes[self._claim_path(new_claim.id, True)] = english_claim_text(claim.label_en).encode()
            except TextProblem as problem:
                raise _invalid(str(problem)) from None
        zh_path, en_path = self._annotation_path(article.slug), self._annotation_path(article.slug, True)
        changes[zh_path] = self._checked_file(zh_path, appended(self._read(zh_path), section_text(draft)))
        changes[en_path] = self._checked_file(en_path, appended(self._read(en_path), english_section_text(draft)))
        written = write_files(changes)
        self.written.add(draft.id)
        return written

    def _checked_file(self, path: Path, text: str) -> bytes:
        try:
            check_text(text, self.loader.shown(path))
        except ContentError as error:
            raise _invalid(error.message, error.hint) from None
        return text.encode("utf-8")

    def read(self, slug: str, ident: str) -> Draft:
        """What the files say of one annotation, as the panel's form shows it."""
        path, path_en = self._annotation_path(slug), self._annotation_path(slug, True)
        sections, problems = parse_sections(self.loader, self._read(path), self.loader.shown(path), False)
        section = next((s for s in sections if s.id == ident), None)
        if section is None:
            raise Rejection(404, [(f"there is no annotation '{ident[:100]}' in {self.loader.shown(path)}",
                                   "reload the page: the file has changed")])
        english, _ = parse_sections(self.loader, self._read(path_en), self.loader.shown(path_en), True)
        section_en = next((s for s in english if s.id == ident), None)
        key = lambda name: section.keys.get(name, ("", 0))[0]  # noqa: E731
        contexts = tuple(Context(name, key(name)) for name in ("prefix", "suffix") if key(name))
        return Draft(ident, section.quote, contexts, key("theme"), key("claim"), key("tags"), key("device"),
                     key("entman"), key("frame"), section.commentary.text,
                     section_en.keys.get("gloss", ("", 0))[0] if section_en else "",
                     section_en.commentary.text if section_en else "")

    def edit(self, archive: Archive, slug: str, draft: Draft) -> list[Path]:
        """Replace one annotation's sections with the draft's (its quote, prefix and suffix kept as the file has them)."""
        article = self.article(archive, slug)
        current = self.read(slug, draft.id)
        draft = replace(draft, quote=current.quote, contexts=current.contexts)
        claim_theme = next((claim.theme for claim in archive.claims if claim.id == draft.claim), None)
        if not current.theme and draft.theme == claim_theme:
            draft = replace(draft, theme="")  # the section leaves the theme to its claim, and still does
        self._checked(archive, article, draft, None)
        zh_path, en_path = self._annotation_path(slug), self._annotation_path(slug, True)
        zh, en = self._read(zh_path), self._read(en_path)
        try:
            bounds, bounds_en = find(zh, draft.id), find(en, draft.id)
        except TextProblem as problem:
            raise _invalid(str(problem)) from None
        assert bounds is not None  # read() found it
        changes = {zh_path: self._checked_file(zh_path, replaced(zh, bounds, section_text(draft)))}
        new_en = english_section_text(draft)
        en_text = replaced(en, bounds_en, new_en) if bounds_en else appended(en, new_en)
        if en_text != en:
            changes[en_path] = self._checked_file(en_path, en_text)
        return write_files(changes)

    def delete(self, archive: Archive, slug: str, ident: str) -> list[Path]:
        """Remove one annotation's sections from both files."""
        self.article(archive, slug)
        self.read(slug, ident)  # there is such an annotation
        changes = {}
        for english in (False, True):
            path = self._annotation_path(slug, english)
            text = self._read(path)
            try:
                bounds = find(text, ident)
            except TextProblem as problem:
                raise _invalid(str(problem)) from None
            if bounds is not None:
                changes[path] = removed(text, bounds).encode("utf-8")
        written = write_files(changes)
        self.written.discard(ident)
        return written
