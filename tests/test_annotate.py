"""Annotating from the preview without a browser: selection to quote, shortest prefix or suffix, the
text written, the file edits, and the endpoint's refusals (framing/preview/annotate*.py).

The whole flow in Chromium is in tests/test_annotate_browser.py.
"""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import opencc
import pytest

from conftest import tiny_files, write_project
from htmlsafety import inspect
from framing.source.anchor import TextFolder, anchor_quote
from framing.preview.annotate import Context, SelectionError, anchoring, archived_span, id_prefix, propose_id
from framing.preview.annotate_edit import Annotator, NewClaim, Rejection, Selection
from framing.preview.annotate_server import AnnotatePanel, is_loopback, with_annotate_panel
from framing.preview.annotate_text import Draft, TextProblem, appended, find, removed, replaced, section_text
from framing.pipeline import load
from framing.project import Project
from framing.source.records import Article, Place, Span

FOLDER = TextFolder(opencc.OpenCC("t2s"))
TO_TRADITIONAL = opencc.OpenCC("s2t")
PARAGRAPH = "美国指控阿里巴巴为军方提供技术支持。阿里巴巴称这些说法完全不实。"


def an_article(*paragraphs: str, script: str = "zh-Hans") -> Article:
    return Article("x", Place("content/articles/x.md", 1), "t", "o", (), None, (), "zh", script, "c.txt", "0" * 64, (), "",
                   paragraphs, tuple(range(1, len(paragraphs) + 1)))


def draft(ident: str = "al-new", **values: str) -> Draft:
    fields = {"theme": "accusation", "claim": "", "tags": "", "device": "", "entman": "", "frame": "",
              "commentary": "新的评论。", "gloss": "", "commentary_en": ""} | values
    return Draft(ident, "", (), **fields)


# ---------------------------------------------------------------- selection to quote


def test_a_selection_on_a_traditional_page_is_quoted_in_the_articles_script():
    article = an_article(PARAGRAPH)
    shown = TO_TRADITIONAL.convert(PARAGRAPH)
    assert shown != PARAGRAPH and len(shown) == len(PARAGRAPH)
    start = shown.index("軍方")
    span = archived_span(FOLDER, article, 0, shown, start - 1, start + 6)
    assert shown[start - 1:start + 6] == "爲軍方提供技術" and PARAGRAPH[span.start:span.end] == "为军方提供技术"


def test_white_space_at_the_ends_of_a_selection_is_left_out_and_inside_it_kept():
    article = an_article("Qwen 模型 是 顶尖的")
    span = archived_span(FOLDER, article, 0, "Qwen 模型 是 顶尖的", 4, 10)
    assert (span.start, span.end) == (5, 9) and "Qwen 模型 是 顶尖的"[5:9] == "模型 是"


def test_a_traditional_article_shown_in_simplified_maps_back_to_its_own_characters():
    archived = "黃仁勛稱Qwen是頂尖開源模型。"
    article = an_article(archived, script="zh-Hant")
    shown = opencc.OpenCC("t2s").convert(archived)
    start = shown.index("顶尖")
    found = anchoring(FOLDER, article, archived_span(FOLDER, article, 0, shown, start, start + 4))
    assert found.quote == "頂尖開源" and found.anchors and found.context is None


@pytest.mark.parametrize("paragraph,shown,start,end,problem", [
    (3, PARAGRAPH, 0, 2, "has no paragraph 4"),
    (0, PARAGRAPH, 5, 2, "not inside the paragraph"),
    (0, PARAGRAPH, 0, 999, "not inside the paragraph"),
    (0, PARAGRAPH, 2, 2, "nothing is selected"),
    (0, PARAGRAPH + "多出来的字", 0, 2, "is not the archived paragraph"),
])
def test_a_selection_that_cannot_be_mapped_says_why(paragraph, shown, start, end, problem):
    with pytest.raises(SelectionError, match=problem):
        archived_span(FOLDER, an_article(PARAGRAPH), paragraph, shown, start, end)


# ---------------------------------------------------------------- anchoring once


