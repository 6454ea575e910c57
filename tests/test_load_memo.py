"""The memo of loaded files (the live preview's in memory, a build's in its cache): a load that reuses
what unchanged files gave is the same as a fresh load, after every kind of edit, problems included."""

from __future__ import annotations

import os
import sqlite3

import pytest

from framing.source import annotations as annotation_loading

from framing import pipeline
from framing.errors import ContentError, ContentErrors, format_error
from framing.incremental.memo import KIND, FileMemo, keep_memo, memo_from
from framing.incremental.reuse import STORE_FILE, cache_folder
from framing.incremental.store import Store
from framing.project import Project


def outcome(project: Project, memo: FileMemo | None = None):
    """The archive, or the report of its problems."""
    try:
        return pipeline.load(project, memo=memo)
    except ContentErrors as error:
        return format_error(error)


def replace_in(path, old: str, new: str, when: int) -> None:
    """Edit a file and give it a modification time of its own (saves made within one clock tick
    would otherwise share one)."""
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new), encoding="utf-8")
    os.utime(path, ns=(when, when))


EDITS = [
    ("annotations/alpha.md", "公司数据。", "公司自己的数据。"),  # commentary
    ("annotations/alpha.en.md", "gloss: Alibaba said", "gloss: Alibaba says"),  # the English file
    ("articles/alpha.md", "title: 文章alpha", "title: 新的标题"),  # the article, not its text
    ("claims/denial.md", "theme: accusation", "theme: statistics"),  # the theme an annotation takes from its claim
    ("annotations/beta.md", "## be-huang", "## al-denial"),  # an id used by another file
    ("annotations/beta.md", "## al-denial", "## be-huang"),
    ("annotations/beta.md", "> 黄仁勋称Qwen", "> 黄仁勋说Qwen"),  # a quote that is not in the article
    ("annotations/beta.md", "> 黄仁勋说Qwen", "> 黄仁勋称Qwen"),
    ("captures/a.txt", "下载量突破6亿次", "下载量突破7亿次"),  # a capture that no longer matches its hash
    ("captures/a.txt", "下载量突破7亿次", "下载量突破6亿次"),
    ("articles/alpha.md", "capture: a.txt", "capture: b.txt"),  # another capture, not the one hashed
    ("articles/alpha.md", "capture: b.txt", "capture: a.txt"),
    ("claims/denial.md", "theme: statistics", "theme: accusation"),
    ("articles/beta.md", "script: zh-Hant", "script: zh-Hans"),
]


def test_a_load_with_the_memo_equals_a_fresh_load_after_every_edit(tiny):
    project = Project.at(tiny)
    memo = FileMemo()
    first = outcome(project, memo)
    assert not isinstance(first, str) and first == outcome(project)
    reports = 0
    for number, (name, old, new) in enumerate(EDITS, start=1):
        replace_in(tiny / "content" / name, old, new, 1_700_000_000_000_000_000 + number)
        remembered, fresh = outcome(project, memo), outcome(project)
        assert remembered == fresh, f"after editing {name}: {old} -> {new}"
        reports += isinstance(fresh, str)
    assert reports == 4  # the duplicate id, the quote and the two captures were reported


def test_a_file_that_cannot_be_read_is_reported_with_the_problems_of_its_pair(tiny):
    project = Project.at(tiny)
    memo = FileMemo()
    pipeline.load(project, memo=memo)
    replace_in(tiny / "content" / "annotations" / "alpha.md", "## al-downloads", "## Al-Downloads", 1_700_000_000_000_000_001)
    (tiny / "content" / "annotations" / "alpha.en.md").write_bytes(b"## al-denial\n\n\xff\xfe not UTF-8\n")
    report = outcome(project, memo)
    assert "alpha.en.md" in report and "'Al-Downloads' is not a valid annotation id" in report
    assert report == outcome(project)


