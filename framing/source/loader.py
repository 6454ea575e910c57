"""What every loading function shares: the Loader (where content is, how to show paths, today's
date, the markdown renderer), file listing with its checks, slugs, and the <slug>.md / <slug>.en.md
pairs that themes, claims, pages and annotations are written in."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Hashable, Protocol, Sequence, TypeVar

from framing.errors import ContentError
from framing.source.fields import SLUG_RULE, FieldReader, is_slug
from framing.source.frontmatter import LocatedDict, parse_yaml, split_front_matter
from framing.source.records import Markdown, Place
from framing.source.markdown import MarkdownRenderer
from framing.source.textfile import folder_in_place, read_text

T = TypeVar("T")

CONTENT_DIRS = ("articles", "annotations", "themes", "claims", "captures", "pages")


class Memo(Protocol):
    """What files gave when they were last read, kept by a later stage (the preview's memory, the
    build's store): get() gives compute()'s earlier result while the files at paths and the inputs
    are unchanged."""

    def get(self, key: Hashable, paths: Sequence[Path], inputs: Hashable, compute: Callable[[], T],
            lasting: bool = True) -> T: ...


@dataclass(frozen=True)
class Loader:
    """What every loading function needs: where content is, how to show paths, today's date, and
    what the files gave when they were last read (the live preview's memo, or the build cache's)."""

    content_dir: Path
    root: Path
    today: dt.date
    renderer: MarkdownRenderer = field(default_factory=MarkdownRenderer, compare=False)
    memo: Memo | None = field(default=None, compare=False)

    def markdown(self, text: str, place: Place) -> Markdown:
        """A Markdown record, rendered and sanitised once here for every later use."""
        return Markdown(text, place, self.renderer.html(text))

    def front_matter(self, path: Path, shown: str) -> tuple[LocatedDict, str, int]:
        """The file's checked text split into front matter, body and the body's first line (read
        again only when the file changed, with a memo; nothing changes the parsed fields)."""
        if self.memo is None:
            return split_front_matter(read_text(path, shown), shown)
        return self.memo.get(("front matter", path), [path], shown, lambda: split_front_matter(read_text(path, shown), shown),
                             lasting=False)

    def remembered(self, key: tuple, paths: list[Path], inputs: tuple, compute: Callable[[], T]) -> T:
        """compute(), or (with a memo) its earlier result while the files at paths and the inputs are unchanged."""
        return compute() if self.memo is None else self.memo.get(key, paths, inputs, compute)

    def shown(self, path: Path) -> str:
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()

    def files(self, folder: str, problems: list[ContentError]) -> list[Path]:
        """The .md files of one content folder, sorted; strays and outward symlinks are errors."""
        directory = self.content_dir / folder
        if not directory.is_dir():
            # Stop here, where it is there but not a folder: every file that refers to what it should
            # hold would be reported too.
            why = link_problem(directory, self.content_dir.resolve()) if directory.is_symlink() else ""
            if why:
                raise ContentError(self.shown(directory), None, f"the folder {why}",
                                   "copy the folder into content/ instead of linking to it")
            if directory.exists():
                raise ContentError(self.shown(directory), None, f"content/{folder} is a file, not a folder",
                                   f"move the file away; content/{folder}/ is a folder of files")
            return []
        found = []
        inside = self.content_dir.resolve()
        why = link_problem(directory, inside)
        if why:
            problems.append(ContentError(self.shown(directory), None, f"the folder {why}",
                                         "copy the folder into content/ instead of linking to it"))
            return []
        shown_folder = self.shown(directory)
        with os.scandir(directory) as listing:
            entries = sorted(listing, key=lambda entry: entry.name)
        for entry in entries:
            if entry.name.startswith(".") or entry.name.endswith("~"):
                continue
            path = directory / entry.name
            shown = f"{shown_folder}/{entry.name}"
            # The folder is inside content/, so only a link can lead out of it (resolving every
            # path took a third of a preview rebuild at 1,000 articles).
            why = link_problem(path, inside) if entry.is_symlink() else ""
            if why:
                problems.append(ContentError(shown, None, f"the {'folder' if path.is_dir() else 'file'} {why}",
                                             "copy the file into content/ instead of linking to it"))
                continue
            if folder == "captures":
                found.append(path)
                continue
            if path.suffix != ".md" or not entry.is_file():
                problems.append(ContentError(shown, None, f"unexpected {'folder' if path.is_dir() else 'file'} in content/{folder}/",
                                             "content files here end in .md; move or delete this one"))
                continue
            found.append(path)
        return found


def link_problem(path: Path, inside: Path) -> str:
    """'' when path stays inside content/; else what is wrong with the symbolic link it is or passes through."""
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError):  # broken, or a loop
        return "is a symbolic link that cannot be followed (its target is missing, or it loops)" if path.is_symlink() else ""
    return "" if target.is_relative_to(inside) else "is a symbolic link that points outside content/"


def stem_and_language(path: Path) -> tuple[str, str]:
    """'x.en.md' -> ('x', 'en'); 'x.md' -> ('x', 'zh')."""
    stem = path.name[:-3]
    if stem.endswith(".en"):
        return stem[:-3], "en"
    return stem, "zh"


def check_slug(slug: str, shown: str, what: str, problems: list[ContentError]) -> bool:
    if is_slug(slug):
        return True
    problems.append(ContentError(shown, None, f"'{slug}' is not a valid {what} name",
                                 f"rename the file with {SLUG_RULE}, e.g. guancha-silent-war.md"))
    return False


def read_markdown_record(loader: Loader, path: Path, problems: list[ContentError]):
    shown = loader.shown(path)
    try:
        data, body, body_line = loader.front_matter(path, shown)
    except ContentError as exc:
        problems.append(exc)
        return None
    return shown, FieldReader(data, shown, problems, loader.today), loader.markdown(body.strip("\n"), Place(shown, body_line))


def pairs_of(loader: Loader, folder: str, what: str, problems: list[ContentError]) -> dict[str, dict[str, Path]]:
    """slug -> {'zh': path, 'en': path} for a folder of <slug>.md / <slug>.en.md files."""
    pairs: dict[str, dict[str, Path]] = {}
    for path in loader.files(folder, problems):
        slug, language = stem_and_language(path)
        if check_slug(slug, loader.shown(path), what, problems):
            pairs.setdefault(slug, {})[language] = path
    for slug, files in pairs.items():
        if "zh" not in files:
            problems.append(ContentError(loader.shown(files["en"]), None, f"there is no content/{folder}/{slug}.md for this English file",
                                         f"create content/{folder}/{slug}.md, or rename this file to match it"))
    return {slug: files for slug, files in pairs.items() if "zh" in files}


def titled_markdown(loader: Loader, files: dict[str, Path], problems: list[ContentError]):
    """A <slug>.md with only 'title:' and its <slug>.en.md: (place, title, title_en, body, body_en)."""
    read = read_markdown_record(loader, files["zh"], problems)
    if read is None:
        return None
    shown, fields, body = read
    title = fields.text("title")
    fields.finish()
    title_en, body_en = "", None
    if "en" in files:
        read_en = read_markdown_record(loader, files["en"], problems)
        if read_en:
            _, fields_en, body_en = read_en
            title_en = fields_en.text("title")
            fields_en.finish()
    return Place(shown, 1), title, title_en, body, body_en


def optional_yaml(loader: Loader, name: str, problems: list[ContentError]) -> tuple[object, str] | None:
    """content/<name> parsed, with the path messages show; None where there is no such file (a folder
    in its place is a problem) or where it does not parse (the problem is reported)."""
    path = loader.content_dir / name
    shown = loader.shown(path)
    if not path.is_file():
        problem = folder_in_place(path, shown, f"move it away; EDITING.md shows what {name} holds")
        if problem:
            problems.append(problem)
        return None
    try:
        return parse_yaml(read_text(path, shown), shown), shown
    except ContentError as exc:
        problems.append(exc)
        return None
