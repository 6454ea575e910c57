"""Reading content files safely: UTF-8 only, bounded size, no control characters.

Every content file goes through read_text, so an editor who saves GBK, pastes a NUL byte or drops a
50 MB file into content/ gets one clear message naming the file and line, never a traceback. A file
saved the Windows way (CR LF line ends, a byte-order mark) reads as the same text saved with LF
(lineends.py).
"""

from __future__ import annotations

import re
from pathlib import Path

from framing.errors import ContentError
from framing.source.lineends import as_lf

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_LINE_CHARS = 20_000
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # C0 and C1 controls except tab and line feed


def _line_of_byte(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _plausible(char: str) -> bool:
    """A character ordinary Chinese text is made of (ASCII, common ideographs, CJK punctuation)."""
    code = ord(char)
    return (code < 0x80 or 0x4E00 <= code <= 0x9FFF or 0x3000 <= code <= 0x303F or 0xFF00 <= code <= 0xFFEF
            or code in (0xB7, 0x2014, 0x2018, 0x2019, 0x201C, 0x201D, 0x2026))


def _guess_legacy_encoding(data: bytes) -> str | None:
    """Name the legacy Chinese encoding a file decodes as, for the error hint.

    Most Big5 bytes also decode as GB18030 (into rare characters and private-use code points), so
    the encoding whose decoding holds the larger share of ordinary characters wins; GBK on a tie.
    """
    best, best_score = None, -1.0
    for name, label in (("gb18030", "GBK/GB18030"), ("big5", "Big5")):
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        wide = [c for c in text if ord(c) >= 0x80]
        score = sum(map(_plausible, wide)) / len(wide) if wide else 1.0
        if score > best_score:
            best, best_score = label, score
    return best


def decode_utf8(data: bytes, shown: str) -> str:
    """Decode bytes as strict UTF-8 or raise a ContentError that says how to re-save the file."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        legacy = _guess_legacy_encoding(data)
        hint = "save the file as UTF-8"
        if legacy:
            hint += f" (it looks like {legacy}; e.g. iconv -f {legacy.split('/')[0]} -t UTF-8)"
        raise ContentError(shown, _line_of_byte(data, exc.start), "the file is not valid UTF-8", hint) from None
    return text


def check_text(text: str, shown: str) -> None:
    """Refuse a byte-order mark, a CR that does not end a line, control characters and over-long
    lines (read_text has already read a file's CR LF line ends as LF and left out its byte-order mark)."""
    if text.startswith("\ufeff"):
        raise ContentError(shown, 1, "the file starts with a UTF-8 byte-order mark",
                           "save it as UTF-8 without BOM (most editors call this 'UTF-8', not 'UTF-8 with BOM')")
    lines = text.split("\n")
    if "\r" not in text and max(map(len, lines)) <= MAX_LINE_CHARS and not _CONTROL.search(text):
        return  # the common case, checked in one pass; the loop below finds the line of a problem
    for number, line in enumerate(lines, start=1):
        if "\r" in line:
            raise ContentError(shown, number, "the line holds a carriage return (CR) that does not end a line: "
                               "old Mac (CR) line ends, or a stray character",
                               "convert the line ends to LF or CR LF, e.g. with your editor's line-ending setting")
        if len(line) > MAX_LINE_CHARS:
            raise ContentError(shown, number, f"line is {len(line):,} characters long (at most {MAX_LINE_CHARS:,})",
                               "split it into paragraphs; a line this long is almost always pasted by mistake")
        bad = _CONTROL.search(line)
        if bad is not None:
            raise ContentError(shown, number, f"the line contains the control character U+{ord(bad.group()):04X}",
                               "delete it; content files hold text only")


def read_text(path: Path, shown: str) -> str:
    """The checked text of one content file."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ContentError(shown, None, f"the file is {size / 1024 / 1024:.1f} MB (at most {MAX_FILE_BYTES // 1024 // 1024} MB)",
                               "content files hold one article or its notes; check that the right file was saved here")
        data = path.read_bytes()
    except OSError as exc:
        raise ContentError(shown, None, f"cannot read the file: {exc.strerror}", "check that it exists and is readable") from None
    text = as_lf(decode_utf8(data, shown))
    check_text(text, shown)
    return text


def folder_in_place(path: Path, shown: str, fix: str) -> ContentError | None:
    """The error for a folder (or anything else but a file) where the file path should be; None
    where the path is a file or nothing at all."""
    if path.exists() and not path.is_file():
        what = "a folder" if path.is_dir() else "not a regular file"
        return ContentError(shown, None, f"{path.name} is {what}{', not a file' if path.is_dir() else ''}", fix)
    return None