def test_a_passage_that_occurs_twice_gets_the_shortest_suffix_on_a_tie():
    article = an_article(PARAGRAPH)
    first = anchoring(FOLDER, article, Span(0, 4, 8))
    assert first.quote == "阿里巴巴" and len(first.occurrences) == 2
    assert first.context == Context("suffix", "为") and first.anchors
    second = anchoring(FOLDER, article, Span(0, 18, 22))
    assert second.context == Context("suffix", "称")
    for found in (first, second):  # the context is what check's own anchoring needs to choose it
        folded = [FOLDER.fold(p) for p in article.paragraphs]
        assert anchor_quote(FOLDER, article.paragraphs, folded, found.quote, **{found.context.key: found.context.text}) == found.span


def test_a_prefix_where_it_is_shorter_than_any_suffix():
    article = an_article("甲说开源赢了。乙说开源赢了。")
    found = anchoring(FOLDER, article, Span(0, 8, 13))
    assert found.quote == "说开源赢了" and found.context == Context("prefix", "乙")


def test_a_suffix_runs_as_long_as_it_must():
    article = an_article("开源模型很好,开源模型很好!", "开源模型很好,但是")
    found = anchoring(FOLDER, article, Span(0, 0, 4))
    assert len(found.occurrences) == 3
    assert found.context == Context("suffix", "很好,开")


def test_a_passage_repeated_with_all_around_it_does_not_anchor():
    article = an_article("同一句话。", "同一句话。")
    found = anchoring(FOLDER, article, Span(1, 0, 4))
    assert not found.anchors and found.context is None and len(found.occurrences) == 2


def test_ids_follow_the_articles_own_and_never_clash():
    assert id_prefix("guancha-silent-war", ["gc-a", "gc-b", "x-c"]) == "gc"
    assert id_prefix("guancha-silent-war", []) == "gsw"
    assert propose_id("gc", "launch-day", {"gc-launch-day", "gc-launch-day-2"}) == "gc-launch-day-3"
    assert propose_id("gc", "Théme 1", set()) == "gc-th-me-1"
    assert propose_id("gc", "gc-x", set()) == "gc-x"
    assert len(propose_id("gc", "a" * 200, set())) <= 80


# ---------------------------------------------------------------- the text written


def test_a_section_is_written_as_an_editor_writes_it():
    text = section_text(Draft("gc-x", "阿里巴巴", (Context("suffix", "为"),), "framing", "", "voices, label",
                              "voices", "define-problem", "security-defense", "第一段。\r\n\r\n第二段。  \n\n\n", "", ""))
    assert text == ("## gc-x\n\n> 阿里巴巴\n\nsuffix: 为\ntheme: framing\ntags: voices, label\ndevice: voices\n"
                    "entman: define-problem\nframe: security-defense\n\n第一段。\n\n第二段。\n")


@pytest.mark.parametrize("values,problem", [
    ({"commentary": "好。\n## 小标题"}, "begin a new annotation"),
    ({"tags": "a\nb"}, "one line"),
])
def test_text_that_would_break_the_file_is_refused(values, problem):
    with pytest.raises(TextProblem, match=problem):
        section_text(draft(**values))


@pytest.mark.parametrize("original", ["", "## a\n\n> 甲\n\ntheme: t\n\n评论。\n", "## a\n\n> 甲\n\ntheme: t\n\n评论。\n\n",
                                      "## a\n\n> 甲\n\ntheme: t\n\n评论。\n\n## b\n\n> 乙\n\ntheme: t\n\n评论。\n"])
def test_adding_a_section_and_removing_it_gives_the_file_back(original):
    section = "## new\n\n> 丙\n\ntheme: t\n\n新。\n"
    added = appended(original, section)
    assert added.startswith(original) and section in added
    assert find(added, "new") is not None
    assert removed(added, find(added, "new")) == original


def test_replacing_or_removing_a_middle_section_keeps_every_other_byte():
    text = "## a\n\n> 甲\n\ntheme: t\n\n评论。\n\n\n## b\n\n> 乙\n\ntheme: t\n\n评论。\n\n## c\n\n> 丙\n\ntheme: t\n\nc。"
    bounds = find(text, "b")
    assert replaced(text, bounds, "## b\n\n> 乙\n\ntheme: u\n\n改。\n") == text.replace("theme: t\n\n评论。\n\n## c", "theme: u\n\n改。\n\n## c")
    assert removed(text, bounds) == text.replace("## b\n\n> 乙\n\ntheme: t\n\n评论。\n\n", "")
    last = find(text, "c")
    assert replaced(text, last, "## c\n\n> 丙\n\ntheme: t\n\nd。\n").endswith("d。")  # no line end added where there was none


