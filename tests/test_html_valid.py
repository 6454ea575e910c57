"""Every page of the built site passes the Nu HTML Checker (npm 'vnu-jar', run with Java) with no errors.

The checker runs once over all pages, for speed. A page with a known error shows that it really checks.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import REPO

VNU = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def nu_errors(files: list[Path]) -> list[dict]:
    java = shutil.which("java")
    if java is None or not VNU.is_file():
        if os.environ.get("CI"):
            pytest.fail("java or node_modules/vnu-jar is missing: scripts/test.sh installs both")
        pytest.skip("java or node_modules/vnu-jar is missing (run 'npm ci'; install a JRE)")
    done = subprocess.run([java, "-jar", str(VNU), "--errors-only", "--format", "json", *map(str, files)],
                          capture_output=True, text=True, timeout=300)
    # vnu writes its report to stderr and exits 1 when it found errors.
    report = json.loads(done.stderr)
    return [m for m in report["messages"] if m.get("type") in ("error", "non-document-error")]


def test_every_page_is_valid_html(seed_site_subpath):
    pages = sorted(seed_site_subpath.rglob("*.html"))
    assert len(pages) > 20
    errors = nu_errors(pages)
    shown = [f"{Path(m.get('url', '')).relative_to(seed_site_subpath.resolve()) if m.get('url', '').startswith('file:') is False else m.get('url', '').split('/site/', 1)[-1]}:"
             f"{m.get('lastLine', '?')}: {m['message']}" for m in errors[:30]]
    assert errors == [], f"{len(errors)} errors, the first:\n" + "\n".join(shown)


def test_the_checker_does_report_an_error(tmp_path):
    page = tmp_path / "bad.html"
    page.write_text('<!DOCTYPE html><html lang="en"><head><title>x</title></head><body><p><time>date unknown</time>'
                    '<div><p>unclosed</span></div></body></html>', encoding="utf-8")
    assert len(nu_errors([page])) >= 2
