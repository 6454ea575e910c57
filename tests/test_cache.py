"""The build cache beside the output folder: it makes builds faster and never makes them different."""

import json
import shutil

from conftest import cli_for
from test_determinism import digest_tree


def build(project, out, *extra):
    result = cli_for(project, "build", "--out", str(out), "--force", *extra)
    assert result.returncode == 0, result.stderr
    return result


def cold_digest(project, tmp_path):
    out = tmp_path / "cold"
    shutil.rmtree(tmp_path / ".cold.cache", ignore_errors=True)
    build(project, out)
    return digest_tree(out)


def test_a_warm_cache_gives_the_bytes_of_a_cold_one(tiny, tmp_path):
    site = tiny / "site"
    build(tiny, site)
    cache = tiny / ".site.cache"
    assert (cache / "markdown.json").is_file()
    assert list((cache / "templates").rglob("*.cache")), "the compiled templates are kept"
    build(tiny, site)
    assert digest_tree(site) == cold_digest(tiny, tmp_path)
    assert not (site / ".site.cache").exists() and "cache" not in {p.name for p in site.iterdir()}


def test_a_corrupt_or_foreign_cache_is_ignored(tiny, tmp_path):
    site = tiny / "site"
    build(tiny, site)
    cache = tiny / ".site.cache"
    for compiled in (cache / "templates").rglob("*.cache"):
        compiled.write_bytes(b"not bytecode")
    markdown = json.loads((cache / "markdown.json").read_text(encoding="utf-8"))
    # The same texts, rendered wrongly, by "another version of the generator": never used.
    (cache / "markdown.json").write_text(json.dumps({"generator": "other", "html": {k: "<p>WRONG</p>" for k in markdown["html"]}}),
                                         encoding="utf-8")
    build(tiny, site)
    assert digest_tree(site) == cold_digest(tiny, tmp_path)
    (cache / "markdown.json").write_text("{not json", encoding="utf-8")
    build(tiny, site)
    assert digest_tree(site) == cold_digest(tiny, tmp_path)


def test_the_cache_keeps_only_what_the_last_build_used(tiny):
    site = tiny / "site"
    build(tiny, site)
    before = json.loads((tiny / ".site.cache" / "markdown.json").read_text(encoding="utf-8"))["html"]
    claim = tiny / "content" / "claims" / "denial.md"
    claim.write_text(claim.read_text(encoding="utf-8").replace("阿里巴巴的声明与来源一致。", "阿里巴巴的声明与来源一致,已改写。"),
                     encoding="utf-8")
    build(tiny, site)
    after = json.loads((tiny / ".site.cache" / "markdown.json").read_text(encoding="utf-8"))["html"]
    assert len(after) == len(before) and after != before  # the old text's entry went with it


def test_a_cache_that_cannot_be_written_does_not_fail_the_build(tiny, tmp_path):
    (tiny / ".site.cache").write_text("a file where the cache folder would go", encoding="utf-8")
    build(tiny, tiny / "site")
    assert digest_tree(tiny / "site") == cold_digest(tiny, tmp_path)


def test_a_failed_build_leaves_the_cache_as_it_was(tiny):
    site = tiny / "site"
    build(tiny, site)
    before = digest_tree(tiny / ".site.cache")
    (tiny / "templates" / "article.html").write_text("{% block main %}{{ nowhere.defined }}{% endblock %}", encoding="utf-8")
    assert cli_for(tiny, "build", "--out", str(site)).returncode == 1
    assert digest_tree(tiny / ".site.cache") == before
