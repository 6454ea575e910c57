"""One Pagefind indexer process, driven through its service protocol (`pagefind --service`).

A request is a JSON object {"message_id", "payload"}, base64-encoded and followed by a comma, on the
process's standard input; each answer comes back the same way on its standard output, naming the
message it answers. The process holds any number of indexes in memory (NewIndex), takes pages one by
one (AddFile), gives an index's bundle (GetFiles) and forgets it (DeleteIndex). It handles its
messages one at a time, in the order sent, so an index's bundle depends only on the pages added and
their order, not on how fast they came.

The bundle is taken in memory, not written by Pagefind into a folder (WriteFiles): Pagefind writes
through tokio's File, which hands each write to a thread of its own and is never flushed, so
WriteFiles answers before the last bytes of its files are on disk. A build that read them at once,
or stopped the process, could get a file cut short (it did: pagefind.js, once in a run of the tests).

Each process loads Pagefind's Chinese segmenter once, at the first Chinese page (0.2 s): warm()
makes it do that while the build is still loading content. A thread reads the answers as they come,
so that a full pipe never stalls the process, and at most IN_FLIGHT pages are sent and not yet
answered, so that the process never holds a backlog of pages in memory.
"""

from __future__ import annotations

import base64
import concurrent.futures
import json
import os
import re
import subprocess
import tempfile
import threading
from concurrent.futures import Future
from pathlib import Path
from typing import Callable

from framing.errors import FramingError

IN_FLIGHT = 32  # pages sent to one process and not yet indexed
# How every index is made: Pagefind reads only <main>, and every record as Simplified Chinese (one
# index for the three editions: framing/search/searchrecords.py), whatever its lang says.
INDEX_CONFIG = {"root_selector": "main", "force_language": "zh-hans"}
# A Chinese page, small enough to index at once: indexing it loads the segmenter.
_WARM_UP = '<html lang="zh-hans"><body><main><h1>索引</h1><p>中文分词</p></main></body></html>'


class SearchIndexError(FramingError):
    """Pagefind is missing or failed."""


def executable() -> Path:
    """Pagefind's extended binary (the one that segments Chinese), found as the pagefind package finds
    it, but without importing that package's service, which starts asyncio (0.08 s of every build)."""
    found = os.environ.get("PAGEFIND_BINARY_PATH")
    if not found:
        try:
            from pagefind_bin_extended import get_executable
            found = get_executable()
        except (ImportError, FileNotFoundError):
            found = None
    if found is None or not Path(found).is_file():
        raise SearchIndexError("Pagefind is not installed: run 'python -m pip install -c constraints.txt -e .'")
    return Path(found)


def _encoded(message_id: int, payload: dict) -> bytes:
    text = json.dumps({"message_id": message_id, "payload": payload}, ensure_ascii=False, separators=(",", ":"))
    return base64.b64encode(text.encode("utf-8")) + b","


_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def json_string(text: bytes) -> bytes:
    """UTF-8 text as a JSON string, escaped as bytes: a page's text is sent as one, and escaping it
    without decoding it and encoding it again takes 40 % less time (a build of 10,000 articles sends
    a gigabyte)."""
    if _CONTROL.search(text):  # rare in a page: json does the rest
        return json.dumps(text.decode("utf-8"), ensure_ascii=False).encode("utf-8")
    escaped = text.replace(b"\\", b"\\\\").replace(b'"', b'\\"').replace(b"\n", b"\\n").replace(b"\r", b"\\r")
    return b'"' + escaped.replace(b"\t", b"\\t") + b'"'


