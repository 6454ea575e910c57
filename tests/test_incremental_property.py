"""Any sequence of edits, each followed by an incremental build, gives the bytes of a clean build.

A stateful Hypothesis test: the machine keeps one project and one output folder with its store,
and makes random edits to what editors and designers change: an article's fields, an
annotation's commentary, quote, claim or framing, a claim, a theme, a text page, a template, an
interface string and site.yaml; annotations and claims are added and removed too. After each edit
it builds into the kept folder, as an editor's next build would, and into a new folder with no
store, and compares the two trees byte for byte. An edit may leave the content invalid: then both
builds must fail with the same message, and the kept folder must be left as it was.
"""

from __future__ import annotations

import datetime
import os
import re
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings, strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from conftest import tiny_files, write_project
from test_determinism import digest_tree

from framing import pipeline
from framing.errors import FramingError, format_error
from framing.project import Project
from framing.source.records import DEVICES, ENTMAN_FUNCTIONS, VERDICTS

WORDS = st.text(alphabet="中文档案指控数字模型阿里巴巴开源 abcxyz", min_size=1, max_size=8).map(str.strip).filter(bool)
ENGLISH = st.text(alphabet="abcdefghij XYZ", min_size=1, max_size=10).map(str.strip).filter(bool)
DATES = st.dates(min_value=datetime.date(2025, 1, 1), max_value=datetime.date(2025, 12, 31))

# (file, pattern whose first group is the value to replace): the fields an edit may change.
FIELDS = [
    ("content/articles/alpha.md", r"^title: (.*)$"),
    ("content/articles/beta.md", r"^title: (.*)$"),
    ("content/articles/alpha.md", r"^outlet: (.*)$"),
    ("content/articles/beta.md", r"^authors: \[(.*)\]$"),
    ("content/claims/denial.md", r"^label: (.*)$"),
    ("content/claims/downloads.md", r"^label: (.*)$"),
    ("content/claims/denial.md", r"^    title: (.*)$"),
    ("content/claims/downloads.md", r"\n---\n(.*)\n$"),
    ("content/themes/accusation.md", r"^title: (.*)$"),
    ("content/themes/statistics.md", r"^title: (.*)$"),
    ("content/themes/accusation.md", r"\n---\n(.*)\n$"),
    ("content/annotations/alpha.md", r"阿里巴巴的\*\*否认\*\*(.*)\n"),
    ("content/annotations/alpha.md", r"公司数据(.*)\n"),
    ("content/annotations/beta.md", r"简体引文锚定繁体文章(.*)\n"),
    ("content/site.yaml", r"^title: (.*)$"),
    ("content/pages/about.md", r"\n---\n(.*)\n$"),
]
ENGLISH_FIELDS = [
    ("content/themes/accusation.en.md", r"^title: (.*)$"),
    ("content/annotations/alpha.en.md", r"^gloss: (.*)$"),
    ("content/claims/denial.en.md", r"\n---\n(.*)\n$"),
    ("content/site.yaml", r"^description_en: (.*)$"),
    ("content/pages/about.en.md", r"^title: (.*)$"),
]
# (template, text after which a visible edit is inserted)
TEMPLATE_SPOTS = [
    ("templates/article.html", "{% block main %}"),
    ("templates/theme.html", "{% block main %}"),
    ("templates/index.html", "{% block main %}"),
    ("templates/base.html", '<main id="main">'),
    ("templates/claim.html", "{% block main %}"),
]
# Passages of the tiny archive's articles that a new annotation may quote.
QUOTES = [("alpha", "美国指控阿里巴巴"), ("alpha", "顶尖开源模型"), ("beta", "這裡的實驗室"), ("alpha", "6亿次")]
FRAMING = {"device": DEVICES, "entman": ENTMAN_FUNCTIONS}


def _replace_field(text: str, pattern: str, value: str) -> str:
    match = re.search(pattern, text, flags=re.M)
    assert match, pattern
    return text[:match.start(1)] + value + text[match.end(1):]


