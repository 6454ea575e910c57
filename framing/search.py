"""Full-text search: the rendered pages indexed with Pagefind at build time, in both Chinese scripts.

Pagefind's extended build segments Chinese; each edition gets its own index (zh-hans, zh-hant, and
zh-x-en for the English edition, segmented as Chinese: see INDEX_LANGUAGES), which the search page
asks for. Pagefind is pinned to 1.4.0: 1.5.x splits Chinese differently when indexing and when
searching, and most results vanish (Pagefind issue #1237; tests/test_browser.py checks recall). So that a query finds a passage whatever script it is
typed in (黄仁勋 and 黃仁勛 find the same pages), every page is indexed with a copy of its text in
the other script appended: a Traditional page also as Simplified, a Simplified page also as
Traditional, an English page (whose Chinese is shown as captured) in both. The copy exists only in
what Pagefind reads; the published pages are unchanged.

Only article and theme pages are indexed (the index, search and 404 pages would only echo them).
The bundle is written under pagefind/ (no leading dot: actions/upload-pages-artifact drops dotfiles)
and its one file with unordered keys, pagefind-entry.json, is rewritten with sorted keys, so that
two builds give the same bytes.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import tempfile
from pathlib import Path

from .editions import ScriptConverter
from .errors import FramingError

BUNDLE = "pagefind/"
SEARCHABLE = re.compile(r"^(?:[a-z-]+/)?(?:articles|themes)/[^/]+/index\.html$")
TIMEOUT = 300  # seconds; the indexer takes about one, but nothing may hang a build

# Pagefind segments Chinese only in an index whose language is Chinese. The English edition shows
# every article in Chinese, so it is indexed as Chinese too (English words still split at spaces),
# under its own language key; search.js asks for that index on the English search page.
INDEX_LANGUAGES = {"en": "zh-x-en"}

_LANG = re.compile(r'<html lang="([^"]+)"')
_MAIN = re.compile(r"(<main\b[^>]*>)(.*)(</main>)", re.S)
_H1_LANG = re.compile(r'<h1\b[^>]*\blang="([^"]+)"')
_ID = re.compile(r'\s(?:id|aria-labelledby)="[^"]*"')
# The search bundle needs pagefind.js, its worker, its WebAssembly and the index; not the UI kits.
_UNUSED = re.compile(r"^pagefind-(?:(?:component-|modular-)?ui\.(?:js|css)|highlight\.js)$")


class SearchIndexError(FramingError):
    """Pagefind is missing or failed."""


def index_language(lang: str) -> str:
    """The key of the index that pages in lang are searched in (what search.js asks Pagefind for)."""
    return INDEX_LANGUAGES.get(lang, lang).lower()


def fold_scripts(lang: str) -> tuple[str, ...]:
    """The scripts a page in lang is also indexed in."""
    return {"zh-Hans": ("zh-Hant",), "zh-Hant": ("zh-Hans",)}.get(lang, ("zh-Hans", "zh-Hant"))


def for_indexing(html: str, converter: ScriptConverter) -> str:
    """The page as Pagefind reads it: <main> followed by its text in the other script(s)."""
    lang_match, main_match = _LANG.search(html), _MAIN.search(html)
    if not lang_match or not main_match:
        return html
    lang, inner = lang_match.group(1), main_match.group(2)
    copies = []
    for script in fold_scripts(lang):
        # OpenCC converts whichever characters it knows, so converting from either side is safe for
        # the English edition's mixed text; ids are dropped so no heading anchors the copy.
        copy = _ID.sub("", converter.html(inner, "zh-Hant" if script == "zh-Hans" else "zh-Hans", script))
        if copy != inner and copy not in copies:
            copies.append(copy)
    # The results list shows each page's title: tell it the title's lang (an English page's article title is Chinese).
    heading = _H1_LANG.search(inner)
    extra = f'<span data-pagefind-meta="title_lang:{heading.group(1) if heading else lang}"></span>'
    extra += "".join(f"<div>{copy}</div>" for copy in copies)
    html = html[:main_match.start(3)] + extra + html[main_match.start(3):]
    if lang in INDEX_LANGUAGES:
        html = html.replace(f'<html lang="{lang}"', f'<html lang="{INDEX_LANGUAGES[lang]}"', 1)
    return html


def searchable(files: dict[str, bytes]) -> list[str]:
    return sorted(path for path in files if SEARCHABLE.match(path))


def _executable() -> Path:
    try:
        from pagefind.service import get_executable
    except ImportError:
        get_executable = None
    found = get_executable() if get_executable else None
    if found is None or not Path(found).is_file():
        raise SearchIndexError("Pagefind is not installed: run 'python -m pip install -c constraints.txt -e .'")
    return Path(found)


def _index_all(jobs: list[tuple[Path, Path]]) -> None:
    """Run Pagefind's indexer once per staged folder, side by side (each run loads one language's
    segmenter and uses one core, so the editions are indexed in parallel).

    (Its Python API answers through a 2 MiB pipe buffer that the bundle overflows, and it waits
    0.1 s per page; runs of the binary do not.)"""
    running = []
    try:
        for staging, out in jobs:
            command = [str(_executable()), "--site", str(staging), "--output-path", str(out), "--root-selector", "main"]
            running.append((subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                             env=os.environ | {"NO_COLOR": "1"}), out))
        for process, out in running:
            output, _ = process.communicate(timeout=TIMEOUT)
            if process.returncode != 0 or not (out / "pagefind.js").is_file():
                raise SearchIndexError("Pagefind could not index the site:\n" + output.strip()[-2000:])
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise SearchIndexError(f"Pagefind could not index the site: {exc}") from None
    finally:
        for process, _ in running:
            if process.poll() is None:
                process.kill()
                process.wait()


def _merge(outs: list[Path]) -> dict[str, bytes]:
    """One bundle from several runs: the union of their files, and one entry listing every language."""
    bundle: dict[str, bytes] = {}
    entry: dict | None = None
    for out in outs:
        for file in sorted(out.rglob("*")):
            relative = file.relative_to(out).as_posix()
            if not file.is_file() or _UNUSED.match(relative):
                continue
            data = file.read_bytes()
            if relative == "pagefind-entry.json":
                loaded = json.loads(data)
                if entry is None:
                    entry = loaded
                else:
                    entry["languages"].update(loaded["languages"])
                continue
            if bundle.get(BUNDLE + relative, data) != data:
                raise SearchIndexError(f"two Pagefind runs wrote different files at {relative}")
            bundle[BUNDLE + relative] = data
    if entry is not None:
        bundle[BUNDLE + "pagefind-entry.json"] = json.dumps(entry, sort_keys=True, ensure_ascii=False,
                                                            separators=(",", ":")).encode("utf-8")
    return bundle


def _edition_of(path: str) -> str:
    first = path.split("/", 1)[0]
    return first if first in ("zh-hans", "zh-hant", "en") else ""


def search_bundle(files: dict[str, bytes], converter: ScriptConverter | None = None) -> dict[str, bytes]:
    """The Pagefind bundle for these rendered files, as {path under the site: bytes}.

    Result URLs are stored relative to the site root; pagefind.js prefixes the path it was loaded
    from, so the same index works under any base path."""
    converter = converter or ScriptConverter()
    with tempfile.TemporaryDirectory(prefix="framing-search-") as tmp:
        jobs: dict[str, tuple[Path, Path]] = {}
        for path in searchable(files):
            edition = _edition_of(path)
            staging, out = jobs.setdefault(edition, (Path(tmp) / f"site-{edition or 'default'}",
                                                     Path(tmp) / f"pagefind-{edition or 'default'}"))
            target = staging / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(for_indexing(files[path].decode("utf-8"), converter), encoding="utf-8")
        ordered = [jobs[key] for key in sorted(jobs)]
        _index_all(ordered)
        bundle = _merge([out for _, out in ordered])
    if BUNDLE + "pagefind.js" not in bundle:
        raise SearchIndexError("Pagefind wrote no pagefind.js")
    return bundle
