"""Shared fixtures: a tiny archive built from a dict, the real project, and a CLI runner."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

CAPTURE_HANS = "新闻网\n\n标题一\n\n美国指控阿里巴巴为军方提供技术支持。阿里巴巴称这些说法完全不实。\n\n黄仁勋称Qwen是顶尖开源模型,下载量突破6亿次。\n\n相关新闻\n"
CAPTURE_HANT = "黃仁勛稱Qwen是頂尖開源模型。\n這裡的實驗室里有人說開源贏了。\n"


def sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def article(slug: str, capture: str, text: str, script: str, body: list[str], trimmed: str = "", extra: str = "") -> str:
    front = (f"---\ntitle: 文章{slug}\noutlet: 测试媒体\nauthors: [作者甲]\npublished: 2025-11-1{len(slug) % 9}\n"
             f"sources:\n  - url: https://example.org/{slug}\nscript: {script}\ncapture: {capture}\nsha256: {sha(text)}\n"
             f"{trimmed}{extra}---\n")
    return front + "\n\n".join(body) + "\n"


def tiny_files() -> dict[str, str]:
    """The files of a small but complete archive: two articles in two scripts, two themes."""
    return {
        "site.yaml": "title: 测试档案\ntitle_en: Test Archive\ndescription: 一个测试。\ndescription_en: A test.\n"
                     "base_url: /\ndefault_edition: zh-hans\nthemes: [accusation, statistics]\n",
        "captures/a.txt": CAPTURE_HANS,
        "captures/b.txt": CAPTURE_HANT,
        "articles/alpha.md": article(
            "alpha", "a.txt", CAPTURE_HANS, "zh-Hans",
            ["美国指控阿里巴巴为军方提供技术支持。阿里巴巴称这些说法完全不实。", "黄仁勋称Qwen是顶尖开源模型,下载量突破6亿次。"],
            trimmed="trimmed:\n  - lines: 1-3\n    what: masthead and headline\n  - lines: 9-\n    what: related news\n"),
        "articles/beta.md": article("beta", "b.txt", CAPTURE_HANT, "zh-Hant",
                                    ["黃仁勛稱Qwen是頂尖開源模型。", "這裡的實驗室里有人說開源贏了。"]),
        "themes/accusation.md": "---\ntitle: 指控\n---\n关于指控的介绍。\n",
        "themes/accusation.en.md": "---\ntitle: The accusation\n---\nAbout the accusation.\n",
        "themes/statistics.md": "---\ntitle: 数字\n---\n关于数字的介绍,见[论断](claim:downloads)。\n",
        "claims/denial.md": "---\ntheme: accusation\nlabel: 阿里巴巴否认\nverdict: consistent\nsources:\n"
                            "  - publisher: 测试社\n    title: 报道\n    date: 2025-11-15\n    url: https://example.org/src\n---\n阿里巴巴的声明与来源一致。\n",
        "claims/denial.en.md": "---\nlabel: Alibaba's denial\n---\nThe statement matches the sources.\n",
        "claims/downloads.md": "---\ntheme: statistics\nlabel: 下载量6亿\nverdict: unverifiable\nno_source: 未找到独立统计。\n---\n只有公司数据。\n",
        "annotations/alpha.md": "## al-denial\n\n> 阿里巴巴称这些说法完全不实\n\nclaim: denial\n\n阿里巴巴的**否认**。\n\n"
                                "## al-downloads\n\n> 下载量突破6亿次\n\nclaim: downloads\n\n公司数据。\n",
        "annotations/alpha.en.md": "## al-denial\n\ngloss: Alibaba said the claims were false\n\nAlibaba's denial.\n",
        "annotations/beta.md": "## be-huang\n\n> 黄仁勋称Qwen是顶尖开源模型\n\ntheme: accusation\n\n简体引文锚定繁体文章。\n",
    }


def in_english(files: dict[str, str]) -> dict[str, str]:
    """The tiny archive with every field the English pages show given in English (titles, outlets, the
    statistics theme, the downloads claim's label and reason), so that 'check --strict' passes the
    English-page check and a test of another check sees that check's findings alone."""
    files = dict(files)
    for slug in ("alpha", "beta"):
        files[f"articles/{slug}.md"] = files[f"articles/{slug}.md"].replace(
            "outlet: 测试媒体\n", f"title_en: Article {slug}\noutlet: 测试媒体\noutlet_en: Test Media\n")
    files["themes/statistics.en.md"] = "---\ntitle: Figures\n---\nAbout the figures; see [the claim](claim:downloads).\n"
    files["claims/downloads.en.md"] = ("---\nlabel: 600 million downloads\nno_source: No independent count was found.\n---\n"
                                       "Only the company's figures.\n")
    return files


def write_project(root: Path, files: dict[str, str | bytes]) -> Path:
    """A project folder: content from the dict, templates copied from the repository."""
    content = root / "content"
    for name, text in files.items():
        path = content / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    shutil.copytree(REPO / "templates", root / "templates")
    return root


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    """A project folder holding the tiny archive."""
    return write_project(tmp_path / "project", tiny_files())


def run_cli(*args: str, cwd: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run build.py as an editor would; returns the finished process."""
    environment = os.environ | {"PYTHONPATH": str(REPO), "SOURCE_DATE_EPOCH": "1800000000"} | (env or {})
    return subprocess.run([sys.executable, str(REPO / "build.py"), *args], cwd=cwd or REPO, env=environment,
                          capture_output=True, text=True, timeout=300)


def cli_for(project: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """build.py with --content/--templates pointed at a test project (import takes --content only);
    env: variables to set besides run_cli's."""
    options = ["--content", str(project / "content")]
    if args and args[0] != "import":
        options += ["--templates", str(project / "templates")]
    return run_cli(*args, *options, env=env)


@pytest.fixture(scope="session")
def seed_site(tmp_path_factory) -> Path:
    """The real archive in content/, built once for the integration tests."""
    out = tmp_path_factory.mktemp("seed") / "site"
    result = run_cli("build", "--out", str(out), "--quiet")
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="session")
def seed_site_subpath(tmp_path_factory) -> Path:
    """The real archive built under a sub-path, as on GitHub Pages project sites."""
    out = tmp_path_factory.mktemp("seed-sub") / "site"
    result = run_cli("build", "--out", str(out), "--base-url", "/repo/", "--quiet")
    assert result.returncode == 0, result.stderr
    return out


def record_calls(monkeypatch, owner, name: str, note, into: list | None = None) -> list:
    """What note(*args) gives for every call to owner.name from now on, appended to into (a new list
    where not given: pass one list to record several functions in the order of their calls); the
    calls go through unchanged."""
    calls = [] if into is None else into
    original = getattr(owner, name)

    def recording(*args, **kwargs):
        calls.append(note(*args, **kwargs))
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, recording)
    return calls
