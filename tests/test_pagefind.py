"""The Pagefind processes the search index is made with (framing/search/pagefind.py): the same bytes on any
machine, and a Pagefind that fails or stops fails the build with a message, never a traceback."""

from __future__ import annotations

import gzip
import json
import os
import random
import shutil
import stat
import threading
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from conftest import cli_for
from test_determinism import digest_tree
from framing.search.pagefind import INDEX_CONFIG, PagefindProcess, SearchIndexError, json_string


def build_tiny(project: Path, out: Path, *extra: str, env: dict | None = None):
    return cli_for(project, "build", "--out", str(out), "--quiet", *extra, env=env)


def bundle(site: Path) -> dict[str, str]:
    return {path: digest for path, digest in digest_tree(site).items() if path.startswith("pagefind/")}


def test_the_index_is_the_same_whatever_file_system_the_build_works_in(tiny, tmp_path):
    """Pagefind indexes pages in the order it is given them. Its command line, given a folder, takes
    them in the order the file system lists them, which differs between file systems (creation order
    on tmpfs, a hash seeded per file system on ext4): the bytes of the index would then depend on the
    machine."""
    memory = Path("/dev/shm")
    if not memory.is_dir() or memory.stat().st_dev == tmp_path.stat().st_dev:
        pytest.skip("no second file system (tmpfs at /dev/shm) to work in")
    disk_tmp = tmp_path / "tmp"
    disk_tmp.mkdir()
    memory_tmp = Path(os.path.realpath(memory)) / f"framing-test-{os.getpid()}-{tmp_path.name}"
    memory_tmp.mkdir()
    try:
        for name, folder in (("disk", disk_tmp), ("memory", memory_tmp)):
            result = build_tiny(tiny, tmp_path / name, env={"TMPDIR": str(folder)})
            assert result.returncode == 0, result.stderr
    finally:
        for path in sorted(memory_tmp.rglob("*"), reverse=True):
            path.rmdir() if path.is_dir() else path.unlink()
        memory_tmp.rmdir()
    assert bundle(tmp_path / "disk") and bundle(tmp_path / "disk") == bundle(tmp_path / "memory")


