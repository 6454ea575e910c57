"""Each kind of content mistake gets a message naming file and line and saying how to fix it.

Every case changes the tiny archive in one way; the build must exit 1, print the expected message
(with its location), print no traceback, and leave a previous site untouched.
"""

import pytest

from conftest import CAPTURE_HANS, cli_for, tiny_files, write_project


def replace(name, old, new):
    def change(files):
        assert old in files[name], (name, old)
        files[name] = files[name].replace(old, new, 1)
    return change


def put(name, text):
    def change(files):
        files[name] = text
    return change


def drop(name):
    def change(files):
        del files[name]
    return change


CASES = [
    ("unknown theme", replace("annotations/beta.md", "theme: accusation", "theme: acusation"),
     ["content/annotations/beta.md:5: unknown theme 'acusation' (did you mean 'accusation'?)", "fix: use one of"]),
    ("unknown claim", replace("annotations/alpha.md", "claim: denial", "claim: denail"),
     ["content/annotations/alpha.md:5: unknown claim 'denail' (did you mean 'denial'?)"]),
    ("annotations for a missing article", put("annotations/gamma.md", "## g-one\n\n> 文字\n\ntheme: accusation\n\n说明。\n"),
     ["content/annotations/gamma.md: there is no article 'gamma'"]),
    ("duplicate annotation id", replace("annotations/beta.md", "## be-huang", "## al-denial"),
     ["content/annotations/beta.md:1: the annotation id 'al-denial' is already used in content/annotations/alpha.md:1"]),
    ("missing required field", replace("articles/alpha.md", "outlet: 测试媒体\n", ""),
     ["content/articles/alpha.md:2: the required field 'outlet' is missing or empty"]),
    ("quote matches nowhere", replace("annotations/alpha.md", "> 下载量突破6亿次", "> 下载量突破7亿次"),
     ["content/annotations/alpha.md:11: the quote “下载量突破7亿次” is not in the article 'alpha'",
      "the closest passage (paragraph 2, capture line 7) is “下载量突破6亿次”"]),
    ("quote matches twice", put("annotations/beta.md", "## be-open\n\n> 开源\n\ntheme: accusation\n\n两处。\n"),
     ["content/annotations/beta.md:3: the quote occurs 2 times in the article", "add 'prefix:"]),
    ("empty quote", replace("annotations/beta.md", "> 黄仁勋称Qwen是顶尖开源模型", ">  "),
     ["content/annotations/beta.md:3: the quote is empty"]),
    ("quote missing", replace("annotations/beta.md", "> 黄仁勋称Qwen是顶尖开源模型\n", ""),
     ["content/annotations/beta.md:1: the annotation 'be-huang' has no quote"]),
    ("annotation without theme or claim", replace("annotations/beta.md", "theme: accusation\n", ""),
     ["content/annotations/beta.md:1: the annotation 'be-huang' has neither 'theme:' nor 'claim:'"]),
    ("unknown annotation key", replace("annotations/beta.md", "theme: accusation", "theme: accusation\nclam: denial"),
     ["content/annotations/beta.md:6: unknown key 'clam:' (did you mean 'claim'?)"]),
    ("theme disagrees with claim", replace("annotations/alpha.md", "claim: denial", "claim: denial\ntheme: statistics"),
     ["content/annotations/alpha.md:6: the claim 'denial' belongs to the theme 'accusation', not 'statistics'"]),
    ("edited article text", replace("articles/alpha.md", "完全不实", "完全属实"),
     ["content/articles/alpha.md:17: this paragraph differs from line 5 of the capture a.txt", "the body is the capture verbatim"]),
    ("paragraph added to article", replace("articles/alpha.md", "6亿次。\n", "6亿次。\n\n编者按。\n"),
     ["content/articles/alpha.md:21: this paragraph is not in the capture"]),
    ("capture line missing from body", replace("articles/alpha.md", "\n\n黄仁勋称Qwen是顶尖开源模型,下载量突破6亿次。", ""),
     ["line 7 of the capture (“黄仁勋称Qwen是顶尖开源模型", "is missing from the body"]),
    ("capture changed", put("captures/a.txt", CAPTURE_HANS.replace("新闻网", "新闻站")),
     ["content/articles/alpha.md:10: the SHA-256 of content/captures/a.txt is", "captures are never edited"]),
    ("capture missing", drop("captures/b.txt"),
     ["content/articles/beta.md:9: the capture content/captures/b.txt does not exist", "python build.py import"]),
    ("YAML does not parse", replace("articles/alpha.md", "title: 文章alpha", 'title: "文章alpha'),
     ["content/articles/alpha.md:", "the YAML does not parse"]),
    ("tab in YAML", replace("articles/beta.md", "outlet: 测试媒体", "outlet: 测试媒体\n\tauthors: x"),
     ["content/articles/beta.md:", "YAML does not allow tab characters"]),
    ("front matter never closed", put("themes/statistics.md", "---\ntitle: 数字\n关于数字。\n"),
     ["content/themes/statistics.md:1: the front matter opened on line 1 is never closed"]),
    ("unknown field with suggestion", replace("articles/alpha.md", "authors:", "autors:"),
     ["content/articles/alpha.md:4: unknown field 'autors' (did you mean 'authors'?)"]),
    ("duplicate YAML key", replace("articles/alpha.md", "outlet: 测试媒体", "outlet: 测试媒体\noutlet: 另一家"),
     ["content/articles/alpha.md:4: the key 'outlet' appears twice (first on line 3)"]),
    ("impossible date", replace("articles/alpha.md", "published: 2025-11-15", "published: 2025-02-30"),
     ["content/articles/alpha.md:5: published: '2025-02-30' is an impossible date"]),
    ("future date", replace("articles/alpha.md", "published: 2025-11-15", "published: 2031-01-01"),
     ["content/articles/alpha.md:5: published: '2031-01-01' is in the future"]),
    ("not a date", replace("articles/alpha.md", "published: 2025-11-15", "published: last Tuesday"),
     ["content/articles/alpha.md:5: published: 'last Tuesday' is not a date"]),
    ("invalid verdict", replace("claims/denial.md", "verdict: consistent", "verdict: correct"),
     ["content/claims/denial.md:4: 'correct' is not a valid verdict", "use one of: consistent, approximate, overstated"]),
    ("YAML boolean where text is expected", replace("claims/denial.md", "verdict: consistent", "verdict: yes"),
     ["content/claims/denial.md:4: 'verdict' is read as a true/false value", "put the value in quotes"]),
    ("claim without source", replace("claims/downloads.md", "no_source: 未找到独立统计。\n", ""),
     ["content/claims/downloads.md:2: the claim has no sources and no 'no_source' reason"]),
    ("source without url", replace("claims/denial.md", "    url: https://example.org/src\n", ""),
     ["content/claims/denial.md:6: a source needs 'url'"]),
    ("source url not a url", replace("claims/denial.md", "url: https://example.org/src", "url: example.org/src"),
     ["content/claims/denial.md:9: 'example.org/src' is not an http(s) URL"]),
    ("unused claim", put("claims/spare.md", "---\ntheme: accusation\nlabel: 备用\nverdict: overstated\nno_source: 无。\n---\n背景。\n"),
     ["content/claims/spare.md:1: the claim 'spare' is not used by any annotation"]),
    ("theme not listed in site.yaml", put("themes/framing.md", "---\ntitle: 框架\n---\n介绍。\n"),
     ["content/themes/framing.md: the theme 'framing' is not listed in content/site.yaml"]),
    ("theme file missing", drop("themes/statistics.md"),
     ["content/site.yaml: the theme 'statistics' has no file content/themes/statistics.md"]),
    ("invalid article file name", put("articles/Bad Name.md", "---\ntitle: x\n---\n"),
     ["content/articles/Bad Name.md: 'Bad Name' is not a valid article name"]),
    ("article file name over the slug limit", put(f"articles/{'a' * 81}.md", "---\ntitle: x\n---\n"),
     [f"content/articles/{'a' * 81}.md: '{'a' * 81}' is not a valid article name", "at most 80 characters"]),
    ("english section with unknown id", put("annotations/alpha.en.md", "## al-denail\n\nEnglish.\n"),
     ["content/annotations/alpha.en.md:1: no annotation 'al-denail' in content/annotations/alpha.md (did you mean 'al-denial'?)"]),
    ("english file repeats the quote", put("annotations/alpha.en.md", "## al-denial\n\n> 阿里巴巴\n\nEnglish.\n"),
     ["content/annotations/alpha.en.md:3: the English file repeats the quote"]),
    ("link to an unknown claim", replace("themes/statistics.md", "(claim:downloads)", "(claim:download)"),
     ["content/themes/statistics.md:4: the link claim:download leads nowhere (did you mean 'downloads'?)"]),
    ("invalid framing vocabulary", replace("annotations/beta.md", "theme: accusation", "theme: accusation\nentman: blame"),
     ["content/annotations/beta.md:6: 'blame' is not a valid entman"]),
    ("site.yaml missing a field", replace("site.yaml", "title_en: Test Archive\n", ""),
     ["content/site.yaml:1: the required field 'title_en' is missing or empty"]),
    ("GBK file", put("themes/statistics.md", "---\ntitle: 数字\n---\n关于数字。\n".encode("gbk")),
     ["content/themes/statistics.md:2: the file is not valid UTF-8", "GBK"]),
    ("Big5 file", put("themes/statistics.md", "---\ntitle: 數字\n---\n關於數字的介紹。\n".encode("big5")),
     ["content/themes/statistics.md:2: the file is not valid UTF-8"]),
    ("old Mac line ends", put("themes/statistics.md", "---\rtitle: 数字\r---\r介绍。\r"),
     ["content/themes/statistics.md:1: the line holds a carriage return (CR) that does not end a line", "old Mac"]),
    ("stray CR in a Windows file", put("themes/statistics.md", "\ufeff---\r\ntitle: 数字\r\n---\r\n介\r绍。\r\n"),
     ["content/themes/statistics.md:4: the line holds a carriage return (CR)"]),
    ("NUL byte", put("themes/statistics.md", "---\ntitle: 数字\n---\n介\x00绍。\n"),
     ["content/themes/statistics.md:4: the line contains the control character U+0000"]),
    ("over-long line", put("themes/statistics.md", "---\ntitle: 数字\n---\n" + "长" * 100_000 + "\n"),
     ["content/themes/statistics.md:4: line is 100,000 characters long"]),
    ("huge file", put("themes/statistics.md", "---\ntitle: 数字\n---\n" + ("长文。\n" * 6_000_000)),
     ["content/themes/statistics.md: the file is", "MB (at most 2 MB)"]),
    ("override of a word, not characters", put("script-overrides.yaml", "# 注释\n单表: 單表\n信息: 資訊\n"),
     ["content/script-overrides.yaml:3: '資訊' does not read as '信息' converted back to Simplified script",
      "never words", "write '信息' in Traditional characters"]),
    ("override keyed by Traditional text", put("script-overrides.yaml", "美國歷史: 美國歷史\n"),
     ["content/script-overrides.yaml:1: '美國歷史' is not Simplified text (OpenCC reads it as 美国历史)"]),
    ("override not in the edition's standard", put("script-overrides.yaml", "里面: 裏面\n"),
     ["content/script-overrides.yaml:1: '裏面' is not in the Taiwan standard forms", "write 裡面"]),
    ("override twice", put("script-overrides.yaml", "单表: 單表\n净发行: 淨發行\n单表: 單表\n"),
     ["content/script-overrides.yaml:3: the key '单表' appears twice (first on line 1)"]),
    ("override without a form", put("script-overrides.yaml", "单表:\n"),
     ["content/script-overrides.yaml:1: the phrase '单表' has no Traditional form"]),
    ("overrides not a mapping", put("script-overrides.yaml", "- 单表: 單表\n"),
     ["content/script-overrides.yaml:1: script-overrides.yaml must be a list of 'Simplified phrase: Traditional form' lines"]),
]


