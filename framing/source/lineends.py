"""Text saved the Windows way: CR LF line ends, or a UTF-8 byte-order mark at the start.

Git for Windows installs with core.autocrlf=true, so a checkout there has CR LF line ends in every
text file, and some Windows editors still write a byte-order mark. Content files, templates and
the static files are read as the same text with LF line ends and no mark (as_lf, lf_bytes), so such
a checkout builds the same site, byte for byte; line numbers do not move, since each CR LF becomes
one LF. 'check' names the files in a note (windows_saved).

Captures are the exception: they are the verbatim record, hashed byte for byte, and are never
converted. .gitattributes keeps them byte-exact in a checkout; a capture that a checkout converted
all the same is named by converted_capture() with how to check it out again.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

BOM = "\ufeff"
BOM_BYTES = BOM.encode("utf-8")
TEXT_SUFFIXES = frozenset({".md", ".yaml", ".yml", ".html", ".xml", ".txt", ".css", ".js", ".svg", ".json"})


def as_lf(text: str) -> str:
    """The text with LF line ends and without a leading byte-order mark (a lone CR stays)."""
    return text.removeprefix(BOM).replace("\r\n", "\n")


def lf_bytes(data: bytes) -> bytes:
    """as_lf for the bytes of a UTF-8 text file."""
    return data.removeprefix(BOM_BYTES).replace(b"\r\n", b"\n")


def _saved_the_windows_way(path: Path) -> bool:
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError:
        return False  # reported where the file is read for the build
    return data.startswith(BOM_BYTES) or b"\r\n" in data


def windows_saved(content: Path, templates: Path) -> list[str]:
    """The text files of content/ (but its captures) and templates/ with CR LF line ends or a
    byte-order mark, as content/… and templates/… paths, sorted."""
    found = []
    for label, root in (("content", content), ("templates", templates)):
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*")):
            relative = path.relative_to(root)
            if label == "content" and relative.parts[0] == "captures":
                continue
            if path.suffix.lower() in TEXT_SUFFIXES and path.is_file() and _saved_the_windows_way(path):
                found.append(f"{label}/{relative.as_posix()}")
    return found


def windows_note(paths: list[str], shown: int = 5) -> str:
    """The note 'check' prints about these files (none where there are none)."""
    if not paths:
        return ""
    names = ", ".join(paths[:shown]) + (f" and {len(paths) - shown} more" if len(paths) > shown else "")
    files = "file has" if len(paths) == 1 else "files have"
    return (f"note: {len(paths)} {files} Windows (CR LF) line ends or a byte-order mark ({names}); they are read "
            "as LF and build the same site, so nothing needs changing")


def converted_capture(raw: bytes, declared_sha256: str) -> bool:
    """Whether a capture is the one whose SHA-256 was declared with each LF turned into CR LF, as a
    Git checkout with core.autocrlf=true does to a text file."""
    if b"\r\n" not in raw:
        return False
    return hashlib.sha256(raw.replace(b"\r\n", b"\n")).hexdigest() == declared_sha256


def converted_capture_problem(capture: str) -> tuple[str, str]:
    """(what is wrong, how to fix it) for a capture that a checkout converted."""
    return (f"the capture content/captures/{capture} has Windows (CR LF) line ends that a Git checkout added "
            "(core.autocrlf), so its SHA-256 no longer matches: captures are kept byte for byte",
            "check the captures out unconverted: run 'git config core.autocrlf false' (or pull the repository's "
            ".gitattributes, which keeps content/captures/ byte-exact), then 'git checkout -- content/captures/'")
