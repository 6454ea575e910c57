"""Where a project's inputs are: the one record every command starts from (standard library only,
so that a command with nothing to do starts fast)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Project:
    """Where a project's inputs are."""

    root: Path
    content: Path
    templates: Path

    @classmethod
    def at(cls, root: Path, content: Path | None = None, templates: Path | None = None) -> "Project":
        return cls(root, content or root / "content", templates or root / "templates")
