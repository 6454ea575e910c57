"""File events for the live preview: livereload's watcher, woken by the operating system instead of a scan.

livereload on its own looks for changed files every 0.8 s, so a save waited 0.4 s on average
before the rebuild began. EventWatcher listens with watchfiles (inotify on Linux, FSEvents on
macOS, a fallback scan elsewhere) in a thread of its own, and hands each batch of changes to the
server's event loop, which tells the browsers to reload and rebuilds once for the batch before it
answers their requests.
"""

from __future__ import annotations

import sys
import threading
from typing import Callable

import watchfiles
from livereload.handlers import LiveReloadHandler
from livereload.watcher import Watcher

QUIET_MS = 20  # a batch of changes ends after this long without another (an editor's save is several events)


class EventWatcher(Watcher):
    """Watches the folders given to Server.watch(); runs rebuild() once for each batch of changes to them."""

    def __init__(self, rebuild: Callable[[], None]) -> None:
        super().__init__()
        self.rebuild = rebuild
        self.changed: list[str] = []
        self.lock = threading.Lock()  # the listener adds to changed while the event loop takes from it
        self._wake: Callable[[], None] = lambda: None

    def start(self, callback: Callable[[], None]) -> bool:
        """Called by livereload in its event loop's thread: listen from now on (True: no polling wanted)."""
        from tornado.ioloop import IOLoop

        loop = IOLoop.current()
        self._wake = lambda: loop.add_callback(callback)
        folders = list(self._tasks)
        threading.Thread(target=self._listen, args=(folders,), name="preview-watcher", daemon=True).start()
        callback()  # livereload queues a reload for browsers left open from a previous run
        return True

    def _listen(self, folders: list[str]) -> None:
        try:
            self._follow(folders, polling=None)  # watchfiles chooses: events, or polling where events do not work
        except (OSError, RuntimeError) as exc:  # e.g. the system's limit on inotify watches is reached
            print(f"file events are not available ({exc}); looking for changes every 0.3 s instead",
                  file=sys.stderr, flush=True)
            self._follow(folders, polling=True)

    def _follow(self, folders: list[str], polling: bool | None) -> None:
        for batch in watchfiles.watch(*folders, step=QUIET_MS, raise_interrupt=False, force_polling=polling,
                                      poll_delay_ms=300):
            with self.lock:
                self.changed.extend(path for _, path in batch)
            self._wake()

    def reload(self) -> None:
        """Ask the browsers to reload without a rebuild; safe to call from any thread."""
        self._changes.append(("__preview__", None))
        self._wake()

    def examine(self) -> tuple[str | None, float | None]:
        """livereload's question, asked in the event loop: what changed? Rebuilds when anything did.

        The browsers are told to reload before the rebuild starts: the event loop answers their
        requests only once the rebuild is done, so they get the new pages, while their own work of
        leaving the old page overlaps the rebuild.
        """
        if self._changes:
            return self._changes.pop()
        with self.lock:
            batch, self.changed = self.changed, []
        if not batch:
            return None, None
        self.filepath = batch[0]
        LiveReloadHandler.reload_waiters(batch[0])
        self.rebuild()
        return None, None  # already announced