class Edits(RuleBasedStateMachine):
    """One project, edited step by step, and its output folder built incrementally after each edit."""

    def __init__(self) -> None:
        super().__init__()
        self.root = Path(tempfile.mkdtemp(prefix="framing-property-"))
        files = tiny_files() | {"pages/about.md": "---\ntitle: 关于\n---\n关于本档案。\n", "pages/about.en.md": "---\ntitle: About\n---\nAbout this archive.\n"}
        self.project_root = write_project(self.root / "project", files)
        self.project = Project.at(self.project_root)
        self.out = self.root / "site"
        self.added: list[tuple[str, str]] = []  # (article, annotation id) of the annotations added
        self.claims_added: list[str] = []
        self.counter = 0
        self.last_error = self._build(self.out)
        assert self.last_error is None, self.last_error

    def teardown(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)

    # -- the builds
    def _build(self, out: Path, clean: bool = False) -> str | None:
        """Build into out; the message of the error it stops with, or None."""
        try:
            pipeline.build(self.project, out, force=clean, search=False)
        except FramingError as error:
            return format_error(error)
        return None

    def _write(self, relative: str, text: str) -> None:
        (self.project_root / relative).write_text(text, encoding="utf-8")

    def _read(self, relative: str) -> str:
        return (self.project_root / relative).read_text(encoding="utf-8")

    def _next_id(self, stem: str) -> str:
        self.counter += 1
        return f"{stem}-{self.counter}"

    # -- the edits
    @rule(field=st.sampled_from(FIELDS), value=WORDS)
    def edit_field(self, field, value):
        path, pattern = field
        self._write(path, _replace_field(self._read(path), pattern, value))

    @rule(field=st.sampled_from(ENGLISH_FIELDS), value=ENGLISH)
    def edit_english_field(self, field, value):
        path, pattern = field
        self._write(path, _replace_field(self._read(path), pattern, value))

    @rule(slug=st.sampled_from(["alpha", "beta"]), day=DATES)
    def edit_date(self, slug, day):
        path = f"content/articles/{slug}.md"
        self._write(path, _replace_field(self._read(path), r"^published: (.*)$", day.isoformat()))

    @rule(claim=st.sampled_from(["denial", "downloads"]), verdict=st.sampled_from(VERDICTS))
    def edit_verdict(self, claim, verdict):
        path = f"content/claims/{claim}.md"
        self._write(path, _replace_field(self._read(path), r"^verdict: (.*)$", verdict))

    @rule(spot=st.sampled_from(TEMPLATE_SPOTS), value=ENGLISH)
    def edit_template(self, spot, value):
        path, after = spot
        text = self._read(path)
        assert after in text, (path, after)
        self._write(path, text.replace(after, f"{after}<p>{value}</p>", 1))

    @rule(value=WORDS, english=ENGLISH)
    def edit_string(self, value, english):
        text = self._read("templates/strings.yaml")
        text = re.sub(r"^(note_count: \{zh: )[^,]*(, en: )[^}]*\}", lambda m: f"{m.group(1)}'{{count}} {value}'{m.group(2)}'{{count}} {english}'}}",
                      text, count=1, flags=re.M)
        self._write("templates/strings.yaml", text)

    @rule(quote=st.sampled_from(QUOTES), theme=st.sampled_from(["accusation", "statistics", None]),
          claim=st.sampled_from(["denial", "downloads", "new"]), commentary=WORDS,
          device=st.sampled_from((None,) + FRAMING["device"]), entman=st.sampled_from((None,) + FRAMING["entman"]))
    def add_annotation(self, quote, theme, claim, commentary, device, entman):
        slug, text = quote
        ident = self._next_id(f"{slug}-added")
        lines = [f"## {ident}", "", f"> {text}", ""]
        if claim == "new":
            claim = self._next_id("claim")
            self._write(f"content/claims/{claim}.md", f"---\ntheme: {theme or 'statistics'}\nlabel: 新论断{claim}\n"
                                                      "verdict: unverifiable\nno_source: 未找到。\n---\n新的论断。\n")
            self.claims_added.append(claim)
        if claim:
            lines += [f"claim: {claim}", ""]
        elif theme:
            lines += [f"theme: {theme}", ""]
        else:
            lines += ["theme: accusation", ""]
        for key, value in (("device", device), ("entman", entman)):
            if value:
                lines += [f"{key}: {value}", ""]
        lines += [commentary, ""]
        path = f"content/annotations/{slug}.md"
        self._write(path, self._read(path).rstrip("\n") + "\n\n" + "\n".join(lines))
        self.added.append((slug, ident))

    @precondition(lambda self: self.added)
    @rule(data=st.data())
    def remove_annotation(self, data):
        slug, ident = data.draw(st.sampled_from(self.added))
        path = f"content/annotations/{slug}.md"
        text = self._read(path)
        start = text.index(f"## {ident}\n")
        following = text.find("\n## ", start + 1)
        self._write(path, text[:start].rstrip("\n") + "\n" + (text[following:] if following != -1 else ""))
        self.added.remove((slug, ident))

    @precondition(lambda self: self.claims_added)
    @rule(data=st.data())
    def remove_claim(self, data):
        claim = data.draw(st.sampled_from(self.claims_added))
        (self.project_root / "content" / "claims" / f"{claim}.md").unlink()
        self.claims_added.remove(claim)

    # -- what must hold after every edit
    @invariant()
    def incremental_build_equals_clean_build(self):
        before = digest_tree(self.out)
        error = self._build(self.out)
        clean = self.root / "clean"
        shutil.rmtree(clean, ignore_errors=True)
        for leftover in self.root.glob(".clean*"):
            shutil.rmtree(leftover, ignore_errors=True) if leftover.is_dir() else leftover.unlink()
        clean_error = self._build(clean, clean=True)
        assert error == clean_error
        if error is None:
            assert digest_tree(self.out) == digest_tree(clean)
        else:
            assert digest_tree(self.out) == before  # a failed build leaves the site as it was


@pytest.fixture(autouse=True)
def _fixed_clock(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")


def test_incremental_builds_equal_clean_builds():
    run = Edits.TestCase
    run.settings = settings(max_examples=int(os.environ.get("FRAMING_PROPERTY_EXAMPLES", "8")), stateful_step_count=6,
                            deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
    run().runTest()
