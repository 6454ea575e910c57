"""Rebuilds: nothing is rebuilt when nothing changed, and a rebuild equals a clean build."""

import os
import shutil

from conftest import cli_for
from test_determinism import digest_tree


def build(project, out, *extra):
    result = cli_for(project, "build", "--out", str(out), *extra)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_unchanged_input_is_not_rebuilt(tiny):
    site = tiny / "site"
    assert "built" in build(tiny, site)
    stamp = os.stat(site / "index.html").st_mtime_ns
    assert "is up to date" in build(tiny, site)
    assert os.stat(site / "index.html").st_mtime_ns == stamp
    assert "built" in build(tiny, site, "--force")


def test_each_kind_of_change_rebuilds_and_matches_a_clean_build(tiny):
    site = tiny / "site"
    build(tiny, site)
    changes = [
        (tiny / "content" / "annotations" / "alpha.md", "阿里巴巴的**否认**。", "阿里巴巴的**否认**,已核实。"),
        (tiny / "content" / "articles" / "beta.md", "title: 文章beta", "title: 文章贝塔"),
        (tiny / "templates" / "article.html", "{% block main %}", "{% block main %}<!-- edited -->"),
        (tiny / "content" / "claims" / "denial.md", "verdict: consistent", "verdict: overstated"),
    ]
    for path, old, new in changes:
        path.write_text(path.read_text().replace(old, new))
        assert "built" in build(tiny, site), path
        clean = tiny / "clean"
        shutil.rmtree(tiny / ".clean.cache", ignore_errors=True)  # clean: no cache either
        build(tiny, clean, "--force")
        assert digest_tree(site) == digest_tree(clean), path


def test_a_touched_output_is_rebuilt(tiny):
    site = tiny / "site"
    build(tiny, site)
    (site / "404.html").unlink()
    assert "built" in build(tiny, site)
    assert (site / "404.html").is_file()


def test_another_base_url_is_rebuilt(tiny):
    site = tiny / "site"
    build(tiny, site)
    assert "built" in build(tiny, site, "--base-url", "/repo/")
    assert 'href="/repo/assets/' in (site / "index.html").read_text()


def test_a_failed_build_forgets_nothing_it_should_not(tiny):
    site = tiny / "site"
    build(tiny, site)
    before = digest_tree(site)
    annotations = tiny / "content" / "annotations" / "alpha.md"
    good = annotations.read_text()
    annotations.write_text(good.replace("theme", "thme") + "## broken\n")
    assert cli_for(tiny, "build", "--out", str(site)).returncode == 1
    assert digest_tree(site) == before
    annotations.write_text(good)  # back to the built state: the previous output is current again
    assert "built" in build(tiny, site) or "up to date" in build(tiny, site)
    assert digest_tree(site) == before
