"""'build.py serve': serves under the base path, rebuilds on save, shows errors, recovers."""

import contextlib
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from conftest import REPO


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