class PagefindProcess:
    """A running `pagefind --service`: new_index(), add(), files() and delete() each send one request;
    add() returns once the page is sent (its answer is checked later), the others once answered.
    Whatever goes wrong (an error answer, the process gone) is raised as SearchIndexError, by the call
    waiting or by the next one. Only one thread at a time may send; close() may come from any."""

    def __init__(self, config: dict) -> None:
        self._config = config
        self._log = tempfile.TemporaryFile()  # what the process prints: a pipe nobody reads could fill and stall it
        try:
            self._process = subprocess.Popen([str(executable()), "--service"], stdin=subprocess.PIPE,
                                             stdout=subprocess.PIPE, stderr=self._log, env=os.environ | {"NO_COLOR": "1"})
        except OSError as exc:
            self._log.close()
            raise SearchIndexError(f"Pagefind could not start: {exc}") from None
        self._lock = threading.Lock()  # guards the answers awaited and the failure
        self._answers: dict[int, tuple[Future, str]] = {}
        self._next_id = 0
        self._failure: SearchIndexError | None = None
        self._room = threading.Semaphore(IN_FLIGHT)  # pages that may be sent before one is answered
        self._sent: list[Future] = []  # pages sent, not yet known to be indexed
        self._reader: threading.Thread | None = None
        self._closing = threading.Lock()  # close() may come from two threads at once

    def start_reading(self) -> None:
        """Start the thread that reads the answers. Separate from starting the process, so that a
        build can start Pagefind before it forks its rendering workers and start threads after. Under
        the lock close() takes, so that close() never finds a thread made but not yet started."""
        with self._closing:
            if self._reader is None:
                self._reader = threading.Thread(target=self._read, name="pagefind-answers", daemon=True)
                self._reader.start()

    def warm(self) -> None:
        """Have the process load its segmenter now, in an index of its own that is then forgotten.
        The first request to a process; sent without waiting (the answers are read once
        start_reading() is called)."""
        if self._next_id:
            raise ValueError("warm() must be the first request to the process")
        self._send({"type": "NewIndex", "config": self._config}, "make an index")  # index 0
        self._send({"type": "AddFile", "index_id": 0, "file_path": "warm-up/index.html", "file_contents": _WARM_UP},
                   "load its Chinese segmenter")
        self._send({"type": "DeleteIndex", "index_id": 0}, "forget an index")

    def new_index(self) -> int:
        return int(self._answer(self._send({"type": "NewIndex", "config": self._config}, "make an index"))["index_id"])

    def add(self, index: int, path: str, page: bytes) -> None:
        """Send one page (as the indexer reads it: framing/search/indexer.py staged_for_search) to an index;
        an error indexing it is raised by a later call."""
        self._room.acquire()
        try:
            future = self._send_message(lambda message_id: base64.b64encode(
                b'{"message_id":%d,"payload":{"type":"AddFile","index_id":%d,"file_path":%s,"file_contents":%s}}'
                % (message_id, index, json_string(path.encode("utf-8")), json_string(page))) + b",", f"index {path}")
        except BaseException:
            self._room.release()
            raise
        future.add_done_callback(lambda _: self._room.release())
        self._sent.append(future)
        if len(self._sent) > 64:
            self._settled()

    def files(self, index: int) -> list[tuple[str, bytes]]:
        """An index's bundle, as (path in the bundle, bytes) of each file (the process indexes every
        page sent before it first)."""
        answer = self._answer(self._send({"type": "GetFiles", "index_id": index}, "give an index's files"))
        try:
            files = [(str(file["path"]), base64.b64decode(file["content"], validate=True)) for file in answer["files"]]
        except (KeyError, TypeError, ValueError):  # binascii.Error is a ValueError
            raise SearchIndexError("Pagefind answered in a form it should not") from None
        for path, _ in files:
            if "\\" in path or any(part in ("", ".", "..") for part in path.split("/")):
                raise SearchIndexError(f"Pagefind gave a file outside its bundle: {path!r}")
        return files

    def delete(self, index: int) -> None:
        """Forget an index (and the memory it holds)."""
        self._answer(self._send({"type": "DeleteIndex", "index_id": index}, "forget an index"))

    def _settled(self) -> None:
        """Raise the error of a page sent and answered with one; forget the pages answered."""
        for future in self._sent:
            if future.done() and future.exception() is not None:
                raise future.exception()
        self._sent = [future for future in self._sent if not future.done()]

    def close(self) -> None:
        """Stop the process (what it made is ours once files() returned) and the reading thread."""
        with self._closing:
            if self._process.poll() is None:
                self._process.kill()
            self._process.wait()
            if self._reader is not None:
                self._reader.join()
            for stream in (self._process.stdin, self._process.stdout):
                try:
                    stream.close()
                except OSError:
                    pass
            self._fail(SearchIndexError("the build stopped"))
            self._log.close()

    # ------------------------------------------------------------ the protocol

    def _send(self, payload: dict, what: str) -> Future:
        return self._send_message(lambda message_id: _encoded(message_id, payload), what)

    def _send_message(self, encoded: Callable[[int], bytes], what: str) -> Future:
        """Send the request encoded(message id); its answer settles the future returned."""
        future: Future = Future()
        with self._lock:
            if self._failure is not None:
                raise self._failure
            message_id, self._next_id = self._next_id, self._next_id + 1
            self._answers[message_id] = (future, what)
        try:
            self._process.stdin.write(encoded(message_id))
            self._process.stdin.flush()
        except (OSError, ValueError):
            self._fail(self._stopped())
            raise self._failure from None
        return future

    def _answer(self, future: Future) -> dict:
        """The answer to a request, once it comes; the error of a page sent before it is raised first."""
        concurrent.futures.wait([future])
        self._settled()
        return future.result()

    def _read(self) -> None:
        """Read answers until the process ends, settling the future of each message answered."""
        stream, pending = self._process.stdout, []  # the start of an answer not yet read to its end
        while True:
            chunk = stream.read1(1 << 20)
            if not chunk:
                break
            *complete, rest = chunk.split(b",")
            if complete:  # an answer's end: a bundle's files come in one answer of megabytes, in many reads
                complete[0], pending = b"".join(pending) + complete[0], []
            pending.append(rest)
            for encoded in complete:
                try:
                    answer = json.loads(base64.b64decode(encoded))
                    message_id, payload = int(answer["message_id"]), dict(answer["payload"])
                except (ValueError, KeyError, TypeError):
                    self._fail(SearchIndexError("Pagefind answered in a form it should not"))
                    return
                with self._lock:
                    future, what = self._answers.pop(message_id, (None, ""))
                if future is None:
                    continue
                if payload.get("type") == "Error":
                    future.set_exception(SearchIndexError(f"Pagefind could not {what}: {payload.get('message', '')}"))
                else:
                    future.set_result(payload)
        self._fail(self._stopped())

    def _stopped(self) -> SearchIndexError:
        """The error of a process that ended with work outstanding, with the end of what it printed."""
        try:
            self._process.wait(timeout=5)
            self._log.seek(0)
            printed = self._log.read().decode("utf-8", "replace").strip()
        except (OSError, ValueError, subprocess.TimeoutExpired):
            printed = ""
        return SearchIndexError("Pagefind stopped before it had indexed the site" + (":\n" + printed[-2000:] if printed else ""))

    def _fail(self, error: SearchIndexError) -> None:
        """Settle every answer still awaited with error, and refuse what is sent afterwards."""
        with self._lock:
            if self._failure is None:
                self._failure = error
            waiting, self._answers = list(self._answers.values()), {}
        for future, _ in waiting:
            if not future.done():
                future.set_exception(self._failure)


class PagefindProcesses:
    """The Pagefind processes a build indexes with, each warmed up as it starts, so that it has
    loaded its segmenter when the first pages come: at first count of them, and grow() adds more.
    A build starts one before it imports its libraries, and the indexer more, up to one per core,
    where the archive has more runs (shards): a process is started only for a run to index. No thread is started here:
    the build forks its rendering workers after this (PagefindProcess.start_reading is for the
    indexer to call). Closed by the indexer, or as a context manager."""

    def __init__(self, count: int = 1) -> None:
        self.processes: list[PagefindProcess] = []
        self.grow(count)

    def grow(self, count: int) -> None:
        """Start (and warm up) processes until there are count."""
        try:
            while len(self.processes) < count:
                self.processes.append(PagefindProcess(INDEX_CONFIG))
                self.processes[-1].warm()
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        for process in self.processes:
            process.close()

    def __enter__(self) -> "PagefindProcesses":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
