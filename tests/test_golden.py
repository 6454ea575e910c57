"""Golden output: the tiny archive builds to exactly the files kept in tests/golden/tiny/.

Any change to what the generator writes shows up here as a diff to review. After an intended
change, regenerate the copy with:  FRAMING_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py
"""

import difflib
import os
import shutil
from pathlib import Path

from conftest import cli_for

GOLDEN = Path(__file__).parent / "golden" / "tiny"
TEXT = (".html", ".xml", ".txt", ".json", ".jsonld", ".csv", ".css")


def text_files(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): p.read_text(encoding="utf-8") for p in sorted(root.rglob("*"))
            if p.is_file() and p.suffix in TEXT and not p.relative_to(root).as_posix().startswith("pagefind/")}


def test_tiny_archive_matches_the_golden_copy(tiny):
    result = cli_for(tiny, "build", "--out", str(tiny / "site"), "--base-url", "https://example.org/archive/")
    assert result.returncode == 0, result.stderr
    built = text_files(tiny / "site")
    if os.environ.get("FRAMING_UPDATE_GOLDEN"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for name, text in built.items():
            (GOLDEN / name).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / name).write_text(text, encoding="utf-8")
    expected = text_files(GOLDEN)
    assert sorted(built) == sorted(expected)
    for name in expected:
        if built[name] != expected[name]:
            diff = "\n".join(difflib.unified_diff(expected[name].splitlines(), built[name].splitlines(),
                                                  f"golden/{name}", f"built/{name}", lineterm="", n=2))
            raise AssertionError(f"{name} differs from the golden copy:\n{diff[:3000]}")