def fake_pagefind(folder: Path, script: str) -> Path:
    path = folder / "pagefind"
    path.write_text("#!/bin/sh\n" + script, encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


@pytest.mark.parametrize("script, said", [
    ("echo 'the index could not be written' >&2\nexit 3\n", "the index could not be written"),
    ("head -c 20 >/dev/null\nexit 0\n", "Pagefind stopped before it had indexed the site"),
    ("printf 'bm90IGFuIGFuc3dlcg==,'\nsleep 5\n", "Pagefind answered in a form it should not"),
    ("printf 'eyJtZXNzYWdlX2lkIjogMCwgInBheWxvYWQiOiAib2sifQ==,'\nsleep 5\n", "Pagefind answered in a form it should not"),
])
def test_a_pagefind_that_fails_fails_the_build_and_leaves_the_site_as_it_was(tiny, tmp_path, script, said):
    site = tmp_path / "site"
    assert build_tiny(tiny, site).returncode == 0
    before = digest_tree(site)
    shutil.rmtree(tmp_path / ".site.cache")  # else the index comes from the cache, and Pagefind is not asked
    broken = fake_pagefind(tmp_path, script)
    result = build_tiny(tiny, site, "--force", env={"PAGEFIND_BINARY_PATH": str(broken)})
    assert result.returncode == 1
    assert said in result.stderr and "Traceback" not in result.stderr
    assert digest_tree(site) == before


def test_a_missing_pagefind_is_named_with_the_command_that_installs_it(tiny, tmp_path):
    result = build_tiny(tiny, tmp_path / "site", env={"PAGEFIND_BINARY_PATH": str(tmp_path / "nowhere")})
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "Pagefind is not installed" in result.stderr and "pip install" in result.stderr


def test_an_error_answer_names_the_page_pagefind_could_not_index():
    process = PagefindProcess({"root_selector": "main"})
    try:
        process.start_reading()
        index = process.new_index()
        process.add(index + 1, "articles/alpha/index.html", b"<html lang='zh-hans'><main><p>\xe4\xb8\xad</p></main></html>")
        with pytest.raises(SearchIndexError, match="could not index articles/alpha/index.html"):
            process.files(index + 1)
    finally:
        process.close()


def test_an_index_is_the_same_bytes_however_fast_its_pages_come():
    """The process handles its messages in the order sent: pages sent one at a time, each answered
    before the next, and all sent at once, give one index."""
    pages = [(f"articles/a{n}/index.html", f'<html lang="zh-hans"><body><main><h1>第{n}篇</h1><p>阿里巴巴{n}千问</p>'
                                           f"</main></body></html>".encode("utf-8")) for n in range(12)]
    outputs = []
    for waiting in (True, False):
        process = PagefindProcess({"root_selector": "main"})
        try:
            process.start_reading()
            index = process.new_index()
            for path, page in pages:
                process.add(index, path, page)
                if waiting:
                    process.new_index()  # answered only after the page before it
            outputs.append(process.files(index))
        finally:
            process.close()
    assert outputs[0] and outputs[0] == outputs[1]


@given(st.text())
def test_a_page_s_text_is_sent_as_the_json_string_that_reads_back_as_it(text):
    assert json.loads(json_string(text.encode("utf-8", "surrogatepass").decode("utf-8", "replace").encode("utf-8"))) == \
        text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")


def count_processes(monkeypatch) -> list:
    """The Pagefind processes started from now on (their configs)."""
    from framing.search import pagefind
    started = []
    real = pagefind.PagefindProcess.__init__

    def counting(self, config):
        started.append(config)
        real(self, config)

    monkeypatch.setattr(pagefind.PagefindProcess, "__init__", counting)
    return started


@pytest.mark.parametrize("shard_size, runs, shard_bundles", [(250, 1, 0), (1, 2, 1)])
def test_a_build_starts_a_process_per_run_at_most_however_many_cores(tiny, monkeypatch, shard_size, runs, shard_bundles):
    """A warmed-up process holds the segmenter (57 MB): a machine of 64 cores building a small archive
    starts one, for its one index; with two shards, two. The second shard is one bundle beside the
    main one, for every edition."""
    from framing.search import layout as search
    from framing.pipeline import Project, build
    started = count_processes(monkeypatch)
    monkeypatch.setattr(os, "cpu_count", lambda: 64)
    monkeypatch.setattr(search, "SHARD_SIZE", shard_size)
    build(Project.at(tiny), tiny / "site", force=True)
    assert len(started) == runs
    assert len(list((tiny / "site" / "pagefind").glob("*/pagefind-entry.json"))) == shard_bundles


def test_the_seed_s_clean_build_starts_no_more_processes_than_it_has_runs(monkeypatch, tmp_path):
    """Each process loads the segmenter (a fifth of a CPU-second): every one must have a run to index."""
    from framing.pipeline import Project, build
    from conftest import REPO
    started = count_processes(monkeypatch)
    monkeypatch.setattr(os, "cpu_count", lambda: 64)
    build(Project.at(REPO), tmp_path / "site", force=True)
    bundles = list((tmp_path / "site" / "pagefind").rglob("pagefind-entry.json"))  # one per run
    assert bundles and len(started) <= len(bundles)


def test_a_process_closed_from_two_threads_at_once_closes_once():
    """The indexer stops a process once its last run is done, and the build stops them all as it
    finishes: the two may come at the same moment."""
    for _ in range(20):
        process = PagefindProcess(INDEX_CONFIG)
        process.start_reading()
        ready = threading.Barrier(4)
        failures: list[BaseException] = []

        def close() -> None:
            ready.wait()
            try:
                process.close()
            except BaseException as exc:  # whatever a close raised, reported below
                failures.append(exc)

        threads = [threading.Thread(target=close) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert failures == []
        with pytest.raises(SearchIndexError, match="stopped"):
            process.new_index()


@pytest.mark.parametrize("files, said", [
    ([{"path": "../outside.js", "content": ""}], "a file outside its bundle"),
    ([{"path": "/etc/outside", "content": ""}], "a file outside its bundle"),
    ([{"path": "pagefind.js", "content": "not base64!"}], "answered in a form it should not"),
    ([{"content": ""}], "answered in a form it should not"),
])
def test_a_bundle_with_a_file_outside_it_or_not_in_base64_is_refused(monkeypatch, files, said):
    process = PagefindProcess(INDEX_CONFIG)
    try:
        monkeypatch.setattr(process, "_answer", lambda future: {"type": "GetFiles", "files": files})
        with pytest.raises(SearchIndexError, match=said):
            process.files(0)
    finally:
        process.close()


def test_a_bundle_of_megabytes_comes_whole_through_many_reads():
    """An index's files come in one answer, read a megabyte at a time: a page of 1.2 MB of text that
    does not compress well makes an answer of several reads, and its fragment holds the whole text."""
    words = random.Random(7).choices(range(0x4E00, 0x9FA5), k=400_000)
    text = "".join(map(chr, words))
    process = PagefindProcess(INDEX_CONFIG)
    try:
        process.start_reading()
        index = process.new_index()
        process.add(index, "articles/big/index.html", f'<html lang="zh-hans"><body><main><p>{text}</p></main></body></html>'.encode())
        files = dict(process.files(index))
    finally:
        process.close()
    assert sum(len(data) for data in files.values()) > 1 << 20  # over a megabyte, base64 twice: two reads at least
    fragments = [data for path, data in files.items() if path.startswith("fragment/")]
    assert len(fragments) == 1
    content = gzip.decompress(fragments[0]).decode("utf-8").replace("\u200b", "")  # Pagefind marks where it splits words
    assert text in content
