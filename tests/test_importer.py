"""'build.py import': the capture is kept byte for byte, hashed, and its text goes in verbatim."""

import hashlib

import pytest

from conftest import cli_for, run_cli
from framing.commands.importer import detect_script, parse_trim


def test_import_writes_article_and_keeps_capture(tiny, tmp_path):
    capture = tmp_path / "new.txt"
    text = "页面标题\n\n第一段正文,有“引号”。\n第二段 正文。  \n\n相关新闻\n广告\n"
    capture.write_text(text)
    result = cli_for(tiny, "import", str(capture), "--slug", "gamma", "--trim", "1-1=page title", "--trim", "6-=related news")
    assert result.returncode == 0, result.stderr
    kept = tiny / "content" / "captures" / "new.txt"
    assert kept.read_bytes() == capture.read_bytes()
    article = (tiny / "content" / "articles" / "gamma.md").read_text()
    assert f"sha256: {hashlib.sha256(text.encode()).hexdigest()}" in article
    assert "language: zh-Hans" in article
    assert article.endswith("---\n第一段正文,有“引号”。\n\n第二段 正文。\n")
    assert "- lines: 6-\n  what: related news" in article


def test_imported_article_fails_check_until_provenance_is_filled(tiny, tmp_path):
    capture = tmp_path / "new.txt"
    capture.write_text("正文。\n")
    assert cli_for(tiny, "import", str(capture), "--slug", "gamma").returncode == 0
    result = cli_for(tiny, "check")
    assert result.returncode == 1
    assert "content/articles/gamma.md:2: the required field 'title' is missing or empty" in result.stderr.replace(str(tiny) + "/", "")


def test_import_refuses_to_overwrite(tiny, tmp_path):
    capture = tmp_path / "new.txt"
    capture.write_text("正文。\n")
    before = (tiny / "content" / "articles" / "alpha.md").read_text()
    result = cli_for(tiny, "import", str(capture), "--slug", "alpha")
    assert result.returncode == 1 and "already exists" in result.stderr
    assert (tiny / "content" / "articles" / "alpha.md").read_text() == before


def test_import_rejects_bad_slug_and_bad_encoding(tiny, tmp_path):
    capture = tmp_path / "gbk.txt"
    capture.write_bytes("中文正文".encode("gbk"))
    assert "not valid UTF-8" in cli_for(tiny, "import", str(capture), "--slug", "ok").stderr
    assert "--slug '../evil'" in cli_for(tiny, "import", str(capture), "--slug", "../evil").stderr
    too_long = cli_for(tiny, "import", str(capture), "--slug", "a" * 300)
    assert too_long.returncode == 1 and "Traceback" not in too_long.stderr and "at most 80 characters" in too_long.stderr


@pytest.mark.parametrize("text, trims, what", [
    ("", [], "every line is blank"),
    ("\n  \n\u3000\n", [], "every line is blank"),
    ("标题\n\n正文。\n", ["--trim", "1-3=masthead and body"], "every line that is not blank is trimmed"),
])
def test_import_refuses_a_capture_that_would_leave_no_text(tiny, tmp_path, text, trims, what):
    capture = tmp_path / "blank.txt"
    capture.write_text(text)
    result = cli_for(tiny, "import", str(capture), "--slug", "blank", *trims)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"{what}, so the article would have no text" in result.stderr
    assert not (tiny / "content" / "articles" / "blank.md").exists()
    assert not (tiny / "content" / "captures" / "blank.txt").exists()


def test_import_refuses_overlapping_trims_as_check_would(tiny, tmp_path):
    capture = tmp_path / "new.txt"
    capture.write_text("标题\n\n正文一。\n\n正文二。\n")
    result = cli_for(tiny, "import", str(capture), "--slug", "gamma", "--trim", "3-5=body", "--trim", "1-3=masthead")
    assert result.returncode == 1
    assert "--trim 1-3 and --trim 3-5 overlap; merge them into one range" in result.stderr
    assert not (tiny / "content" / "articles" / "gamma.md").exists()


def test_import_names_a_folder_given_as_capture_and_a_missing_content_folder(tiny, tmp_path):
    folder = cli_for(tiny, "import", str(tmp_path), "--slug", "gamma")
    assert folder.returncode == 1 and f"{tmp_path}: this is a folder; give the captured text file" in folder.stderr
    capture = tmp_path / "new.txt"
    capture.write_text("正文。\n")
    missing = run_cli("import", str(capture), "--slug", "gamma", "--content", str(tmp_path / "nowhere"))
    assert missing.returncode == 1 and "the content folder does not exist" in missing.stderr
    assert not (tmp_path / "nowhere").exists()


def test_import_counts_one_paragraph_in_the_singular(tiny, tmp_path):
    capture = tmp_path / "one.txt"
    capture.write_text("只有一段。\n")
    result = cli_for(tiny, "import", str(capture), "--slug", "gamma")
    assert result.returncode == 0 and "(1 paragraph, language zh-Hans" in result.stdout


def test_script_detection():
    assert detect_script("美国对阿里巴巴的指控缺乏证据。这里的实验室。") == "zh-Hans"
    assert detect_script("美國對阿里巴巴的指控缺乏證據。這裡的實驗室。") == "zh-Hant"


def test_trim_option_parsing():
    trim = parse_trim("46-51=the footer")
    assert (trim.first, trim.last, trim.what) == (46, 51, "the footer")
    assert parse_trim("40-=related").last is None


def test_seed_captures_are_archived_unchanged():
    from conftest import REPO
    seeds = REPO.parent / "shared" / "seeds"
    for capture in (REPO / "content" / "captures").iterdir():
        article = next(p for p in (REPO / "content" / "articles").glob("*.md") if capture.name in p.read_text())
        assert f"sha256: {hashlib.sha256(capture.read_bytes()).hexdigest()}" in article.read_text()
        if (seeds / capture.name).is_file():  # the seed captures; later ones were imported from elsewhere
            assert capture.read_bytes() == (seeds / capture.name).read_bytes()
    if seeds.is_dir():
        assert {seed.name for seed in seeds.iterdir()} <= {capture.name for capture in (REPO / "content" / "captures").iterdir()}