def test_an_id_heading_two_sections_is_not_guessed_at():
    with pytest.raises(TextProblem, match="heads 2 sections"):
        find("## a\n\n> 甲\n\n## a\n\n> 乙\n", "a")


# ---------------------------------------------------------------- the files


@pytest.fixture
def project(tmp_path) -> Project:
    return Project.at(write_project(tmp_path / "project", tiny_files()))


@pytest.fixture
def annotator(project) -> Annotator:
    return Annotator(project.content, project.root, FOLDER)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def alpha_selection(needle: str = "阿里巴巴", occurrence: int = 0) -> Selection:
    shown = TO_TRADITIONAL.convert(PARAGRAPH)
    start = -1
    for _ in range(occurrence + 1):
        start = shown.index(TO_TRADITIONAL.convert(needle), start + 1)
    return Selection("alpha", 0, shown, start, start + len(needle))


def test_add_appends_the_section_and_an_english_stub_and_check_accepts_them(project, annotator):
    before = snapshot(project.content)
    mode = (project.content / "annotations" / "alpha.md").stat().st_mode
    annotator.add(load(project), alpha_selection(occurrence=1), draft("al-who", claim="denial", commentary="谁的否认。"))
    after = snapshot(project.content)
    assert after["annotations/alpha.md"] == before["annotations/alpha.md"] + (
        "\n## al-who\n\n> 阿里巴巴\n\nsuffix: 称\ntheme: accusation\nclaim: denial\n\n谁的否认。\n").encode()
    assert after["annotations/alpha.en.md"] == before["annotations/alpha.en.md"] + b"\n## al-who\n"
    assert {name for name in after if after[name] != before.get(name)} == {"annotations/alpha.md", "annotations/alpha.en.md"}
    assert (project.content / "annotations" / "alpha.md").stat().st_mode == mode
    annotation = next(a for a in load(project).annotations if a.id == "al-who")
    assert annotation.span == Span(0, 18, 22) and annotation.suffix == "称"


def test_an_article_without_annotations_gets_its_files(project, annotator):
    (project.content / "annotations" / "beta.md").unlink()
    annotator.add(load(project), Selection("beta", 1, "这里的实验室里有人说开源赢了。", 9, 13),
                  draft("be-won", gloss="open source won", commentary_en="A claim of victory."))
    assert (project.content / "annotations" / "beta.md").read_text() == "## be-won\n\n> 說開源贏\n\ntheme: accusation\n\n新的评论。\n"
    assert (project.content / "annotations" / "beta.en.md").read_text() == "## be-won\n\ngloss: open source won\n\nA claim of victory.\n"
    assert [a.quote for a in load(project).annotations if a.article == "beta"] == ["說開源贏"]


def test_an_archive_without_annotations_gets_the_folder(project, annotator):
    import shutil

    shutil.rmtree(project.content / "annotations")
    (project.content / "claims" / "denial.md").unlink()
    (project.content / "claims" / "denial.en.md").unlink()
    (project.content / "claims" / "downloads.md").unlink()
    (project.content / "themes" / "statistics.md").write_text("---\ntitle: 数字\n---\n关于数字的介绍。\n")
    annotator.add(load(project), alpha_selection("军方"), draft("al-military"))
    assert [a.id for a in load(project).annotations] == ["al-military"]


def test_a_new_claim_needs_an_id_and_a_label(project, annotator):
    before = snapshot(project.content)
    for ident, label, problem in (("", "标签", "a new claim needs an id"), ("new-claim", " ", "a new claim needs a label")):
        with pytest.raises(Rejection) as caught:
            annotator.add(load(project), alpha_selection("军方"), draft("al-military", claim=ident), NewClaim(label))
        assert caught.value.status == 400 and problem in caught.value.problems[0][0]
    assert snapshot(project.content) == before


