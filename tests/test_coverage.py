"""'check --coverage': claim-like passages that no annotation covers, counted and listed."""

import pytest

from conftest import cli_for
from framing.source.coverage import NUMBER, claim_like_passages
from framing.source.records import Article


def article(*paragraphs):
    return Article("x", None, "", "", (), None, (), "zh", "zh-Hans", "", "", (), "", tuple(paragraphs), tuple(range(len(paragraphs))))


@pytest.mark.parametrize("text,expected", [
    ("开源了300多款模型", ["300多款"]),
    ("尺寸从0.5B到480B", ["0.5B", "480B"]),
    ("下载量突破6亿次,衍生模型超17万个", ["突破6亿次", "超17万个"]),
    ("收益率22.32%,GPT-5亏损超62%", ["22.32%", "超62%"]),
    ("投入5000亿美元", ["5000亿美元"]),
    ("月活突破3000萬", ["突破3000萬"]),
    ("历经十六年的沉淀,一千多万用户", ["十六年", "一千多万"]),
    ("H100、Qwen3-Coder与Wan2.2", []),
])
def test_numbers_with_units(text, expected):
    assert [m.group() for m in NUMBER.finditer(text)] == expected


def test_passage_kinds():
    passages = claim_like_passages(article("黄仁勋称其为“顶尖开源模型”,下载量突破6亿次。一款应用,对他来说很好。"))
    kinds = [(p.kind, p.text) for p in passages]
    assert ("attribution", "黄仁勋称其为“顶尖开源模型”") in kinds
    assert ("quotation", "“顶尖开源模型”") in kinds
    assert ("number", "突破6亿次") in kinds
    assert not any(text in ("一款", "对他来说很好") for _, text in kinds)


def test_coverage_counts_on_the_tiny_archive(tiny):
    result = cli_for(tiny, "check", "--coverage", "60")
    # alpha: 阿里巴巴称… (covered), 黄仁勋称… (not), 突破6亿次 (covered); beta: 黃仁勛稱… (covered), …有人說… (not)
    assert "alpha: 2/3 covered (66.7 %), 0 out of scope" in result.stdout
    assert "beta: 1/2 covered (50.0 %), 0 out of scope" in result.stdout
    assert "overall: 3/5 covered (60.0 %)" in result.stdout
    assert "alpha ¶2 [attribution] 黄仁勋称Qwen是顶尖开源模型" in result.stdout
    assert "beta ¶2 [attribution] 這裡的實驗室里有人說開源贏了" in result.stdout
    assert result.returncode == 0
    assert cli_for(tiny, "check", "--coverage").returncode == 1  # below the default 95 %


def test_uncovered_passages_are_listed_and_fail_below_the_target(tiny):
    annotations = tiny / "content" / "annotations" / "alpha.md"
    annotations.write_text(annotations.read_text().split("## al-downloads")[0])
    claim = tiny / "content" / "claims" / "downloads.md"
    claim.unlink()
    theme = tiny / "content" / "themes" / "statistics.md"
    theme.write_text(theme.read_text().replace("见[论断](claim:downloads)", ""))
    result = cli_for(tiny, "check", "--coverage")
    assert "alpha: 1/3 covered (33.3 %)" in result.stdout
    assert "alpha ¶2 [number] 突破6亿次" in result.stdout
    assert result.returncode == 1 and "below the required 95 %" in result.stderr
    allow = tiny / "content" / "coverage-allow.yaml"
    allow.write_text("allow:\n  - article: alpha\n    text: 黄仁勋称Qwen是顶尖开源模型,下载量突破6亿次\n    reason: 测试\n")
    result = cli_for(tiny, "check", "--coverage", "40")
    assert "overall: 2/5 covered (40.0 %), 2 out of scope" in result.stdout
    assert "1 passages are neither annotated nor listed as out of scope" in result.stdout
    assert result.returncode == 0


def test_stale_allow_entry_is_reported(tiny):
    (tiny / "content" / "coverage-allow.yaml").write_text("allow:\n  - article: alpha\n    text: 不存在的段落\n    reason: 测试\n")
    result = cli_for(tiny, "check", "--coverage")
    assert "coverage-allow.yaml:2: this entry matches no uncovered passage" in result.stdout
    assert result.returncode == 1
