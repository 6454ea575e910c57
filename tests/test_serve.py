"""'build.py serve': serves under the base path, rebuilds on save, shows errors, recovers."""

import asyncio
import contextlib
import json
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from conftest import REPO, cli_for


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


def wait_for(url, predicate, timeout=20):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            last = fetch(url)
            if predicate(*last):
                return last
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {url}; last answer {last!r:.300}")


@contextlib.contextmanager
def preview(project, base_url, output=subprocess.DEVNULL):
    """'build.py serve' on a free port for the project; yields the server's root URL; stops it after."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, str(REPO / "build.py"), "serve", "--port", str(port), "--base-url", base_url,
         "--content", str(project / "content"), "--templates", str(project / "templates")],
        stdout=output, stderr=subprocess.STDOUT)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture
def server(tiny):
    with preview(tiny, "/sub/") as root:
        yield tiny, root


def test_serve_rebuilds_shows_errors_and_recovers(server):
    project, root = server
    status, page = wait_for(root + "/sub/themes/accusation/", lambda s, b: s == 200)
    assert 'href="/sub/assets/style.' in page
    assert '<script src="/livereload.js?port=' in page and "</head>" not in page

    intro = project / "content" / "themes" / "accusation.md"
    intro.write_text(intro.read_text().replace("关于指控的介绍。", "改过的介绍。"))
    wait_for(root + "/sub/themes/accusation/", lambda s, b: "改过的介绍。" in b)

    annotations = project / "content" / "annotations" / "beta.md"
    good = annotations.read_text()
    annotations.write_text(good.replace("theme: accusation", "theme: acusation"))
    status, page = wait_for(root + "/sub/", lambda s, b: s == 500)
    assert "annotations/beta.md:5" in page and "unknown theme" in page and "did you mean" in page

    annotations.write_text(good)
    wait_for(root + "/sub/", lambda s, b: s == 200 and "测试档案" in b)


def test_serve_redirects_root_to_base_and_serves_404(server):
    _, root = server
    wait_for(root + "/sub/", lambda s, b: s == 200)
    request = urllib.request.Request(root + "/")
    opener = urllib.request.build_opener(type("NoRedirect", (urllib.request.HTTPRedirectHandler,), {"redirect_request": lambda *a: None}))
    with pytest.raises(urllib.error.HTTPError) as caught:
        opener.open(request, timeout=5)
    assert caught.value.code == 302 and caught.value.headers["Location"] == "/sub/"
    status, page = fetch(root + "/sub/no/such/page/")
    assert status == 404 and "页面不存在" in page


def test_serve_adds_the_search_index_after_the_pages(server):
    _, root = server
    wait_for(root + "/sub/", lambda s, b: s == 200)
    status, body = wait_for(root + "/sub/pagefind/pagefind.js", lambda s, b: s == 200, timeout=60)
    assert "pagefind" in body.lower()


def test_serve_gives_every_file_the_build_writes_byte_for_byte(tiny, tmp_path):
    """Pages rendered on request, feeds, data and the search index added later: all as 'build' makes them."""
    built = tmp_path / "built"
    assert cli_for(tiny, "build", "--out", str(built), "--base-url", "/sub/", "--quiet").returncode == 0
    with preview(tiny, "/sub/") as root:
        port = root.rsplit(":", 1)[1]
        wait_for(root + "/sub/pagefind/pagefind.js", lambda s, b: s == 200, timeout=60)
        files = sorted(p for p in built.rglob("*") if p.is_file())
        assert len(files) > 50
        for path in files:
            relative = path.relative_to(built).as_posix()
            with urllib.request.urlopen(f"{root}/sub/{relative}", timeout=10) as response:
                served = response.read()
            expected = path.read_bytes()
            if relative.endswith(".html"):
                expected = expected.replace(b"</head>", f'<script src="/livereload.js?port={port}" defer></script>'.encode(), 1)
            if re.search(r"(^|/)articles/[a-z0-9-]+/index\.html$", relative):  # the annotation panel, on article pages only
                token = re.search(rb'data-token="([A-Za-z0-9_-]{43})"', served).group(1)
                panel = b'<link rel="stylesheet" href="/_annotate/panel.css"><script src="/_annotate/panel.js" data-token="%s" defer></script>' % token
                expected = expected.replace(b"</body>", panel + b"</body>")
            assert served == expected, relative


def test_a_save_rebuilds_once_and_tells_the_browser_to_reload(tiny, tmp_path):
    """Two files saved together: one rebuild, and a reload message on livereload's websocket."""
    from tornado.ioloop import IOLoop
    from tornado.websocket import websocket_connect

    log = tmp_path / "serve.log"
    with log.open("wb") as output, preview(tiny, "/sub/", output) as root:
        wait_for(root + "/sub/", lambda s, b: s == 200)
        port = root.rsplit(":", 1)[1]

        async def reload_after_saving():
            socket = await websocket_connect(f"ws://127.0.0.1:{port}/livereload")
            await socket.write_message(json.dumps({"command": "hello", "protocols": ["http://livereload.com/protocols/official-7"]}))
            assert json.loads(await socket.read_message())["command"] == "hello"
            await socket.write_message(json.dumps({"command": "info", "url": root + "/sub/"}))
            time.sleep(0.3)  # let the server register this browser before the save
            for name, old, new in (("themes/accusation.md", "关于指控的介绍。", "改过的介绍。"),
                                   ("themes/statistics.md", "关于数字的介绍", "改过的数字介绍")):
                source = tiny / "content" / name
                text = source.read_text()
                assert old in text
                source.write_text(text.replace(old, new, 1))
            message = await asyncio.wait_for(socket.read_message(), timeout=20)
            socket.close()
            return json.loads(message)

        assert IOLoop.current().run_sync(reload_after_saving)["command"] == "reload"
        status, page = fetch(root + "/sub/themes/accusation/")
        assert status == 200 and "改过的介绍。" in page
        time.sleep(1)
    assert log.read_text().count("rebuilt in") == 2  # the first build and one for both saves