def test_a_new_claim_gets_its_file_which_check_reports_until_it_is_filled_in(project, annotator):
    annotator.add(load(project), alpha_selection("军方"), draft("al-military", claim="military-support"),
                  NewClaim("指控阿里巴巴支持军方", "Alibaba accused of supporting the military"))
    claims = project.content / "claims"
    assert (claims / "military-support.md").read_text() == (
        '---\ntheme: accusation\nlabel: "指控阿里巴巴支持军方"\nverdict: unverifiable\nsources: []\n---\n')
    assert (claims / "military-support.en.md").read_text() == '---\nlabel: "Alibaba accused of supporting the military"\n---\n'
    with pytest.raises(Exception) as caught:
        load(project)
    assert "claims/military-support.md" in str(caught.value) and "no sources" in str(caught.value)


@pytest.mark.parametrize("values,status,problem", [
    ({"theme": "acusation"}, 400, "unknown theme 'acusation' (did you mean 'accusation'?)"),
    ({"claim": "downloads"}, 400, "belongs to the theme 'statistics'"),
    ({"device": "metaphor"}, 400, "'metaphor' is not a valid device"),
    ({"commentary": "  "}, 400, "has no commentary"),
    ({"commentary": "好。\n## 小标题"}, 400, "begin a new annotation"),
    ({"ident": "al-denial"}, 409, "already used"),
    ({"ident": "Bad Id"}, 400, "not a valid annotation id"),
])
def test_add_refuses_what_check_would_refuse_and_writes_nothing(project, annotator, values, status, problem):
    before = snapshot(project.content)
    ident = values.pop("ident", "al-new")
    with pytest.raises(Rejection) as caught:
        annotator.add(load(project), alpha_selection(), draft(ident, **values))
    assert caught.value.status == status and problem in caught.value.problems[0][0]
    assert snapshot(project.content) == before


def test_a_file_check_would_refuse_is_not_edited(project, annotator):
    archive = load(project)
    path = project.content / "annotations" / "alpha.md"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r"))  # old Mac line ends: CR LF is read as LF, a lone CR is refused
    before = snapshot(project.content)
    with pytest.raises(Rejection) as caught:
        annotator.add(archive, alpha_selection(), draft())
    assert caught.value.problems == [("content/annotations/alpha.md: the line holds a carriage return (CR) that does not end a "
                                      "line: old Mac (CR) line ends, or a stray character",
                                      "convert the line ends to LF or CR LF, e.g. with your editor's line-ending setting")]
    assert snapshot(project.content) == before


def test_an_edit_that_changes_nothing_writes_nothing(project, annotator):
    before = {path: path.stat().st_mtime_ns for path in (project.content / "annotations").iterdir()}
    written = annotator.edit(load(project), "alpha", draft("al-denial", theme="accusation", claim="denial",
                                                           commentary="阿里巴巴的**否认**。", gloss="Alibaba said the claims were false",
                                                           commentary_en="Alibaba's denial."))
    assert written == [] and {p: p.stat().st_mtime_ns for p in (project.content / "annotations").iterdir()} == before


def test_edit_and_delete_change_only_their_section(project, annotator):
    before = snapshot(project.content)
    archive = load(project)
    annotator.edit(archive, "alpha", draft("al-denial", claim="denial", tags="quote", commentary="改过的评论。",
                                                   gloss="Alibaba denied it"))
    text = (project.content / "annotations" / "alpha.md").read_text()
    assert text == tiny_files()["annotations/alpha.md"].replace(
        "claim: denial\n\n阿里巴巴的**否认**。", "claim: denial\ntags: quote\n\n改过的评论。")
    assert (project.content / "annotations" / "alpha.en.md").read_text() == "## al-denial\n\ngloss: Alibaba denied it\n"
    read = annotator.read("alpha", "al-denial")
    assert (read.quote, read.tags, read.commentary, read.gloss) == ("阿里巴巴称这些说法完全不实", "quote", "改过的评论。", "Alibaba denied it")
    annotator.add(archive, alpha_selection(), draft("al-new"))
    annotator.delete(archive, "alpha", "al-new")
    annotator.delete(archive, "alpha", "al-denial")
    after = snapshot(project.content)
    assert after["annotations/alpha.md"].decode() == "## al-downloads\n\n> 下载量突破6亿次\n\nclaim: downloads\n\n公司数据。\n"
    assert after["annotations/alpha.en.md"] == b""
    assert {name for name in after if after[name] != before[name]} == {"annotations/alpha.md", "annotations/alpha.en.md"}
    with pytest.raises(Rejection) as caught:
        annotator.delete(archive, "alpha", "al-denial")
    assert caught.value.status == 404