@pytest.mark.parametrize("name,change,expected", CASES, ids=[c[0] for c in CASES])
def test_content_error_is_reported_with_location_and_fix(tmp_path, name, change, expected):
    files = tiny_files()
    change(files)
    project = write_project(tmp_path / "project", files)
    (project / "site").mkdir()
    (project / "site" / "index.html").write_text("previous build")
    result = cli_for(project, "build", "--out", str(project / "site"))
    assert result.returncode == 1, result.stdout
    assert "Traceback" not in result.stderr
    message = result.stderr.replace(str(project) + "/", "")
    for text in expected:
        assert text in message, message
    assert "fix:" in message
    assert [p.name for p in (project / "site").iterdir()] == ["index.html"]
    assert (project / "site" / "index.html").read_text() == "previous build"


def test_all_problems_are_reported_together(tmp_path):
    files = tiny_files()
    replace("annotations/beta.md", "theme: accusation", "theme: nope")(files)
    replace("claims/denial.md", "verdict: consistent", "verdict: maybe")(files)
    project = write_project(tmp_path / "p", files)
    result = cli_for(project, "check")
    assert result.returncode == 1
    assert "unknown theme 'nope'" in result.stderr and "'maybe' is not a valid verdict" in result.stderr
    assert "problems; nothing was written." in result.stderr


def test_check_passes_on_the_tiny_archive(tiny):
    result = cli_for(tiny, "check")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok: 2 articles, 3 annotations, 2 claims, 2 themes")