def test_a_template_error_on_a_page_not_yet_opened_still_shows(server):
    """Pages render when asked for; the background pass renders the rest and reports what fails."""
    project, root = server
    wait_for(root + "/sub/", lambda s, b: s == 200)
    template = project / "templates" / "claim.html"
    text = template.read_text()
    template.write_text(text.replace("{% block main %}", "{% block main %}{{ no_such_value }}", 1))
    status, page = wait_for(root + "/sub/", lambda s, b: s == 500, timeout=30)
    assert "templates/claim.html" in page and "no_such_value" in page
    template.write_text(text)
    wait_for(root + "/sub/", lambda s, b: s == 200)


def test_a_port_another_program_holds_is_a_message_not_a_traceback(tiny):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = cli_for(tiny, "serve", "--port", str(port))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"cannot serve on 127.0.0.1:{port}: Address already in use; stop the program using the port, " \
           f"or choose another, e.g. --port {port + 1}" in result.stderr
    assert "serving http://" not in result.stderr  # said only once the port is bound


def test_the_watcher_falls_back_to_polling_when_file_events_fail(monkeypatch, capsys):
    """Where the system refuses file events (an inotify limit, say), saves are still noticed, by polling."""
    from framing.preview import watch
    calls = []

    def fake_watch(*folders, force_polling=None, **options):
        calls.append(force_polling)
        if force_polling is not True:
            raise OSError(28, "inotify watch limit reached")
        yield {(1, "content/annotations/a.md")}

    monkeypatch.setattr(watch.watchfiles, "watch", fake_watch)
    watcher = watch.EventWatcher(rebuild=lambda: None)
    woken = []
    watcher._wake = lambda: woken.append(True)
    watcher._listen(["content"])
    assert calls == [None, True] and woken == [True] and watcher.changed == ["content/annotations/a.md"]
    assert "looking for changes every 0.3 s" in capsys.readouterr().err