# ---------------------------------------------------------------- the endpoint

HOST = "127.0.0.1:8000"
TOKEN = "a-secret-for-the-test"


def page_app(environ, start_response):
    body = b"<!DOCTYPE html><html><head><title>t</title></head><body><p>page</p></body></html>"
    start_response("200 OK", [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body)))])
    return [body]


@pytest.fixture
def panel(project, annotator):
    archive = load(project)
    return AnnotatePanel(page_app, annotator, lambda: archive, "/sub/", "127.0.0.1", 8000, TOKEN)


def call(app, method: str = "POST", path: str = "/_annotate/api", body: dict | bytes | None = None, **headers: str):
    data = body if isinstance(body, bytes) else json.dumps(body or {}).encode()
    environ = {"REQUEST_METHOD": method, "PATH_INFO": path, "wsgi.input": io.BytesIO(data), "CONTENT_LENGTH": str(len(data)),
               "CONTENT_TYPE": "application/json", "HTTP_HOST": HOST, "HTTP_ORIGIN": f"http://{HOST}",
               "HTTP_X_ANNOTATE_TOKEN": TOKEN, "HTTP_SEC_FETCH_SITE": "same-origin"}
    for name, value in headers.items():
        key = name.upper() if name.upper() in ("CONTENT_TYPE", "CONTENT_LENGTH") else f"HTTP_{name.upper()}"
        if value is None:
            environ.pop(key, None)
        else:
            environ[key] = value
    answer = {}
    out = b"".join(app(environ, lambda status, headers, exc_info=None: answer.update(status=status, headers=dict(headers))))
    return int(answer["status"].split()[0]), answer["headers"], out


def add_body(**values) -> dict:
    selection = alpha_selection()
    return {"action": "add", "slug": "alpha", "paragraph": 1, "shown": selection.shown, "start": selection.start,
            "end": selection.end, "id": "al-new", "theme": "accusation", "commentary": "评论。"} | values


def test_the_endpoint_locates_and_adds(panel, project):
    status, _, body = call(panel, body={"action": "locate", **{k: v for k, v in add_body().items() if k != "action"}})
    answer = json.loads(body)
    assert status == 200 and answer["quote"] == "阿里巴巴" and answer["context"] == {"key": "suffix", "text": "为"}
    assert answer["count"] == 2 and answer["id"] == "al-p1" and "denial" in [c["id"] for c in answer["choices"]["claims"]]
    status, _, body = call(panel, body=add_body())
    assert status == 200 and json.loads(body)["files"] == ["content/annotations/alpha.md", "content/annotations/alpha.en.md"]
    assert "## al-new\n\n> 阿里巴巴\n\nsuffix: 为\n" in (project.content / "annotations" / "alpha.md").read_text()


@pytest.mark.parametrize("change,status", [
    ({"x_annotate_token": None}, 403),
    ({"x_annotate_token": "guess"}, 403),
    ({"origin": "http://evil.example"}, 403),
    ({"origin": None}, 403),
    ({"origin": "http://127.0.0.1:8001"}, 403),
    ({"host": "evil.example:8000", "origin": "http://evil.example:8000"}, 403),  # DNS rebinding
    ({"sec_fetch_site": "cross-site"}, 403),
    ({"content_type": "text/plain"}, 415),
    ({"method": "GET"}, 405),
    ({"method": "PUT"}, 405),
    ({"body": {"action": "add", "slug": "../site"}}, 403),
    ({"body": {"action": "add", "slug": "/etc/passwd"}}, 403),
    ({"body": {"action": "delete", "slug": "..", "id": "al-denial"}}, 403),
    ({"body": {"action": "add", "claim": "../../build", "new_claim": {"label": "x"}}}, 403),
    ({"body": b"{not json"}, 400),
    ({"body": b"x" * (300 * 1024)}, 413),
])
def test_the_endpoint_refuses_and_nothing_is_written(panel, project, change, status):
    before = snapshot(project.root)
    method = change.pop("method", "POST")
    body = change.pop("body", add_body())
    if isinstance(body, dict) and body.get("action") == "add":
        body = add_body(**body)
    got, headers, answer = call(panel, method, body=body, **change)
    assert got == status, answer
    assert json.loads(answer)["ok"] is False
    if status == 405:
        assert headers["Allow"] == "POST"
    assert snapshot(project.root) == before


