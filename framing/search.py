"""Full-text search: the rendered pages indexed with Pagefind at build time, found in either Chinese script.

Pagefind's extended build segments Chinese; each edition gets its own index (zh-hans, zh-hant, and
zh-x-en for the English edition, segmented as Chinese: see INDEX_LANGUAGES), which the search page
asks for. Pagefind is pinned to 1.4.0: 1.5.x splits Chinese differently when indexing and when
searching, and most results vanish (Pagefind issue #1237; tests/test_browser.py checks recall).

So that a query finds a passage whatever script it is typed in (黄仁勋 and 黃仁勛 find the same
pages), every index holds each page's text in Simplified script: a Simplified page as it is, any
other page with a Simplified copy of its text appended (the copy exists only in what Pagefind reads;
the published pages are unchanged). The search page looks for the query as typed and folded to
Simplified, character by character, with the table script_table() publishes (OpenCC's own, taken at
build time).

Only article and theme pages are indexed (the index, search and 404 pages would only echo them), and
of a theme page only what is its own: the passages it gathers are marked data-pagefind-ignore, since
their article pages are indexed. The bundle is written under pagefind/ (no leading dot:
actions/upload-pages-artifact drops dotfiles) and its one file with unordered keys,
pagefind-entry.json, is rewritten with sorted keys, so that two builds give the same bytes.
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
SCRIPT_TABLE = "script-table.json"  # the asset name of script_table(): the search page folds queries with it
SEARCHABLE = re.compile(r"^(?:[a-z-]+/)?(?:articles|themes)/[^/]+/index\.html$")
TIMEOUT = 300  # seconds, plus one per page: nothing may hang a build

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


_IGNORED = re.compile(r'<([a-z][a-z0-9]*)\b[^>]*\sdata-pagefind-ignore="all"[^>]*>')


def without_ignored(html: str) -> str:
    """html without the elements marked data-pagefind-ignore="all" (Pagefind would skip them, but only
    after parsing them: on a theme page they are most of the bytes)."""
    parts, position = [], 0
    while (opening := _IGNORED.search(html, position)) is not None:
        parts.append(html[position:opening.start()])
        name, depth, cursor = opening.group(1), 1, opening.end()
        tags = re.compile(rf"<(/?){name}\b[^>]*>")
        while depth and (tag := tags.search(html, cursor)) is not None:
            depth += -1 if tag.group(1) else 1
            cursor = tag.end()
        position = cursor if depth == 0 else len(html)
    parts.append(html[position:])
    return "".join(parts)


def for_indexing(html: str, converter: ScriptConverter) -> str:
    """The page as Pagefind reads it: <main>, then a Simplified copy of its text where that differs."""
    lang_match, main_match = _LANG.search(html), _MAIN.search(html)
    if not lang_match or not main_match:
        return html
    lang, inner = lang_match.group(1), without_ignored(main_match.group(2))
    # OpenCC converts whichever characters it knows, so converting from Traditional is safe for the
    # English edition's mixed text too; ids are dropped so no heading anchors the copy.
    copy = _ID.sub("", converter.html(inner, "zh-Hant", "zh-Hans"))
    # The results list shows each page's title: tell it the title's lang (an English page's article title is Chinese).
    heading = _H1_LANG.search(inner)
    extra = f'<span data-pagefind-meta="title_lang:{heading.group(1) if heading else lang}"></span>'
    if copy != _ID.sub("", inner):
        extra += f"<div>{copy}</div>"
    html = html[:main_match.start(2)] + inner + extra + html[main_match.start(3):]
    if lang in INDEX_LANGUAGES:
        html = html.replace(f'<html lang="{lang}"', f'<html lang="{INDEX_LANGUAGES[lang]}"', 1)
    return html


# Every Han character OpenCC knows: the CJK Unified Ideographs, Extension A and the compatibility block.
_HAN_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))


def script_table(converter: ScriptConverter) -> bytes:
    """Every Han character that has another Simplified form, as JSON {"from": characters, "to": their
    Simplified forms, character for character}: what
    the search page folds a query with (a character at a time, so phrase-level choices are OpenCC's
    defaults; the query as typed is looked for too)."""
    characters = [chr(code) for first, last in _HAN_RANGES for code in range(first, last + 1)]
    folded = converter.text("\n".join(characters), "zh-Hant", "zh-Hans").split("\n")
    if len(folded) != len(characters):  # a conversion that joined or split lines: fold one at a time
        folded = [converter.text(character, "zh-Hant", "zh-Hans") for character in characters]
    pairs = [(source, target) for source, target in zip(characters, folded) if target != source and len(target) == 1]
    table = {"from": "".join(source for source, _ in pairs), "to": "".join(target for _, target in pairs)}
    return json.dumps(table, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def is_searchable(path: str) -> bool:
    """Whether the page at this output path is indexed (article and theme pages)."""
    return bool(SEARCHABLE.match(path))


def searchable(files: dict[str, bytes]) -> list[str]:
    return sorted(path for path in files if is_searchable(path))


def _executable() -> Path:
    try:
        from pagefind.service import get_executable
    except ImportError:
        get_executable = None
    found = get_executable() if get_executable else None
    if found is None or not Path(found).is_file():
        raise SearchIndexError("Pagefind is not installed: run 'python -m pip install -c constraints.txt -e .'")
    return Path(found)


def _launch(staging: Path, out: Path, log: Path) -> subprocess.Popen:
    """Start one indexer run; what it prints goes to log (a pipe nobody reads while the build goes on could fill and stall it)."""
    command = [str(_executable()), "--site", str(staging), "--output-path", str(out), "--root-selector", "main"]
    try:
        with log.open("w", encoding="utf-8") as output:
            return subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, env=os.environ | {"NO_COLOR": "1"})
    except OSError as exc:
        raise SearchIndexError(f"Pagefind could not start: {exc}") from None


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


def _run_of(path: str) -> str:
    """Which indexer run a page goes to: the Chinese editions share one, the English edition has its own."""
    return "en" if path.startswith("en/") else "zh"


class SearchIndexer:
    """Pagefind's indexer running over the searchable pages of a build, in the background.

    Creating one stages the pages and starts the indexer: one run for every edition, since each
    run loads the Chinese segmenter once and a build on two cores has one to spare while it renders
    the other pages. bundle() waits for it and returns the bundle as {path under the site: bytes}.
    Use it as a context manager so that a failed build stops the run and removes the staging
    folder. Result URLs are stored relative to the site root; pagefind.js prefixes the path it was
    loaded from, so the same index works under any base path.

    (Pagefind's Python API answers through a 2 MiB pipe buffer that the bundle overflows, and it
    waits 0.1 s per page; a run of the binary does not.)
    """

    def __init__(self, files: dict[str, bytes], converter: ScriptConverter) -> None:
        self._folder = tempfile.TemporaryDirectory(prefix="framing-search-")
        self._runs: list[tuple[subprocess.Popen, Path, Path]] = []  # (run, its output folder, its log)
        try:
            root = Path(self._folder.name)
            paths = searchable(files)
            self._timeout = TIMEOUT + len(paths)
            groups: dict[str, list[str]] = {}
            for path in paths:
                groups.setdefault(_run_of(path), []).append(path)
            for name, pages in sorted(groups.items()):
                staging, out, log = root / f"site-{name}", root / f"pagefind-{name}", root / f"log-{name}.txt"
                for path in pages:
                    target = staging / path
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_text(for_indexing(files[path].decode("utf-8"), converter), encoding="utf-8")
                self._runs.append((_launch(staging, out, log), out, log))
        except BaseException:
            self.close()
            raise

    def bundle(self) -> dict[str, bytes]:
        """Wait for the runs and merge what they wrote."""
        try:
            for process, out, log in self._runs:
                try:
                    process.wait(timeout=self._timeout)
                except subprocess.TimeoutExpired:
                    raise SearchIndexError(f"Pagefind did not finish within {self._timeout} s") from None
                if process.returncode != 0 or not (out / "pagefind.js").is_file():
                    printed = log.read_text(encoding="utf-8", errors="replace").strip()
                    raise SearchIndexError("Pagefind could not index the site:\n" + printed[-2000:])
            bundle = _merge([out for _, out, _ in self._runs])
        finally:
            self.close()
        if BUNDLE + "pagefind.js" not in bundle:
            raise SearchIndexError("Pagefind wrote no pagefind.js")
        return bundle

    def close(self) -> None:
        """Stop any run still going and remove the staging folder."""
        for process, _, _ in self._runs:
            if process.poll() is None:
                process.kill()
            process.wait()
        self._runs = []
        self._folder.cleanup()

    def __enter__(self) -> "SearchIndexer":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def search_bundle(files: dict[str, bytes], converter: ScriptConverter | None = None) -> dict[str, bytes]:
    """The Pagefind bundle for these rendered files, as {path under the site: bytes}."""
    with SearchIndexer(files, converter or ScriptConverter()) as indexer:
        return indexer.bundle()
