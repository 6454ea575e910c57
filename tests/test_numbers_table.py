"""The statistics table: dates and years are not statistics, and values are grouped for reading."""

import re

import pytest

from conftest import CAPTURE_HANS, article, cli_for, tiny_files, write_project


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    capture = CAPTURE_HANS.replace("下载量突破6亿次", "2025年以来下载量突破6亿次")
    files = tiny_files()
    files["site.yaml"] += "numbers_theme: statistics\n"
    files["captures/a.txt"] = capture
    files["articles/alpha.md"] = article(
        "alpha", "a.txt", capture, "zh-Hans",
        ["美国指控阿里巴巴为军方提供技术支持。阿里巴巴称这些说法完全不实。", "黄仁勋称Qwen是顶尖开源模型,2025年以来下载量突破6亿次。"],
        trimmed="trimmed:\n  - lines: 1-3\n    what: masthead and headline\n  - lines: 9-\n    what: related news\n")
    files["annotations/alpha.md"] = files["annotations/alpha.md"].replace("> 下载量突破6亿次", "> 2025年以来下载量突破6亿次")
    files["claims/downloads.md"] = files["claims/downloads.md"].replace("verdict: unverifiable", "verdict: unverifiable\nsource_value: 6亿次")
    project = write_project(tmp_path_factory.mktemp("numbers") / "project", files)
    result = cli_for(project, "build", "--out", str(project / "site"))
    assert result.returncode == 0, result.stderr
    return project / "site"


def table(site, edition: str) -> str:
    page = (site / edition / "themes" / "statistics" / "index.html").read_text()
    return re.search(r'<table class="numbers">.*?</table>', page, re.S).group(0)


@pytest.mark.parametrize("edition, stated, value, source", [
    ("", "突破6亿次", "超过6亿(600,000,000)次", '<span lang="zh-Hans">6亿次</span> (6亿(600,000,000)次)'),
    ("zh-hant/", "突破6億次", "超過6億(600,000,000)次", '<span lang="zh-Hant">6億次</span> (6億(600,000,000)次)'),
    ("en/", "突破6亿次", "600,000,000 times (more than)", '<span lang="zh-Hans">6亿次</span> (600,000,000 times)'),
])
def test_the_table_groups_values_and_leaves_out_the_year(site, edition, stated, value, source):
    numbers = table(site, edition)
    rows = re.findall(r"<tr>\s*(?:<th.*?</th>)?\s*<td>.*?</td>\s*<td lang=\"[^\"]+\">(.*?)</td>\s*<td>(.*?)</td>", numbers, re.S)
    assert rows == [(stated, value)]  # one figure: '2025年' is a date, not a statistic
    assert "2025" not in numbers and "2,025" not in numbers
    assert f'<td rowspan="1">{source}</td>' in numbers

