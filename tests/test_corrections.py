"""The corrections log (content/corrections.yaml): its page in every edition, its feed entries, the
links from what it corrected, its loading errors; and the footer's 'report an error' link."""

import re
import xml.etree.ElementTree as ET
from urllib.parse import parse_qs, urlsplit

import pytest

from conftest import REPO, cli_for, tiny_files, write_project
from framing.site.reporting import new_issue_url

ATOM = "{http://www.w3.org/2005/Atom}"
LOG = """# a comment
corrections:
  - date: 2025-11-20
    what: 判定由“无法核实”改为“与来源一致”。
    what_en: The verdict changed from unverifiable to consistent.
    why: 找到了原始声明。
    why_en: The original statement was found.
    claim: denial
  - date: 2025-12-01
    what: 注释补充了来源。
    why: 读者指出遗漏。
    annotation: al-downloads
    article: [beta]
"""


def site_files(log: str = LOG, repository: str = "https://github.com/example-org/framing-archive") -> dict:
    files = tiny_files()
    files["corrections.yaml"] = log
    if repository:
        files["site.yaml"] += f"repository: {repository}\nmaintainer: 示例编辑部\n"
    return files


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    project = write_project(tmp_path_factory.mktemp("corrections") / "project", site_files())
    result = cli_for(project, "build", "--out", str(project / "site"), "--base-url", "https://example.org/archive/")
    assert result.returncode == 0, result.stderr
    return project / "site"


@pytest.mark.parametrize("edition, title, what, why", [
    ("", "更正记录", "注释补充了来源。", "找到了原始声明。"),
    ("zh-hant/", "更正記錄", "註釋補充了來源。", "找到了原始聲明。"),
    ("en/", "Corrections", "注释补充了来源。", "The original statement was found."),  # no English: the Chinese, marked so
])
def test_the_corrections_page_lists_entries_newest_first_in_every_edition(site, edition, title, what, why):
    page = (site / edition / "corrections" / "index.html").read_text()
    assert f"<h1>{title}</h1>" in page
    ids = re.findall(r'<li id="correction-([0-9-]+)">', page)
    assert ids == ["2025-12-01-1", "2025-11-20-1"]
    assert what in page and why in page
    assert f'href="/archive/{edition}articles/alpha/#a-al-downloads"' in page
    assert f'href="/archive/{edition}articles/beta/"' in page
    assert f'href="/archive/{edition}themes/accusation/#claim-denial"' in page
    if edition == "en":
        assert '<dd lang="zh-Hans">注释补充了来源。</dd>' in page


def test_every_page_footer_links_the_log(site):
    for edition in ("", "zh-hant/", "en/"):
        assert f'<a href="/archive/{edition}corrections/">' in (site / edition / "index.html").read_text()


def test_corrected_claims_notes_and_articles_link_to_their_corrections(site):
    claim = (site / "en" / "claims" / "denial" / "index.html").read_text()
    assert '<p class="corrected"><a href="/archive/en/corrections/#correction-2025-11-20-1">Corrected 2025-11-20</a></p>' in claim
    alpha = (site / "articles" / "alpha" / "index.html").read_text()
    note = re.search(r'<div class="note tone-\d" id="n-al-downloads">.*?</div>\n</div>|<div class="note tone-\d" id="n-al-downloads">.*?\n</div>', alpha, re.S).group(0)
    assert '<a href="/archive/corrections/#correction-2025-12-01-1">2025-12-01更正</a>' in note
    assert "correction-" not in re.search(r'id="n-al-denial">.*?\n</div>', alpha, re.S).group(0)
    beta = (site / "zh-hant" / "articles" / "beta" / "index.html").read_text()
    assert '<a href="/archive/zh-hant/corrections/#correction-2025-12-01-1">2025-12-01更正</a>' in beta


