"""The three editions: Simplified at the root, Traditional and English under their prefixes."""

import re

import pytest

from conftest import cli_for


@pytest.fixture
def built(tiny):
    assert cli_for(tiny, "build", "--out", str(tiny / "site")).returncode == 0
    return tiny / "site"


def read(site, path):
    return (site / path).read_text(encoding="utf-8")


def test_every_page_exists_in_every_edition(built):
    for prefix in ("", "zh-hant/", "en/"):
        for page in ("index.html", "articles/alpha/index.html", "articles/beta/index.html",
                     "themes/accusation/index.html", "themes/statistics/index.html", "404.html"):
            assert (built / prefix / page).is_file(), prefix + page


def test_lang_attribute_per_edition(built):
    assert '<html lang="zh-Hans">' in read(built, "index.html")
    assert '<html lang="zh-Hant">' in read(built, "zh-hant/index.html")
    assert '<html lang="en">' in read(built, "en/index.html")


def test_traditional_edition_converts_text_and_keeps_verbatim_traditional_article(built):
    page = read(built, "zh-hant/articles/alpha/index.html")
    assert "美國指控阿里巴巴" in page and "美国指控" not in page
    assert "阿里巴巴的<strong>否認</strong>" in page  # commentary converted after rendering
    beta = read(built, "zh-hant/articles/beta/index.html")
    assert "這裡的實驗室里有人說開源贏了。" in beta  # captured in Traditional: shown exactly as captured


def test_simplified_edition_converts_traditional_article_and_says_so(built):
    beta = read(built, "articles/beta/index.html")
    assert "这里的实验室里有人说开源赢了。" in beta
    assert "本文存档时为繁体中文,此处经OpenCC转换为简体中文显示" in beta


def test_english_edition_keeps_chinese_in_original_script_with_lang(built):
    beta = read(built, "en/articles/beta/index.html")
    paragraph = re.search(r'<p class="para" lang="zh-Hant">(.*?)</p>', beta).group(1)
    assert re.sub(r"<[^>]+>|\d", "", paragraph) == "黃仁勛稱Qwen是頂尖開源模型。"
    alpha = read(built, "en/articles/alpha/index.html")
    assert "<p>Alibaba's denial.</p>" in alpha
    assert "Alibaba said the claims were false" in alpha  # the gloss


def test_english_edition_says_when_a_translation_is_missing(built):
    alpha = read(built, "en/articles/alpha/index.html")
    assert "English commentary for this note is not yet available" in alpha
    assert '<div class="commentary" lang="zh-Hans"><p>公司数据。</p></div>' in alpha
    theme = read(built, "en/themes/statistics/index.html")
    assert "An English introduction to this theme is not yet available" in theme


def test_edition_switch_leads_to_the_same_page(built):
    page = read(built, "zh-hant/themes/accusation/index.html")
    assert 'href="/themes/accusation/" lang="zh-Hans"' in page
    assert 'href="/en/themes/accusation/" lang="en"' in page
    assert '<span aria-current="true" lang="zh-Hant">繁體</span>' in page


def test_hreflang_alternates(built):
    page = read(built, "articles/alpha/index.html")
    for lang, url in (("zh-Hans", "/articles/alpha/"), ("zh-Hant", "/zh-hant/articles/alpha/"), ("en", "/en/articles/alpha/")):
        assert f'<link rel="alternate" hreflang="{lang}" href="{url}">' in page


def test_interface_strings_follow_the_edition(built):
    assert "来源信息" in read(built, "articles/alpha/index.html")
    assert "來源信息" in read(built, "zh-hant/articles/alpha/index.html")
    assert "Provenance" in read(built, "en/articles/alpha/index.html")


def test_default_edition_can_be_traditional(tiny):
    config = tiny / "content" / "site.yaml"
    config.write_text(config.read_text().replace("default_edition: zh-hans", "default_edition: zh-hant"))
    assert cli_for(tiny, "build", "--out", str(tiny / "site")).returncode == 0
    assert '<html lang="zh-Hant">' in (tiny / "site" / "index.html").read_text()
    assert (tiny / "site" / "zh-hans" / "index.html").is_file()
