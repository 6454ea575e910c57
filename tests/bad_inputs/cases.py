"""A corpus of broken and hostile inputs, each a change to the tiny archive of tests/conftest.py.

Each Case names what it breaks, how (a function that edits the written project folder), and the
exact lines the command must print: 'file:line: what is wrong' (the line where the file has one)
and the 'fix:' text. tests/test_bad_inputs.py runs every case through `build.py build` (all of them
in-process, those marked cli=True also as a real subprocess) and requires exit status 1, every
expected text, no traceback and the previous site/ untouched. A case may run another command
(`argv`), e.g. `import` with a hostile --slug.

HOSTILE lists inputs that must build: raw HTML, <script>, event handlers and javascript: URLs in
annotations and in front-matter titles are text to escape (titles, labels, glosses) or markup to
strip (annotation markdown goes through the nh3 sanitiser); the test inspects the built pages.
Where a hostile value can only be a mistake (a javascript: source URL), it is an error, in CASES.

Cases already in tests/test_content_errors.py (unknown theme/claim, quote nowhere/twice/empty,
GBK/Big5 theme files, BOM, CRLF, NUL, a 60 MB theme file …) are not repeated here unless the
file kind differs.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import sys

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from conftest import CAPTURE_HANS, sha, tiny_files  # noqa: E402


@dataclass(frozen=True)
class Case:
    name: str
    change: Callable[[Path], None]
    expected: tuple[str, ...]
    cli: bool = False  # also run through a real `python build.py` subprocess
    argv: Callable[[Path], list[str]] | None = None  # the command, when it is not `build`


# ---------------------------------------------------------------- edits of a written project

def _path(project: Path, name: str) -> Path:
    return project / name if name.split("/")[0] in ("templates", "content") else project / "content" / name


def edit(name: str, old: str | bytes, new: str | bytes, count: int = 1):
    def change(project: Path) -> None:
        path = _path(project, name)
        if isinstance(old, bytes):
            data = path.read_bytes()
            assert old in data, (name, old)
            path.write_bytes(data.replace(old, new, count))
        else:
            text = path.read_text(encoding="utf-8")
            assert old in text, (name, old)
            path.write_text(text.replace(old, new, count), encoding="utf-8")
    return change


def put(name: str, data: str | bytes):
    def change(project: Path) -> None:
        path = _path(project, name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return change


def encode(name: str, encoding: str, replacements: tuple[tuple[str, str], ...] = ()):
    """Re-save a file in a legacy encoding (after replacing characters it cannot hold)."""
    def change(project: Path) -> None:
        path = _path(project, name)
        text = path.read_text(encoding="utf-8")
        for old, new in replacements:
            text = text.replace(old, new)
        path.write_bytes(text.encode(encoding))
    return change


def drop(name: str):
    def change(project: Path) -> None:
        path = _path(project, name)
        shutil.rmtree(path) if path.is_dir() and not path.is_symlink() else path.unlink()
    return change


def link(name: str, target: Callable[[Path], Path | str]):
    """Replace content/<name> by a symbolic link to target(project)."""
    def change(project: Path) -> None:
        path = _path(project, name)
        destination = target(project)
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        elif path.exists() or path.is_symlink():
            path.unlink()
        os.symlink(destination, path)
    return change


def outside(project: Path, name: str, data: str = "") -> Path:
    """A file (or folder, when name ends in /) next to the project, outside content/."""
    path = project.parent / "elsewhere" / name.rstrip("/")
    if name.endswith("/"):
        path.mkdir(parents=True, exist_ok=True)
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(data, encoding="utf-8")
    return path


def huge(name: str, megabytes: int):
    """A file of that size, written in chunks (never kept in the repository)."""
    def change(project: Path) -> None:
        path = _path(project, name)
        chunk = ("长文。" * 100 + "\n").encode("utf-8")
        with open(path, "wb") as handle:
            handle.write(b"---\ntitle: x\n---\n")
            for _ in range(megabytes * 1024 * 1024 // len(chunk) + 1):
                handle.write(chunk)
    return change


def steps(*changes):
    def change(project: Path) -> None:
        for step in changes:
            step(project)
    return change


def gamma_sharing(capture: str):
    """A third article, a copy of alpha whose capture is `capture` (a copy of a.txt)."""
    def change(project: Path) -> None:
        text = (project / "content/articles/alpha.md").read_text(encoding="utf-8")
        (project / f"content/captures/{capture}").write_text(CAPTURE_HANS, encoding="utf-8")
        (project / "content/articles/gamma.md").write_text(text.replace("capture: a.txt", f"capture: {capture}"), encoding="utf-8")
    return change


def importing(slug: str, capture_name: str = "capture.txt", text: str = "正文。\n"):
    """`build.py import CAPTURE --slug SLUG` with a capture written next to the project."""
    def argv(project: Path) -> list[str]:
        capture = project.parent / "incoming" / capture_name
        capture.parent.mkdir(parents=True, exist_ok=True)
        capture.write_text(text, encoding="utf-8")
        return ["import", str(capture), "--slug", slug, "--content", str(project / "content")]
    return argv


def building(out: str):
    """`build.py build --out OUT`, OUT relative to the project folder."""
    def argv(project: Path) -> list[str]:
        return ["build", "--content", str(project / "content"), "--templates", str(project / "templates"),
                "--out", str(project / out)]
    return argv


def no_change(project: Path) -> None:
    pass


BIG5_BETA = (("测试媒体", "測試媒體"),)
ANN = "annotations/alpha.md"

# ---------------------------------------------------------------- the corpus

CASES: list[Case] = [
    # YAML that does not parse
    Case("yaml: tab indentation in a claim", edit("claims/denial.md", "    title: 报道", "\ttitle: 报道"),
         ("content/claims/denial.md:7: the YAML does not parse", "fix: YAML does not allow tab characters for indentation")),
    Case("yaml: unclosed double quote", edit("articles/alpha.md", "title: 文章alpha", 'title: "文章alpha'),
         ("content/articles/alpha.md:2: the YAML does not parse",
          "fix: the quote opened on this line is never closed: add the closing quote"), cli=True),
    Case("yaml: unclosed single quote in site.yaml", edit("site.yaml", "title: 测试档案", "title: '测试档案"),
         ("content/site.yaml:1: the YAML does not parse", "fix: the quote opened on this line is never closed")),
    Case("yaml: unclosed bracket", edit("articles/alpha.md", "authors: [作者甲]", "authors: [作者甲"),
         ("content/articles/alpha.md:4: the YAML does not parse", "fix: the bracket opened on this line is never closed")),
    Case("yaml: stray --- inside front matter", edit("articles/alpha.md", "outlet: 测试媒体\n", "outlet: 测试媒体\n---\n"),
         ("content/articles/alpha.md:4: this '---' closes the front matter early; the fields after it, up to the '---' on line 17, are not read",
          "fix: remove the stray '---' line"), cli=True),
    Case("yaml: stray --- in site.yaml", edit("site.yaml", "themes:", "---\nthemes:"),
         ("content/site.yaml:7: the YAML does not parse: but found another document",
          "fix: remove the stray '---' line: the file holds one set of fields")),
    Case("yaml: unquoted colon in a value", edit("themes/accusation.md", "title: 指控", "title: 指控: 美方"),
         ("content/themes/accusation.md:2: the YAML does not parse: mapping values are not allowed here",
          "fix: check the indentation and quoting on this line")),
    Case("yaml: front matter is a list", put("themes/statistics.md", "---\n- 数字\n---\n介绍。\n"),
         ("content/themes/statistics.md:2: the front matter is not a set of 'key: value' fields", "fix: write one field per line")),
    Case("yaml: no front matter", put("themes/statistics.md", "数字\n\n介绍。\n"),
         ("content/themes/statistics.md:1: the file does not start with front matter", "fix: begin the file with a line '---'")),
    Case("yaml: duplicate key in a claim", edit("claims/denial.md", "label: 阿里巴巴否认\n", "label: 阿里巴巴否认\nlabel: 否认\n"),
         ("content/claims/denial.md:4: the key 'label' appears twice (first on line 3)", "fix: keep one of them")),
    Case("yaml: site.yaml is one word", put("site.yaml", "archive\n"),
         ("content/site.yaml:1: site.yaml is not a set of 'key: value' fields", "fix: see EDITING.md")),

    # missing or wrongly typed fields
    Case("field: claim without label", edit("claims/denial.md", "label: 阿里巴巴否认\n", ""),
         ("content/claims/denial.md:2: the required field 'label' is missing or empty", "fix: add 'label: …' (text)")),
    Case("field: title is a list", edit("articles/alpha.md", "title: 文章alpha", "title: [文章, alpha]"),
         ("content/articles/alpha.md:2: 'title' must be text, not a list", "fix: write 'title: some text' (in quotes if it holds")),
    Case("field: outlet is a mapping", edit("articles/beta.md", "outlet: 测试媒体", "outlet: {name: 测试媒体}"),
         ("content/articles/beta.md:3: 'outlet' must be text, not a set of fields",)),
    Case("field: authors is a mapping", edit("articles/alpha.md", "authors: [作者甲]", "authors: {first: 作者甲}"),
         ("content/articles/alpha.md:4: 'authors' must be a list of text", "fix: write 'authors: [one, two]'")),
    Case("field: sources is not a list", edit("articles/alpha.md", "sources:\n  - url: https://example.org/alpha", "sources: https://example.org/alpha"),
         ("content/articles/alpha.md:6: 'sources' must be a list of entries", "fix: write each entry on a line starting with '- '")),
    Case("field: unknown script", edit("articles/beta.md", "script: zh-Hant", "script: zh-Hans-TW"),
         ("content/articles/beta.md:8: 'zh-Hans-TW' is not a valid script (did you mean 'zh-Hans'?)", "fix: use one of: zh-Hans, zh-Hant")),
    Case("field: sha256 missing", edit("articles/beta.md", "sha256:", "sha_256:"),
         ("content/articles/beta.md:2: the required field 'sha256' is missing or empty",
          "content/articles/beta.md:10: unknown field 'sha_256' (did you mean 'sha256'?)")),
    Case("field: site.yaml lists no themes", edit("site.yaml", "themes: [accusation, statistics]", "themes: []"),
         ("content/site.yaml:7: 'themes' must list at least one theme", "fix: write 'themes: [accusation, statistics]'")),
    Case("field: theme listed twice", edit("site.yaml", "themes: [accusation, statistics]", "themes: [accusation, statistics, accusation]"),
         ("content/site.yaml:7: a theme is listed twice", "fix: list each theme once")),

    # unknown keys, with a suggestion
    Case("key: unknown site.yaml field", edit("site.yaml", "base_url: /", "base_ur: /"),
         ("content/site.yaml:5: unknown field 'base_ur' (did you mean 'base_url'?)",), cli=True),
    Case("key: unknown field in a claim source", edit("claims/denial.md", "publisher: 测试社", "publsher: 测试社"),
         ("content/claims/denial.md:6: unknown field 'publsher' (did you mean 'publisher'?)",
          "content/claims/denial.md:6: the required field 'publisher' is missing or empty")),
    Case("key: unknown field in a theme", edit("themes/accusation.en.md", "title: The accusation", "titel: The accusation"),
         ("content/themes/accusation.en.md:2: unknown field 'titel' (did you mean 'title'?)",)),
    Case("key: unknown annotation key", edit(ANN, "claim: downloads", "claim: downloads\nsufix: 次"),
         ("content/annotations/alpha.md:14: unknown key 'sufix:' (did you mean 'suffix'?)", "fix: use one of: theme, claim")),
    Case("key: unknown key in an English section", edit("annotations/alpha.en.md", "gloss:", "glos:"),
         ("content/annotations/alpha.en.md:3: unknown key 'glos:' in an English section", "fix: an English section takes only 'gloss:'")),

    # invalid, impossible and future dates
    Case("date: month 13", edit("claims/denial.md", "date: 2025-11-15", "date: 2025-13-01"),
         ("content/claims/denial.md:8: date: '2025-13-01' is an impossible date (month must be in 1..12)",
          "fix: write YYYY-MM-DD")),
    Case("date: 29 February of a common year", edit("articles/beta.md", "published: 2025-11-14", "published: 2025-02-29"),
         ("content/articles/beta.md:5: published: '2025-02-29' is an impossible date (day is out of range for month)",)),
    Case("date: impossible time", edit("articles/beta.md", "published: 2025-11-14", "published: 2025-11-14 24:30"),
         ("content/articles/beta.md:5: published: '2025-11-14 24:30' is an impossible date (the time is impossible)",)),
    Case("date: year zero", edit("articles/beta.md", "published: 2025-11-14", "published: '0000'"),
         ("content/articles/beta.md:5: published: '0000' is an impossible date (there is no year 0)",)),
    Case("date: future source date", edit("claims/denial.md", "date: 2025-11-15", "date: 2031-06"),
         ("content/claims/denial.md:8: date: '2031-06' is in the future",)),
    Case("date: slashes", edit("articles/beta.md", "published: 2025-11-14", "published: 2025/11/14"),
         ("content/articles/beta.md:5: published: '2025/11/14' is not a date", "or 'YYYY-MM-DD HH:MM')")),

    # duplicates and collisions
    Case("duplicate: annotation id twice in one file", edit(ANN, "## al-downloads", "## al-denial"),
         ("content/annotations/alpha.md:9: the annotation id 'al-denial' is already used in content/annotations/alpha.md:1",
          "fix: give each annotation a unique id")),
    Case("duplicate: two articles share one capture", gamma_sharing("a.txt"),
         ("content/articles/gamma.md:9: the capture 'a.txt' is already the capture of content/articles/alpha.md",
          "fix: each article has its own capture"), cli=True),
    Case("duplicate: captures differing only in case", gamma_sharing("A.txt"),
         ("content/articles/gamma.md:9: the capture 'A.txt' differs only in case from 'a.txt', which is already the capture of "
          "content/articles/alpha.md",)),
    Case("duplicate: article slugs differing only in case",
         lambda p: (p / "content/articles/Alpha.md").write_bytes((p / "content/articles/alpha.md").read_bytes()),
         ("content/articles/Alpha.md: 'Alpha' is not a valid article name", "fix: rename the file with lower-case ASCII letters")),
    Case("reserved: an article named like the article list's pages",
         lambda p: (p / "content/articles/page.md").write_bytes((p / "content/articles/alpha.md").read_bytes()),
         ("content/articles/page.md: 'page' is the name of the article list's pages", "fix: rename the file, e.g. page-1.md")),
    Case("reserved: import --slug page", no_change, ("--slug 'page': the article list's pages use that name",),
         argv=importing("page")),
    Case("duplicate: a key twice in an annotation", edit(ANN, "claim: denial", "claim: denial\nclaim: downloads"),
         ("content/annotations/alpha.md:6: 'claim:' is given twice", "fix: keep one")),
    Case("duplicate: an English article file", put("articles/alpha.en.md", "---\ntitle: x\n---\ny\n"),
         ("content/articles/alpha.en.md: articles have no English file", "fix: English commentary goes in content/annotations/<slug>.en.md")),

    # unknown theme, claim, article
    Case("unknown: theme of a claim", edit("claims/denial.md", "theme: accusation", "theme: accusations"),
         ("content/claims/denial.md:2: 'accusations' is not a valid theme (did you mean 'accusation'?)",)),
    Case("unknown: article in a link", edit("themes/accusation.md", "关于指控的介绍。", "见[文章](article:alpah)。"),
         ("content/themes/accusation.md:4: the link article:alpah leads nowhere (did you mean 'alpha'?)",)),
    Case("unknown: annotation in a link", edit("themes/accusation.md", "关于指控的介绍。", "见[注释](article:alpha#al-nope)。"),
         ("content/themes/accusation.md:4: the link article:alpha#al-nope leads nowhere",)),
    Case("unknown: article of an annotation file", put("annotations/alpah.md", "## x-one\n\n> 文字\n\ntheme: accusation\n\n说明。\n"),
         ("content/annotations/alpah.md: there is no article 'alpah' for these annotations (did you mean 'alpha'?)",
          "fix: name the file after an article"), cli=True),
    Case("unknown: English annotations without Chinese", put("annotations/gamma.en.md", "## g-one\n\nEnglish.\n"),
         ("content/annotations/gamma.en.md: there is no content/annotations/gamma.md for this English file",)),

    # quotes
    Case("quote: not in a Traditional article", edit("annotations/beta.md", "> 黄仁勋称Qwen是顶尖开源模型", "> 黄仁勋称Qwen是最好的开源模型"),
         ("content/annotations/beta.md:3: the quote “黄仁勋称Qwen是最好的开源模型” is not in the article 'beta'",
          "fix: the closest passage (paragraph 1, capture line 1) is “黃仁勛稱Qwen是頂尖開源模型。”"), cli=True),
    Case("quote: spans two paragraphs", edit(ANN, "> 下载量突破6亿次", "> 完全不实。黄仁勋称Qwen"),
         ("content/annotations/alpha.md:11: the quote “完全不实。黄仁勋称Qwen” is not in the article 'alpha'",)),
    Case("quote: prefix matches neither occurrence",
         put("annotations/beta.md", "## be-open\n\n> 开源\n\ntheme: accusation\nprefix: 闭源\n\n两处。\n"),
         ("content/annotations/beta.md:3: the quote “开源” is not in the article 'beta'",)),
    Case("quote: only a '>'", edit(ANN, "> 下载量突破6亿次", ">"),
         ("content/annotations/alpha.md:11: the quote is empty", "fix: put the exact passage after '> '")),

    # encodings and bytes
    Case("encoding: article in GBK", encode("articles/alpha.md", "gbk"),
         ("content/articles/alpha.md:2: the file is not valid UTF-8", "fix: save the file as UTF-8 (it looks like GBK/GB18030; e.g. iconv -f GBK -t UTF-8)"),
         cli=True),
    Case("encoding: article in Big5", encode("articles/beta.md", "big5", BIG5_BETA),
         ("content/articles/beta.md:2: the file is not valid UTF-8", "fix: save the file as UTF-8 (it looks like Big5; e.g. iconv -f Big5 -t UTF-8)")),
    Case("encoding: annotations in GBK", encode(ANN, "gbk"),
         ("content/annotations/alpha.md:3: the file is not valid UTF-8", "GBK/GB18030")),
    Case("encoding: site.yaml in Big5", encode("site.yaml", "big5", (("测试档案", "測試檔案"), ("一个测试", "一個測試"))),
         ("content/site.yaml:1: the file is not valid UTF-8", "it looks like Big5")),
    Case("encoding: capture in GBK", steps(put("captures/b.txt", "黄仁勋。\n".encode("gbk")),
                                            edit("articles/beta.md", sha("黃仁勛稱Qwen是頂尖開源模型。\n這裡的實驗室里有人說開源贏了。\n"),
                                                 __import__("hashlib").sha256("黄仁勋。\n".encode("gbk")).hexdigest())),
         ("content/captures/b.txt:1: the file is not valid UTF-8", "GBK/GB18030")),
    Case("encoding: lone CR line ends in a claim", edit("claims/downloads.md", "\n", "\r", count=-1),
         ("content/claims/downloads.md:1: the line holds a carriage return (CR) that does not end a line: old Mac (CR) line ends",
          "fix: convert the line ends to LF or CR LF"), cli=True),
    Case("encoding: a stray CR in an annotation file with CR LF line ends and a BOM",
         steps(edit(ANN, b"\n", b"\r\n", count=-1), edit(ANN, "公司数据。".encode(), "公司\r数据。".encode()),
               lambda p: (p / "content" / ANN).write_bytes(b"\xef\xbb\xbf" + (p / "content" / ANN).read_bytes())),
         ("content/annotations/alpha.md:15: the line holds a carriage return (CR) that does not end a line",)),
    Case("encoding: NUL byte in an article title", edit("articles/alpha.md", "title: 文章alpha", "title: 文章\x00alpha"),
         ("content/articles/alpha.md:2: the line contains the control character U+0000", "fix: delete it"), cli=True),
    Case("encoding: escape sequence in commentary", edit(ANN, "公司数据。", "公司\x1b[2J数据。"),
         ("content/annotations/alpha.md:15: the line contains the control character U+001B",)),
    Case("size: 50 MB article", huge("articles/gamma.md", 50),
         ("content/articles/gamma.md: the file is 50.0 MB (at most 2 MB)", "fix: content files hold one article or its notes")),
    Case("size: 50 MB capture", steps(huge("captures/a.txt", 50)),
         ("content/articles/alpha.md:9: the capture content/captures/a.txt is 50.0 MB (at most 2 MB)",
          "fix: check that this is the right file")),
    Case("size: 100,000-character line in commentary", edit(ANN, "公司数据。", "公司数据。" + "很长" * 50_000),
         ("content/annotations/alpha.md:15: line is 100,005 characters long (at most 20,000)", "fix: split it into paragraphs")),
    Case("size: 100,000-character line in site.yaml", edit("site.yaml", "description: 一个测试。", "description: " + "测" * 100_000),
         ("content/site.yaml:3: line is 100,013 characters long (at most 20,000)",)),

    # paths: ../, absolute, drive letters, control characters, symbolic links
    Case("path: capture with ../", edit("articles/alpha.md", "capture: a.txt", "capture: ../site.yaml"),
         ("content/articles/alpha.md:9: '../site.yaml' is not a plain file name",
          "fix: name a file in content/captures/, without folders, drive letters or control characters"), cli=True),
    Case("path: capture as an absolute path", edit("articles/alpha.md", "capture: a.txt", "capture: /etc/passwd"),
         ("content/articles/alpha.md:9: '/etc/passwd' is not a plain file name",)),
    Case("path: capture with a drive letter", edit("articles/alpha.md", "capture: a.txt", "capture: 'C:a.txt'"),
         ("content/articles/alpha.md:9: 'C:a.txt' is not a plain file name",)),
    Case("path: capture with a Windows path", edit("articles/alpha.md", "capture: a.txt", "capture: 'C:\\captures\\a.txt'"),
         ("content/articles/alpha.md:9: 'C:\\captures\\a.txt' is not a plain file name",)),
    Case("path: capture with control characters", edit("articles/alpha.md", "capture: a.txt", 'capture: "a\\x1b[2J\\x00.txt"'),
         ("content/articles/alpha.md:9: 'a\\x1b[2J\\x00.txt' is not a plain file name",)),
    Case("path: file name with control characters", put("articles/al\x1b[31mpha.md", "---\ntitle: x\n---\ny\n"),
         ("content/articles/al\\x1b[31mpha.md: 'al\\x1b[31mpha' is not a valid article name",)),
    Case("path: article is a symlink out of content/", link("articles/alpha.md", lambda p: outside(p, "alpha.md", "---\n")),
         ("content/articles/alpha.md: the file is a symbolic link that points outside content/",
          "fix: copy the file into content/ instead of linking to it"), cli=True),
    Case("path: capture is a symlink out of content/", link("captures/b.txt", lambda p: outside(p, "b.txt", "x\n")),
         ("content/captures/b.txt: the file is a symbolic link that points outside content/",)),
    Case("path: themes/ is a symlink out of content/", link("themes", lambda p: shutil.copytree(p / "content/themes", outside(p, "themes/")
                                                                                               , dirs_exist_ok=True)),
         ("content/themes: the folder is a symbolic link that points outside content/",
          "fix: copy the folder into content/ instead of linking to it")),
    Case("path: site.yaml is a symlink out of content/", link("site.yaml", lambda p: outside(p, "site.yaml", tiny_files()["site.yaml"])),
         ("content/site.yaml: site.yaml is a symbolic link that points outside content/",)),
    Case("path: claims/ is a file", lambda p: (drop("claims")(p), put("claims", "denial\n")(p)),
         ("content/claims: content/claims is a file, not a folder",
          "fix: move the file away; content/claims/ is a folder of files"), cli=True),
    Case("path: annotations/ is a dangling symlink", link("annotations", lambda p: p.parent / "nowhere"),
         ("content/annotations: the folder is a symbolic link that cannot be followed (its target is missing, or it loops)",
          "fix: copy the folder into content/ instead of linking to it")),
    Case("path: site.yaml is a folder", lambda p: (drop("site.yaml")(p), (p / "content/site.yaml").mkdir()),
         ("content/site.yaml: site.yaml is a folder, not a file", "fix: move it away and create the file")),
    Case("path: events.yaml is a folder", lambda p: (p / "content/events.yaml").mkdir(),
         ("content/events.yaml: events.yaml is a folder, not a file", "fix: move it away")),
    Case("templates: static/search.js is missing", drop("templates/static/search.js"),
         ("templates/static/search.js: the file is missing, and the pages link to it",
          "fix: restore it from the repository"), cli=True),
    Case("path: coverage-allow.yaml is a folder", lambda p: (p / "content/coverage-allow.yaml").mkdir(),
         ("content/coverage-allow.yaml: coverage-allow.yaml is a folder, not a file", "fix: move it away"),
         argv=lambda p: ["check", "--coverage", "--content", str(p / "content"), "--templates", str(p / "templates")]),
    Case("path: symlink loop", lambda p: os.symlink("loop.md", p / "content/articles/loop.md"),
         ("content/articles/loop.md: the file is a symbolic link that cannot be followed (its target is missing, or it loops)",)),
    Case("path: import --slug ../evil", no_change, ("--slug '../evil': use lower-case ASCII letters, digits and single hyphens",),
         cli=True, argv=importing("../evil")),
    Case("path: import --slug absolute", no_change, ("--slug '/tmp/evil':",), argv=importing("/tmp/evil")),
    Case("path: import --slug drive letter", no_change, ("--slug 'C:evil':",), argv=importing("C:evil")),
    Case("path: import --slug with a control character", no_change, ("--slug 'ev\\x1bil':",), argv=importing("ev\x1bil")),
    Case("path: import --slug with a trailing newline", no_change, ("--slug 'evil\\n':",), argv=importing("evil\n")),
    Case("path: import a hidden capture", no_change, ("the capture's file name '.hidden.txt' would be hidden or invalid",),
         argv=importing("gamma", ".hidden.txt")),

    # hostile values that can only be mistakes
    Case("html: javascript: source URL", edit("articles/alpha.md", "url: https://example.org/alpha", "url: 'javascript:alert(1)'"),
         ("content/articles/alpha.md:7: 'javascript:alert(1)' is not an http(s) URL", "fix: write the full address, starting with https://"),
         cli=True),
    Case("html: attribute injection in a source URL",
         edit("claims/denial.md", "url: https://example.org/src", "url: 'https://example.org/\" onmouseover=\"alert(1)'"),
         ("content/claims/denial.md:9: 'https://example.org/\" onmouseover=\"alert(1)' is not an http(s) URL",)),
    Case("html: data: URL as repository", edit("site.yaml", "base_url: /", "base_url: /\nrepository: 'data:text/html,<script>alert(1)</script>'"),
         ("content/site.yaml:6: 'data:text/html,<script>alert(1)</script>' is not an http(s) URL",)),

    # templates
    Case("template: syntax error", edit("templates/article.html", "{% endfor %}", "{% endfor"),
         ("templates/article.html:", "template syntax error", "fix: check the {% %} and {{ }} tags on this line"), cli=True),
    Case("template: undefined variable", edit("templates/index.html", "{{ site_title }}", "{{ site_titel }}"),
         ("templates/index.html:3: template error: 'site_titel' is undefined",
          "fix: the variable is not passed to this template; check its spelling"), cli=True),
    Case("template: unknown filter", edit("templates/index.html", "{{ site_title }}", "{{ site_title | shout }}"),
         ("templates/index.html:3: template syntax error: No filter named 'shout'.",)),
    Case("template: base.html missing", drop("templates/base.html"),
         ("templates/base.html: the template does not exist", "fix: restore it from the repository")),
    Case("template: saved in GBK", encode("templates/404.html", "gbk", (("{% block main %}", "{% block main %}中文"),)),
         ("templates/404.html: the template is not valid UTF-8", "fix: save it as UTF-8")),
    Case("template: strings.yaml is a list", put("templates/strings.yaml", "- home\n- themes\n"),
         ("templates/strings.yaml:1: the string catalogue is not a set of 'key: {zh: …, en: …}' entries",)),
    Case("template: stylesheet missing", drop("templates/static/style.css"),
         ("templates/static/style.css: the stylesheet is missing",)),

    # an output folder whose replacement would lose the sources or someone's files
    Case("out: --out is content/", no_change, ("--out content: the build replaces this folder, and it holds or is inside content/", "choose a separate folder such as site/"),
         cli=True, argv=building("content")),
    Case("out: --out is the project folder", no_change, ("the build replaces this folder, and it holds or is inside content/",),
         argv=building(".")),
    Case("out: --out is inside templates/", no_change, ("the build replaces this folder, and it holds or is inside templates/",),
         argv=building("templates/static")),
    Case("out: --out is a folder of other files", lambda p: (p / "notes").mkdir() or (p / "notes/todo.txt").write_text("mine"),
         ("the folder is not empty and holds no built site (no index.html)",), argv=building("notes")),

    # missing folders
    Case("missing: content/", drop("content"), ("content: the content folder does not exist", "fix: run the command in the project folder, or pass --content DIR"),
         cli=True),
    Case("missing: templates/", drop("templates"), ("templates: the templates folder does not exist", "or pass --templates DIR"), cli=True),
    Case("missing: site.yaml", drop("site.yaml"), ("content/site.yaml: site.yaml is missing", "fix: create it; EDITING.md shows every field")),
]


# ---------------------------------------------------------------- hostile input that must build, neutralised

def yq(value: str) -> str:
    """A YAML double-quoted scalar (JSON is YAML)."""
    return json.dumps(value, ensure_ascii=False)


SCRIPT = "<script>alert('x')</script>"
IMG = '<img src=x onerror="alert(1)">'
LINK = '<a href="javascript:alert(1)" onclick="alert(2)">click</a>'


@dataclass(frozen=True)
class Hostile:
    name: str
    change: Callable[[Path], None]
    page: str  # a page (relative to the site) that shows the value
    shown: str  # the escaped text that page must contain ('' when the markup is stripped)


HOSTILE: list[Hostile] = [
    Hostile("article title", edit("articles/alpha.md", "title: 文章alpha", f"title: {yq(SCRIPT + IMG)}"),
            "articles/alpha/index.html", "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&lt;img src=x onerror=&#34;alert(1)&#34;&gt;"),
    Hostile("theme title", edit("themes/accusation.md", "title: 指控", f"title: {yq(LINK)}"),
            "themes/accusation/index.html", "&lt;a href=&#34;javascript:alert(1)&#34; onclick=&#34;alert(2)&#34;&gt;click&lt;/a&gt;"),
    Hostile("claim label", edit("claims/denial.md", "label: 阿里巴巴否认", f"label: {yq(IMG)}"),
            "themes/accusation/index.html", "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;"),
    Hostile("site title", edit("site.yaml", "title: 测试档案", f"title: {yq(SCRIPT)}"),
            "index.html", "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"),
    Hostile("outlet and provenance notes", edit("articles/beta.md", "outlet: 测试媒体", f"outlet: {yq('<b onmouseover=alert(1)>媒体</b>')}\nnotes: {yq(SCRIPT)}"),
            "articles/beta/index.html", "&lt;b onmouseover=alert(1)&gt;媒体&lt;/b&gt;"),
    Hostile("English gloss", edit("annotations/alpha.en.md", "gloss: Alibaba said the claims were false", f"gloss: {SCRIPT}"),
            "en/articles/alpha/index.html", "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"),
    Hostile("annotation commentary: raw HTML, script, handlers, javascript: links",
            edit(ANN, "阿里巴巴的**否认**。", f"阿里巴巴的**否认**。{SCRIPT}{IMG}{LINK}[点击](javascript:alert(3))"
                                            "<iframe src=\"javascript:alert(4)\"></iframe><svg onload=alert(5)>"),
            "articles/alpha/index.html", ""),
    Hostile("theme introduction: raw HTML", edit("themes/accusation.md", "关于指控的介绍。",
                                                 f"关于指控的介绍。<div style=\"x\" onmouseover=\"alert(1)\">{SCRIPT}</div><a title=t href=\"https://evil.example/\">外链</a>"),
            "themes/accusation/index.html", ""),
    Hostile("annotation tags", edit(ANN, "claim: denial", "claim: denial\ntags: \"><script>alert(1)</script>, 标签"),
            "articles/alpha/index.html", ""),
]