@pytest.mark.parametrize("edition", ["", "zh-hant/", "en/"])
def test_each_feed_has_an_entry_per_correction(site, edition):
    feed = ET.parse(site / edition / "feed.xml").getroot()
    entries = [e for e in feed.findall(f"{ATOM}entry") if "/corrections/" in e.find(f"{ATOM}id").text]
    assert len(entries) == 2
    links = [e.find(f"{ATOM}link").get("href") for e in entries]
    assert links[0] == f"https://example.org/archive/{edition}corrections/#correction-2025-12-01-1"
    assert entries[0].find(f"{ATOM}updated").text == "2025-12-01T00:00:00+08:00"
    assert feed.find(f"{ATOM}updated").text == "2025-12-01T00:00:00+08:00"  # the newest date is a correction's


def test_the_footer_reports_an_error_about_the_page_itself(site):
    page = (site / "en" / "articles" / "alpha" / "index.html").read_text()
    href = re.search(r'<a class="report-error" rel="noopener" href="([^"]+)">Report an error</a>', page).group(1)
    url = urlsplit(href.replace("&amp;", "&"))
    assert (url.netloc, url.path) == ("github.com", "/example-org/framing-archive/issues/new")
    query = parse_qs(url.query)
    assert query["title"] == ["Error report: 文章alpha"]
    assert query["body"][0].startswith("Page: https://example.org/archive/en/articles/alpha/\n")
    assert "Maintained by <span lang=\"zh-Hans\">示例编辑部</span>" in page
    zh = (site / "themes" / "statistics" / "index.html").read_text()
    href = re.search(r'<a class="report-error" rel="noopener" href="([^"]+)">报告错误</a>', zh).group(1)
    body = parse_qs(urlsplit(href.replace("&amp;", "&")).query)["body"][0]
    assert body.startswith("页面") and "https://example.org/archive/themes/statistics/\n" in body


def test_without_a_repository_there_is_no_report_link_and_an_empty_log_says_so(tmp_path):
    project = write_project(tmp_path / "p", site_files(log="# nothing corrected yet\ncorrections: []\n", repository=""))
    assert cli_for(project, "build", "--out", str(project / "site")).returncode == 0
    page = (project / "site" / "en" / "corrections" / "index.html").read_text()
    assert "There are no corrections yet." in page and "report-error" not in page and "Maintained by" not in page


def test_new_issue_links_by_host():
    assert new_issue_url("", "t", "b") == ""
    gitlab = new_issue_url("https://gitlab.com/group/sub/project", "t t", "b")
    assert gitlab == "https://gitlab.com/group/sub/project/-/issues/new?issue%5Btitle%5D=t%20t&issue%5Bdescription%5D=b"
    assert new_issue_url("https://git.example.org/archive", "t", "b") == "https://git.example.org/archive"
    assert new_issue_url("https://github.com/owner/repo/", "a&b", "c") == "https://github.com/owner/repo/issues/new?title=a%26b&body=c"


@pytest.mark.parametrize("log, line, message", [
    (LOG.replace("claim: denial", "claim: denail"), 3, "the correction of 2025-11-20 names the claim 'denail', which does not exist (did you mean 'denial'?)"),
    (LOG.replace("    claim: denial\n", ""), 3, "a correction must say what it concerns"),
    (LOG.replace("date: 2025-11-20", "date: 2025-13-20"), 3, "date: '2025-13-20' is an impossible date"),
    (LOG.replace("    why: 读者指出遗漏。\n", ""), 9, "the required field 'why' is missing or empty"),
    (LOG.replace("article: [beta]", "articel: [beta]"), 13, "unknown field 'articel' (did you mean 'article'?)"),
    ("corrections: yes\n", 1, "corrections.yaml must hold a list under 'corrections:'"),
])
def test_log_problems_name_file_and_line(tmp_path, log, line, message):
    result = cli_for(write_project(tmp_path / "p", site_files(log=log)), "check")
    assert result.returncode == 1
    assert f"content/corrections.yaml:{line}: {message}" in result.stderr


def test_the_seed_log_records_the_verdicts_it_changed():
    log = (REPO / "content" / "corrections.yaml").read_text()
    for claim in ("alibaba-cloud-and-stock-share-price", "qwen3-languages-and-parity-performance", "musk-wan22-images"):
        assert claim in log
        verdict = re.search(r"^verdict: (\S+)$", (REPO / "content" / "claims" / f"{claim}.md").read_text(), re.M).group(1)
        assert verdict != "unverifiable"
