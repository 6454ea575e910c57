"""Every page of the built site passes the Nu HTML Checker (npm 'vnu-jar', run with Java) with no errors.

The checker runs once over all pages, for speed, with a control page whose errors it must report.
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


def test_every_page_is_valid_html(seed_site_subpath, tmp_path):
    # A page with known errors goes along (one Java start for all): it shows the checker really checks.
    control = tmp_path / "control.html"
    control.write_text('<!DOCTYPE html><html lang="en"><head><title>x</title></head><body><p><time>date unknown</time>'
                       '<div><p>unclosed</span></div></body></html>', encoding="utf-8")
    pages = sorted(seed_site_subpath.rglob("*.html"))
    assert len(pages) > 20
    errors = nu_errors([control, *pages])
    assert len([m for m in errors if m.get("url", "").endswith("/control.html")]) >= 2
    errors = [m for m in errors if not m.get("url", "").endswith("/control.html")]
    shown = [f"{m.get('url', '').split('/site/', 1)[-1]}:{m.get('lastLine', '?')}: {m['message']}" for m in errors[:30]]
    assert errors == [], f"{len(errors)} errors, the first:\n" + "\n".join(shown)