def test_a_save_keeps_every_output_whose_reads_did_not_change(tiny, monkeypatch):
    """The preview keeps the archive and what each output read between saves: after an edit to one
    annotation, the pages that show it are made again, and every other page is kept as it was."""
    from framing.preview import serve as preview_module
    from framing.pipeline import Project

    monkeypatch.setattr(preview_module, "SETTLE_SECONDS", 3600)  # no background completion during the test
    state = preview_module.PreviewState(Project.at(tiny), "/")
    state.rebuild()
    first = state.site
    for path in list(first.outputs):
        first.get(path)
    annotation = tiny / "content" / "annotations" / "beta.md"
    annotation.write_text(annotation.read_text(encoding="utf-8").replace("简体引文锚定繁体文章。", "简体引文锚定繁体的文章。"),
                          encoding="utf-8")
    state.rebuild()
    second = state.site
    assert second is not first and state.error is None
    remade = {path for path in second.outputs if path not in second.made}
    assert {"articles/beta/index.html", "zh-hant/articles/beta/index.html", "en/articles/beta/index.html",
            "themes/accusation/index.html", "index.html"} <= remade
    assert not {"articles/alpha/index.html", "themes/statistics/index.html", "404.html"} & remade
    assert len(remade) < len(second.outputs) / 2
    for path in second.outputs:  # what is kept is what a fresh rebuild makes
        assert second.get(path) == preview_module.PreviewSite.of(second.plan, state.project).get(path), path


def test_the_first_rebuild_takes_from_the_last_build_what_did_not_change(tiny, monkeypatch):
    """Started beside a built site/, the preview reads its unchanged outputs from there instead of
    making them; what it serves is what it would make."""
    from framing import pipeline
    from framing.incremental.reuse import Reuse
    from framing.preview import serve as preview_module
    from framing.project import Project

    project = Project.at(tiny)
    pipeline.build(project, tiny / "site", base_url="/", search=False)
    annotation = tiny / "content" / "annotations" / "beta.md"
    annotation.write_text(annotation.read_text(encoding="utf-8").replace("简体引文锚定繁体文章。", "简体引文锚定繁体的文章。"),
                          encoding="utf-8")
    monkeypatch.setattr(preview_module, "SETTLE_SECONDS", 3600)
    taken = []
    original = preview_module.PreviewSite._from_build
    monkeypatch.setattr(preview_module.PreviewSite, "_from_build",
                        lambda site, path, output: original(site, path, output) and (taken.append(path) or True))
    state = preview_module.PreviewState(project, "/", reuse=Reuse(tiny / "site"))
    state.rebuild()
    site, fresh = state.site, preview_module.PreviewSite.of(state.site.plan, project)
    for path in site.outputs:
        assert site.get(path) == fresh.get(path), path
    assert "articles/alpha/index.html" in taken and "themes/statistics/index.html" in taken
    assert "articles/beta/index.html" not in taken and "themes/accusation/index.html" not in taken


def test_an_edit_to_the_script_overrides_shows_in_the_traditional_pages(server):
    """The preview keeps its converter from one save to the next: it must forget what it converted
    under the overrides before."""
    project, root = server
    intro = project / "content" / "themes" / "accusation.md"
    intro.write_text(intro.read_text().replace("关于指控的介绍。", "美国历史的介绍。"))
    page = root + "/sub/zh-hant/themes/accusation/"
    wait_for(page, lambda s, b: "美國曆史的介紹。" in b)
    overrides = project / "content" / "script-overrides.yaml"
    overrides.write_text("国历史: 國歷史\n", encoding="utf-8")
    wait_for(page, lambda s, b: "美國歷史的介紹。" in b)
    overrides.write_text("信息: 資訊\n", encoding="utf-8")
    status, body = wait_for(page, lambda s, b: s == 500)
    assert "script-overrides.yaml:1" in body and "never words" in body
    overrides.unlink()
    wait_for(page, lambda s, b: s == 200 and "美國曆史的介紹。" in b)
