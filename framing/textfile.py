"""Reading content files safely: UTF-8 only, bounded size, no control characters.

Every content file goes through read_text, so an editor who saves GBK, pastes a NUL byte or drops a
50 MB file into content/ gets one clear message naming the file and line, never a traceback.
"""

from __future__ import annotations

from pathlib import Path

from .errors import ContentError

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_LINE_CHARS = 20_000
_ALLOWED_CONTROLS = {"\n", "\t"}


def _line_of_byte(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _guess_legacy_encoding(data: bytes) -> str | None:
    """Name the legacy Chinese encoding a file decodes as, for the error hint."""
    for name in ("gb18030", "big5"):
        try:
            data.decode(name)
        except UnicodeDecodeError:
            continue
        return "GBK/GB18030" if name == "gb18030" else "Big5"
    return None


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
    """Refuse a byte-order mark, CR line ends, control characters and over-long lines."""
    if text.startswith("\ufeff"):
        raise ContentError(shown, 1, "the file starts with a UTF-8 byte-order mark",
                           "save it as UTF-8 without BOM (most editors call this 'UTF-8', not 'UTF-8 with BOM')")
    for number, line in enumerate(text.split("\n"), start=1):
        if "\r" in line:
            raise ContentError(shown, number, "the file has Windows (CR LF) or old Mac (CR) line ends",
                               "convert the line ends to LF, e.g. with dos2unix or your editor's line-ending setting")
        if len(line) > MAX_LINE_CHARS:
            raise ContentError(shown, number, f"line is {len(line):,} characters long (at most {MAX_LINE_CHARS:,})",
                               "split it into paragraphs; a line this long is almost always pasted by mistake")
        bad = next((c for c in line if (c < " " or "\x7f" <= c < "\xa0") and c not in _ALLOWED_CONTROLS), None)
        if bad is not None:
            raise ContentError(shown, number, f"the line contains the control character U+{ord(bad):04X}",
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
    text = decode_utf8(data, shown)
    check_text(text, shown)
    return text
