"""The base URL: a path or an http(s) address, checked so that no link of the site can break."""

import re

import pytest
from hypothesis import example, given, settings, strategies as st

from conftest import cli_for, tiny_files, write_project
from framing.source.baseurl import BaseUrl, BaseUrlError, parse_base_url

_PATH = re.compile(r"/(?:[A-Za-z0-9\-._~!$&'()*+,;=:@%]+/)*")


@pytest.mark.parametrize("given_url, path, origin", [
    ("", "/", ""),
    ("/", "/", ""),
    ("repo", "/repo/", ""),
    ("/repo", "/repo/", ""),
    ("  /repo/  ", "/repo/", ""),
    ("//a//b", "/a/b/", ""),
    ("/a%20b/", "/a%20b/", ""),
    ("/a~b_c.d-e/", "/a~b_c.d-e/", ""),
    ("/档案/", "/%E6%A1%A3%E6%A1%88/", ""),
    ("https://user.github.io/repo", "/repo/", "https://user.github.io"),
    ("https://user.github.io", "/", "https://user.github.io"),
    ("HTTPS://User.GitHub.io/Repo/", "/Repo/", "https://user.github.io"),
    ("http://localhost:8000/preview/", "/preview/", "http://localhost:8000"),
    ("http://[::1]:8000/", "/", "http://[::1]:8000"),
    ("https://例子.中国/档案/", "/%E6%A1%A3%E6%A1%88/", "https://xn--fsqu00a.xn--fiqs8s"),
    ("https://例子.中国:8443/", "/", "https://xn--fsqu00a.xn--fiqs8s:8443"),
])
def test_a_base_url_gives_its_path_and_origin(given_url, path, origin):
    assert parse_base_url(given_url) == BaseUrl(path, origin)


@pytest.mark.parametrize("given_url, what, fix", [
    ("/a b/", "holds a space", "%20"),
    ('/a"b/', "holds '\"'", "%22"),
    ("/a<b>/", "holds '<'", "%3C"),
    ("/a\\b/", "holds '\\\\'", "%5C"),
    ("/a\tb/", "holds '\\t'", "%09"),
    ("/a?b/", "has a query (?…) or a fragment (#…)", "such as /repo/"),
    ("/repo/#top", "has a query (?…) or a fragment (#…)", "such as /repo/"),
    ("https://user.github.io/repo/?q=1", "has a query", "such as /repo/"),
    ("/../repo/", "has a '.' or '..' segment", "without them"),
    ("/repo/./", "has a '.' or '..' segment", "without them"),
    ("/%2E%2e/repo/", "has a '.' or '..' segment", "without them"),
    ("/a%zz/", "a '%' that is not followed by two hexadecimal digits", "%25"),
    ("/100%/", "a '%' that is not followed by two hexadecimal digits", "%25"),
    ("javascript://x/", "is not an http(s) address with a host name", "https://user.github.io/repo/"),
    ("ftp://host/repo/", "is not an http(s) address", "/repo/"),
    ("https:///repo/", "is not an http(s) address", "/repo/"),
    ("https://user:secret@host/repo/", "is not an http(s) address", "/repo/"),
    ("https://a..b/repo/", "is not an http(s) address", "/repo/"),
    ("https://-host-/repo/", "is not an http(s) address", "/repo/"),
    ("https://ho st/repo/", "is not an http(s) address", "/repo/"),
    ("https://" + "例" * 70 + ".cn/", "is not an http(s) address", "/repo/"),  # a label IDNA cannot write
])
def test_a_base_url_that_would_break_links_is_refused_with_a_fix(given_url, what, fix):
    with pytest.raises(BaseUrlError) as refused:
        parse_base_url(given_url)
    assert what in refused.value.message and fix in refused.value.fix


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=40) | st.from_regex(r"(https?://[a-z0-9.]{1,12}(:[0-9]{1,5})?)?(/[^?#]{0,8}){0,4}", fullmatch=True))
@example("/档案/a b")
@example("https://host/a/%2e/")
@example("https://例子.中国:80/档案")
def test_a_checked_base_url_is_a_plain_path_and_checking_it_again_changes_nothing(text):
    try:
        checked = parse_base_url(text)
    except BaseUrlError:
        return
    assert _PATH.fullmatch(checked.path), checked
    assert checked.origin == "" or re.fullmatch(r"https?://[\x21-\x7e]+", checked.origin) and "/" not in checked.origin[8:]
    assert parse_base_url(str(checked)) == checked


def test_build_refuses_a_base_url_with_a_space_before_writing_anything(tiny):
    out = tiny / "out"
    done = cli_for(tiny, "build", "--out", str(out), "--base-url", "/my archive/")
    assert done.returncode == 2 and not out.exists()
    assert "argument --base-url: the base URL '/my archive/' holds a space" in done.stderr
    assert "percent-encoded (%20)" in done.stderr and "Traceback" not in done.stderr


def test_serve_refuses_a_base_url_with_a_query(tiny):
    done = cli_for(tiny, "serve", "--base-url", "/repo/?v=2")
    assert done.returncode == 2
    assert "argument --base-url: the base URL '/repo/?v=2' has a query" in done.stderr


def test_a_wrong_base_url_in_site_yaml_is_reported_at_its_line(tmp_path):
    files = tiny_files()
    files["site.yaml"] = files["site.yaml"].replace("base_url: /\n", "base_url: /repo/../other/\n")
    project = write_project(tmp_path / "project", files)
    line = files["site.yaml"].splitlines().index("base_url: /repo/../other/") + 1
    done = cli_for(project, "check")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert f"site.yaml:{line}: the base URL '/repo/../other/' has a '.' or '..' segment" in done.stderr
    assert "fix: write the folder's path without them" in done.stderr


def test_a_base_url_beyond_ascii_is_written_percent_encoded_in_every_link(tiny):
    out = tiny / "out"
    done = cli_for(tiny, "build", "--out", str(out), "--base-url", "https://example.org/档案")
    assert done.returncode == 0, done.stderr
    page = (out / "index.html").read_text()
    assert 'href="/%E6%A1%A3%E6%A1%88/zh-hant/"' in page
    assert '<link rel="canonical" href="https://example.org/%E6%A1%A3%E6%A1%88/">' in page
    assert "档案/" not in page
