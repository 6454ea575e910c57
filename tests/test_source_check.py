"""content/publishers.yaml and the source check: publishers known, urls on their publisher's domains,
and every claim with an original or reputable source or a stated reason."""

import pytest

from conftest import REPO, cli_for, in_english, run_cli, tiny_files, write_project
from framing.source.publishers import on_domains
from framing.source.records import Place, Publisher

PUBLISHERS = ("publishers:\n"
              "  - name: 测试社\n    also: [测试社(转述)]\n    kind: reputable\n    domains: [example.org]\n"
              "  - name: 博客\n    kind: secondary\n    domains: [blog.example.net]\n")


def project_with(tmp_path, publishers: str | None = PUBLISHERS, **claims: str):
    files = in_english(tiny_files())  # the English-page check finds nothing, so what is reported is the source check's
    if publishers is not None:
        files["publishers.yaml"] = publishers
    for name, text in claims.items():
        files[f"claims/{name}.md"] = text
    return write_project(tmp_path / "project", files)


DENIAL_FROM_A_BLOG = ("---\ntheme: accusation\nlabel: 阿里巴巴否认\nverdict: consistent\nsources:\n"
                      "  - publisher: 博客\n    title: 转述\n    date: 2025-11-15\n    url: https://blog.example.net/x\n"
                      "  - publisher: 测试社\n    title: 报道\n    date: 2025-11-15\n    url: https://mirror.example.com/copy\n"
                      "---\n阿里巴巴的声明与来源一致。\n")


def test_a_clean_archive_passes_and_says_what_it_checked(tmp_path):
    result = cli_for(project_with(tmp_path), "check", "--strict")
    assert result.returncode == 0, result.stderr
    assert "sources: 1 sources of 2 claims and the events checked; 0 with a url not on its publisher's domains, " \
           "0 claims without an original or reputable source" in result.stdout
    assert "warning" not in result.stderr


def test_without_publishers_yaml_sources_are_not_checked(tmp_path):
    result = cli_for(project_with(tmp_path, publishers=None), "check", "--strict")
    assert result.returncode == 0 and "sources: not checked (there is no content/publishers.yaml)" in result.stdout


def test_a_copy_in_url_and_a_claim_without_a_reputable_source_are_warnings(tmp_path):
    project = project_with(tmp_path, denial=DENIAL_FROM_A_BLOG)
    result = cli_for(project, "check")
    assert result.returncode == 0, result.stderr
    assert ("content/claims/denial.md:10: the url of this '测试社' source is not on its domains (example.org): "
            "https://mirror.example.com/copy\n    fix: a copy read elsewhere belongs in 'via:'") in result.stderr
    assert ("content/claims/denial.md:6: the claim 'denial' has no source from an original or reputable publisher "
            "(its sources are reputable, secondary)") in result.stderr
    assert result.stderr.count("warning: ") == 2
    assert "1 with a url not on its publisher's domains, 1 claims without an original or reputable source (warnings" in result.stdout
    strict = cli_for(project, "check", "--strict")
    assert strict.returncode == 1 and "(errors with --strict)" in strict.stdout
    assert cli_for(project, "build", "--out", str(project / "site"), "--quiet").returncode == 0  # a build does not stop


def test_the_copy_moved_to_via_and_a_reason_clear_the_warnings(tmp_path):
    fixed = DENIAL_FROM_A_BLOG.replace("url: https://mirror.example.com/copy", "via: https://mirror.example.com/copy")
    assert cli_for(project_with(tmp_path, denial=fixed), "check", "--strict").returncode == 0
    reasoned = DENIAL_FROM_A_BLOG.replace("verdict: consistent\n", "verdict: consistent\nno_source: 原声明已删除,只有转述。\n")
    reasoned = reasoned.replace("url: https://mirror.example.com/copy", "via: https://mirror.example.com/copy")
    reasoned = reasoned.replace("publisher: 测试社", "publisher: 博客")
    in_english_too = "---\nlabel: Alibaba's denial\nno_source: The original statement was deleted; only reports remain.\n---\n" \
                     "The statement matches the sources.\n"  # the English pages show the reason too
    assert cli_for(project_with(tmp_path / "2", denial=reasoned, **{"denial.en": in_english_too}),
                   "check", "--strict").returncode == 0


@pytest.mark.parametrize("publishers, where, message", [
    (PUBLISHERS.replace("kind: reputable", "kind: news"), "publishers.yaml:4", "'news' is not a valid kind"),
    (PUBLISHERS.replace("domains: [example.org]", "domains: [https://example.org]"), "publishers.yaml:5",
     "'https://example.org' is not a host name such as example.com"),
    (PUBLISHERS.replace("name: 博客", "name: 测试社(转述)"), "publishers.yaml:6",
     "'测试社(转述)' is already a name of the publisher on line 2"),
    ("publishers: 测试社\n", "publishers.yaml:1", "publishers.yaml must hold a list under 'publishers:'"),
    (PUBLISHERS.replace("name: 测试社\n", "name: 测试社\n    domain: [x.org]\n"), "publishers.yaml:3",
     "unknown field 'domain' (did you mean 'domains'?)"),
])
def test_publishers_yaml_problems_name_file_and_line(tmp_path, publishers, where, message):
    result = cli_for(project_with(tmp_path, publishers=publishers), "check")
    assert result.returncode == 1
    assert f"content/{where}: {message}" in result.stderr


def test_a_source_naming_an_unlisted_publisher_is_an_error(tmp_path):
    claim = tiny_files()["claims/denial.md"].replace("publisher: 测试社", "publisher: 测试報")
    result = cli_for(project_with(tmp_path, denial=claim), "check")
    assert result.returncode == 1
    assert "content/claims/denial.md:6: the publisher '测试報' is not in content/publishers.yaml" in result.stderr
    assert "fix: add it to content/publishers.yaml" in result.stderr


def test_domains_match_subdomains_and_path_prefixes_only():
    publisher = Publisher("Q", Place("p", 1), "original", ("qwen.ai", "github.com/QwenLM"))
    assert on_domains("https://qwen.ai/blog", publisher) and on_domains("https://chat.qwen.ai/", publisher)
    assert on_domains("https://github.com/QwenLM/Qwen3", publisher) and on_domains("https://github.com/QwenLM", publisher)
    assert not on_domains("https://notqwen.ai/", publisher) and not on_domains("https://qwen.ai.example.com/", publisher)
    assert not on_domains("https://github.com/QwenLMX/x", publisher) and not on_domains("https://github.com/other", publisher)


def test_the_seed_names_only_listed_publishers_and_passes_the_source_check():
    result = run_cli("check", "--coverage", "100")
    assert result.returncode == 0, result.stderr
    assert "0 with a url not on its publisher's domains, 0 claims without an original or reputable source\n" in result.stdout
    assert "warning: " not in result.stderr
    assert "not in content/publishers.yaml" not in result.stderr
    assert (REPO / "content" / "publishers.yaml").is_file()