def test_a_symbolic_link_is_not_followed_out_of_the_folder(panel, project, tmp_path):
    outside = tmp_path / "outside.md"
    outside.write_text("## x\n")
    link = project.content / "annotations" / "alpha.md"
    link.unlink()
    link.symlink_to(outside)
    before = snapshot(project.root)
    status, _, answer = call(panel, body=add_body())
    assert status == 403 and "not a plain file" in json.loads(answer)["problems"][0]["message"]
    assert outside.read_text() == "## x\n" and snapshot(project.root) == before


def test_no_archive_no_writing(project, annotator):
    panel = AnnotatePanel(page_app, annotator, lambda: None, "/sub/", "127.0.0.1", 8000, TOKEN)
    before = snapshot(project.root)
    status, _, answer = call(panel, body=add_body())
    assert status == 503 and "build error" in json.loads(answer)["problems"][0]["message"]
    assert snapshot(project.root) == before


def test_only_article_pages_get_the_panel_and_its_files_are_served(panel):
    _, headers, page = call(panel, "GET", "/sub/articles/alpha/")
    tags = f'<script src="/_annotate/panel.js" data-token="{TOKEN}" defer></script>'.encode()
    assert tags + b"</body>" in page and int(headers["Content-Length"]) == len(page)
    assert inspect(page.decode()).found == []  # no inline script: the pages' CSP holds with the panel
    for path in ("/sub/", "/sub/themes/accusation/", "/articles/alpha/", "/sub/en/claims/denial/"):
        assert b"_annotate" not in call(panel, "GET", path)[2], path
    assert tags in call(panel, "GET", "/sub/zh-hant/articles/alpha/index.html")[2]
    status, headers, script = call(panel, "GET", "/_annotate/panel.js")
    assert status == 200 and headers["Content-Type"].startswith("text/javascript") and b"X-Annotate-Token" in script
    assert call(panel, "GET", "/_annotate/../serve.py")[0] == 404


def test_the_panel_is_off_unless_the_preview_listens_on_this_machine_only(project):
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost") and is_loopback("[::1]")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.2") and not is_loopback("example.org")
    assert with_annotate_panel(page_app, project, lambda: None, "/", "0.0.0.0", 8000) is page_app
    assert isinstance(with_annotate_panel(page_app, project, lambda: None, "/", "127.0.0.1", 8000), AnnotatePanel)


def test_new_files_get_the_usual_permissions(project, annotator):
    (project.content / "annotations" / "beta.md").unlink()
    annotator.add(load(project), Selection("beta", 0, "黄仁勋称Qwen是顶尖开源模型。", 0, 3), draft("be-huang"))
    mask = os.umask(0)
    os.umask(mask)
    assert (project.content / "annotations" / "beta.md").stat().st_mode & 0o777 == 0o666 & ~mask


def test_editing_md_shows_the_flow_as_the_panel_writes_it():
    import re
    import textwrap

    from conftest import REPO

    editing = (REPO / "EDITING.md").read_text(encoding="utf-8")
    part = editing.split("## Annotating from the preview", 1)[1].split("\n## ", 1)[0]
    shots = re.findall(r"\]\((docs/annotate/[^)]+\.png)\)", part)
    assert len(shots) == 4 and all((REPO / shot).is_file() for shot in shots)
    assert sum((REPO / shot).stat().st_size for shot in shots) < 500_000
    example = textwrap.dedent(re.search(r"```markdown\n(.*?\n) *```", part, re.S).group(1))
    written = section_text(Draft("gc-launch-signal", "千问APP的发布,不", (Context("suffix", "仅是"),), "framing", "", "",
                                 "storyline", "define-problem", "political",
                                 "文章把千问APP的发布写成一个“信号的释放”,把一次产品上线放进中美AI竞争的叙事中。", "", ""))
    assert example == written
