"""The project's exception family and the one place that formats them for people.

Every problem an editor can cause is a ContentError carrying the file, the line (where there is
one), what is wrong and how to fix it. Loaders collect them and raise a ContentErrors bundle so an
editor sees every problem of a build at once rather than one per run.
"""

from __future__ import annotations

import re
from pathlib import Path


class FramingError(Exception):
    """Base class: anything the command line reports as a message instead of a traceback."""


class ContentError(FramingError):
    """One problem in one input file: where (path, line), what is wrong, how to fix it."""

    def __init__(self, path: str, line: int | None, message: str, hint: str = ""):
        self.path = path
        self.line = line
        self.message = message
        self.hint = hint
        super().__init__(path, line, message, hint)

    def __str__(self) -> str:
        return format_problem(self)


class TemplateError(ContentError):
    """A template that does not compile or uses an undefined variable."""


class ContentErrors(FramingError):
    """Several problems found while loading; reported together, sorted by file and line."""

    def __init__(self, problems: list[ContentError]):
        self.problems = sorted(problems, key=lambda p: (p.path, p.line or 0, p.message))
        super().__init__("\n".join(map(format_problem, self.problems)))


class UsageError(FramingError):
    """A command-line argument that cannot be acted on."""


def display_path(path: str | Path, root: Path | None = None) -> str:
    """A path relative to root where possible, with forward slashes."""
    path = Path(path)
    if root is not None:
        try:
            return path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            pass
    return path.as_posix()


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _visible(text: str) -> str:
    """Control characters (from file names or values) as \\xNN, so they cannot drive the terminal."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def format_problem(problem: ContentError) -> str:
    """'content/x.md:12: what is wrong' plus an indented 'fix:' line."""
    where = problem.path if problem.line is None else f"{problem.path}:{problem.line}"
    text = f"{where}: {problem.message}" if where else problem.message
    if problem.hint:
        text += "\n    fix: " + problem.hint.replace("\n", "\n         ")
    return _visible(text)


def problems_of(error: FramingError) -> list[ContentError]:
    """The individual problems inside any FramingError."""
    if isinstance(error, ContentErrors):
        return list(error.problems)
    if isinstance(error, ContentError):
        return [error]
    return [ContentError("", None, str(error))]


def format_error(error: FramingError) -> str:
    """The full report of a failed command: every problem, then a count."""
    problems = problems_of(error)
    lines = [format_problem(p) for p in problems]
    if len(problems) > 1:
        lines.append(f"{len(problems)} problems; nothing was written.")
    return "\n".join(lines)