def test_unchanged_files_are_not_read_again(tiny, monkeypatch):
    parsed = []
    real = annotation_loading._parse_sections

    def counting(loader, text, shown, english, problems):
        parsed.append(shown)
        return real(loader, text, shown, english, problems)

    monkeypatch.setattr(annotation_loading, "_parse_sections", counting)
    project = Project.at(tiny)
    memo = FileMemo()
    pipeline.load(project, memo=memo)
    assert sorted(parsed) == ["content/annotations/alpha.en.md", "content/annotations/alpha.md", "content/annotations/beta.md"]
    parsed.clear()
    pipeline.load(project, memo=memo)
    assert parsed == []
    replace_in(tiny / "content" / "annotations" / "beta.md", "简体引文", "简体的引文", 1_700_000_000_000_000_000)
    pipeline.load(project, memo=memo)
    assert parsed == ["content/annotations/beta.md"]
    parsed.clear()
    pipeline.load(project)  # without a memo, everything is read
    assert len(parsed) == 3


def test_an_article_is_checked_again_when_its_capture_changes(tiny):
    project = Project.at(tiny)
    memo = FileMemo()
    pipeline.load(project, memo=memo)
    capture = tiny / "content" / "captures" / "b.txt"
    capture.write_bytes(capture.read_bytes().replace("開源贏了".encode(), "閉源贏了".encode()))
    report = outcome(project, memo)
    assert "content/articles/beta.md" in report and "SHA-256" in report and report == outcome(project)


def reading(path, calls):
    """A computation that reads the file at path, noting each call in calls."""
    def compute():
        calls.append(1)
        return path.read_text(encoding="utf-8")
    return compute


def test_a_result_is_kept_while_its_files_and_inputs_are_unchanged(tmp_path):
    memo = FileMemo()
    path = tmp_path / "a.md"
    path.write_text("one", encoding="utf-8")
    calls = []
    compute = reading(path, calls)
    assert memo.get("a", [path], "x", compute) == "one"
    assert memo.get("a", [path], "x", compute) == "one" and len(calls) == 1
    assert memo.get("a", [path], "y", compute) == "one" and len(calls) == 2  # another input
    path.write_text("two!", encoding="utf-8")
    assert memo.get("a", [path], "y", compute) == "two!" and len(calls) == 3  # the file changed
    path.unlink()

    def failing():
        calls.append(1)
        raise ContentError("a.md", None, "cannot read the file")

    for _ in range(2):  # a failure is not kept: the file is tried again each time
        with pytest.raises(ContentError):
            memo.get("a", [path], "y", failing)
    assert len(calls) == 5


def kept_on_disk(tiny):
    return memo_from(Store(cache_folder(tiny / "site") / STORE_FILE))


def stored_entries(tiny):
    """Each memo entry in the store, with the bytes it is kept as."""
    with sqlite3.connect(cache_folder(tiny / "site") / STORE_FILE) as db:
        return dict(db.execute("SELECT key, value FROM entries WHERE kind = ?", (KIND,)))


def test_a_build_reads_again_only_the_files_changed_since_the_last(tiny, monkeypatch):
    project = Project.at(tiny)
    pipeline.build(project, tiny / "site")
    memo = kept_on_disk(tiny)
    assert {key[0] for key in memo.read} == {"article", "capture", "annotations"}  # front matter is not kept
    parsed = []
    real = annotation_loading._parse_sections
    monkeypatch.setattr(annotation_loading, "_parse_sections", lambda loader, text, shown, *rest: parsed.append(shown)
                        or real(loader, text, shown, *rest))
    replace_in(tiny / "content" / "annotations" / "beta.md", "简体引文", "简体的引文", 1_700_000_000_000_000_000)
    assert outcome(project, memo) == outcome(project)
    assert parsed[0] == "content/annotations/beta.md"  # then the fresh load reads all three
    assert sorted(parsed[1:]) == ["content/annotations/alpha.en.md", "content/annotations/alpha.md", "content/annotations/beta.md"]
    assert {key for key in memo.made if key[0] != "front matter"} == {("annotations", "beta")}


