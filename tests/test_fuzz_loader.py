"""A bounded fuzz run of the content loader: mutated archives give a build or a ContentError, never a crash.

Hypothesis mutates the tiny archive of conftest.py three ways: edits of the text (inserted YAML and
markdown syntax, deleted, duplicated and swapped lines, control characters), random YAML values put
into front-matter fields and site.yaml, and raw bytes spliced into a file. Each mutated archive runs
through pipeline.gather (templates checked, content loaded and validated, every page rendered, in
memory). The only acceptable outcomes are a build and ContentError/ContentErrors.

70 examples per kind keep the run near twenty seconds of CPU; FRAMING_FUZZ_EXAMPLES=3000 runs a longer search.
"""

from __future__ import annotations

import os
import shutil

import pytest
import yaml
from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import REPO, tiny_files
from framing.errors import ContentError, ContentErrors
from framing.pipeline import BuildResult, Project, gather

TEXT_FILES = sorted(name for name in tiny_files() if not name.startswith("captures/"))
FRONT_MATTER_FILES = sorted(name for name in TEXT_FILES if name.startswith(("articles/", "claims/", "themes/")))
SYNTAX = st.sampled_from(list(":-[]{}#>&*!|'\"%@`,?\\~") + ["\n", "\t", " ", "---", "\n---\n", "## ", "> ", "\x00", "\x1b",
                                                            "\r\n", "\ufeff", "yes", "null", "2025-02-30", "9999-12-31",
                                                            "claim: ", "theme: ", "prefix: ", "](article:", "<script>", "黄仁勋",
                                                            "頂尖", "６亿", "\u3000", "\U0001F600"])
SNIPPET = st.lists(st.one_of(SYNTAX, st.text(max_size=6)), min_size=1, max_size=6).map("".join)
YAML_VALUE = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-10**20, 10**20), st.floats(allow_nan=True), st.text(max_size=12),
              st.sampled_from(["2025-11-15", "2025-13-01", "0000", "https://example.org/x", "javascript:x", "a.txt",
                               "../a.txt", "zh-Hans", "accusation", "1-3", "9-", "0-", "3-1"])),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.one_of(st.text(max_size=8), st.integers()), children, max_size=3),
    max_leaves=6)
KEYS = st.sampled_from(["title", "outlet", "authors", "published", "sources", "script", "capture", "sha256", "trimmed", "notes",
                        "theme", "label", "verdict", "no_source", "language", "url", "themes", "base_url", "default_edition",
                        "repository", "title_en", "description", "other"])


@st.composite
def text_edit(draw):
    name = draw(st.sampled_from(TEXT_FILES))
    lines = tiny_files()[name].split("\n")
    for _ in range(draw(st.integers(1, 3))):
        where = draw(st.integers(0, max(0, len(lines) - 1)))
        operation = draw(st.sampled_from(["insert", "replace", "delete", "duplicate", "swap", "splice"]))
        if operation == "insert":
            lines.insert(where, draw(SNIPPET))
        elif operation == "replace":
            lines[where] = draw(SNIPPET)
        elif operation == "delete" and lines:
            del lines[where]
        elif operation == "duplicate" and lines:
            lines.insert(where, lines[where])
        elif operation == "swap" and len(lines) > 1:
            other = draw(st.integers(0, len(lines) - 1))
            lines[where], lines[other] = lines[other], lines[where]
        elif lines:
            column = draw(st.integers(0, len(lines[where])))
            lines[where] = lines[where][:column] + draw(SNIPPET) + lines[where][column:]
    return {name: "\n".join(lines)}


@st.composite
def yaml_edit(draw):
    name = draw(st.sampled_from(FRONT_MATTER_FILES + ["site.yaml", "site.yaml"]))
    text = tiny_files()[name]
    if name == "site.yaml":
        fields, body = yaml.safe_load(text), None
    else:
        _, front, body = text.split("---\n", 2)
        fields = yaml.safe_load(front) or {}
    for _ in range(draw(st.integers(1, 2))):
        key = draw(KEYS | st.sampled_from(sorted(fields)))
        if draw(st.booleans()) and key in fields and isinstance(fields[key], list) and fields[key]:
            fields[key][0] = draw(YAML_VALUE)  # inside a list of entries (sources, trimmed)
        else:
            fields[key] = draw(YAML_VALUE)
    dumped = yaml.safe_dump(fields, allow_unicode=True)
    return {name: dumped if body is None else f"---\n{dumped}---\n{body}"}


@st.composite
def byte_edit(draw):
    name = draw(st.sampled_from(TEXT_FILES + ["captures/a.txt"]))
    data = tiny_files()[name].encode("utf-8")
    at = draw(st.integers(0, len(data)))
    return {name: data[:at] + draw(st.binary(min_size=1, max_size=8)) + data[at:]}


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    root = tmp_path_factory.mktemp("fuzz")
    shutil.copytree(REPO / "templates", root / "templates")
    return root


def build_mutated(root, changes: dict) -> None:
    content = root / "content"
    shutil.rmtree(content, ignore_errors=True)
    for name, data in (tiny_files() | changes).items():
        path = content / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    try:
        result = gather(Project.at(root))
    except (ContentError, ContentErrors) as error:
        assert str(error)  # it formats
        return
    assert isinstance(result, BuildResult) and result.files


FUZZ = settings(max_examples=int(os.environ.get("FRAMING_FUZZ_EXAMPLES", "70")), deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@FUZZ
@given(text_edit())
def test_text_edits_never_crash_the_loader(workspace, changes):
    build_mutated(workspace, changes)


@FUZZ
@given(yaml_edit())
def test_yaml_values_never_crash_the_loader(workspace, changes):
    build_mutated(workspace, changes)


@FUZZ
@given(byte_edit())
def test_raw_bytes_never_crash_the_loader(workspace, changes):
    build_mutated(workspace, changes)


def test_the_unchanged_archive_builds(workspace):
    build_mutated(workspace, {})