def test_the_memo_in_the_store_is_rewritten_only_where_it_changed_and_forgets_removed_files(tiny):
    project = Project.at(tiny)
    pipeline.build(project, tiny / "site")
    before = stored_entries(tiny)
    replace_in(tiny / "content" / "annotations" / "beta.md", "简体引文", "简体的引文", 1_700_000_000_000_000_000)
    pipeline.build(project, tiny / "site")
    after = stored_entries(tiny)
    assert sorted(before) == sorted(after)
    assert [key for key in after if after[key] != before[key]] == [repr(("annotations", "beta"))]
    (tiny / "content" / "annotations" / "beta.md").unlink()
    pipeline.build(project, tiny / "site")
    assert ("annotations", "beta") not in kept_on_disk(tiny).read and ("annotations", "alpha") in kept_on_disk(tiny).read


def test_a_corrupt_or_foreign_memo_entry_is_made_again(tiny):
    project = Project.at(tiny)
    pipeline.build(project, tiny / "site")
    before = kept_on_disk(tiny).read
    assert len(before) == 6  # two articles and the captures they name, two annotation files' pairs
    with sqlite3.connect(cache_folder(tiny / "site") / STORE_FILE) as db:
        keys = [key for key, in db.execute("SELECT key FROM entries WHERE kind = ? ORDER BY key", (KIND,))]
        db.execute("UPDATE entries SET value = ? WHERE kind = ? AND key = ?", (b"not a pickle", KIND, keys[0]))
    after = kept_on_disk(tiny).read
    assert after == frozenset(), "an unreadable entry: the memo is made again"
    assert memo_from(Store(cache_folder(tiny / "site") / STORE_FILE, salt="another generator")).read == frozenset()
    memo = kept_on_disk(tiny)
    assert outcome(project, memo) == outcome(project)


def test_an_entry_in_the_store_holds_a_digest_of_its_inputs(tmp_path):
    path = tmp_path / "a.md"
    path.write_text("one", encoding="utf-8")
    calls = []
    compute = reading(path, calls)
    memo = FileMemo()
    inputs = ("a.md", ("a long paragraph",) * 100)
    memo.get(("a",), [path], inputs, compute)
    memo.get(("b",), [path], "passing", compute, lasting=False)
    store = Store(tmp_path / "store.sqlite", salt="salt")
    keep_memo(memo, store)
    store.commit()
    with sqlite3.connect(tmp_path / "store.sqlite") as db:
        kept = b"".join(value for value, in db.execute("SELECT value FROM entries WHERE kind = ?", (KIND,)))
    assert len(kept) < 1000  # not the inputs themselves
    again = memo_from(Store(tmp_path / "store.sqlite", salt="salt"))
    assert again.read == {("a",)}
    assert again.get(("a",), [path], inputs, compute) == "one" and len(calls) == 2
    assert again.get(("a",), [path], ("a.md", ("another paragraph",)), compute) == "one" and len(calls) == 3
    assert memo_from(Store(tmp_path / "store.sqlite", salt="other salt")).read == frozenset()


def test_a_fresh_checkout_of_the_same_files_reads_none_of_them_again(tiny, monkeypatch):
    """Every file copied anew (new modification times and inodes, as in CI's checkout) with the
    same bytes: the memo kept in the store still holds, by the files' SHA-256."""
    project = Project.at(tiny)
    pipeline.build(project, tiny / "site")
    for path in sorted((tiny / "content").rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            path.unlink()
            path.write_bytes(data)
            os.utime(path, ns=(1_600_000_000_000_000_000, 1_600_000_000_000_000_000))
    parsed = []
    real = annotation_loading._parse_sections
    monkeypatch.setattr(annotation_loading, "_parse_sections", lambda loader, text, shown, *rest: parsed.append(shown)
                        or real(loader, text, shown, *rest))
    pipeline.build(project, tiny / "site", force=True)
    assert parsed == []
    replace_in(tiny / "content" / "annotations" / "beta.md", "简体引文", "简体的引文", 1_600_000_000_000_000_000)
    pipeline.build(project, tiny / "site", force=True)
    assert parsed == ["content/annotations/beta.md"]  # other bytes: read again
