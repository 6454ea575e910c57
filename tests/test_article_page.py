"""Article pages: provenance, highlighted passages with notes beside them, links to claims."""

import re

from conftest import cli_for


def build(tiny):
    assert cli_for(tiny, "build", "--out", str(tiny / "site")).returncode == 0
    return (tiny / "site" / "articles" / "alpha" / "index.html").read_text()


def test_provenance_block(tiny):
    page = build(tiny)
    assert "测试媒体" in page and "作者甲" in page and "2025-11-15" in page
    assert 'href="/captures/a.txt"' in page
    assert re.search(r'<code class="hash">[0-9a-f]{64}</code>', page)
    assert '原件第1-3行: <span lang="en">masthead and headline</span>' in page
    assert '原件第9-行: <span lang="en">related news</span>' in page
    assert (tiny / "site" / "captures" / "a.txt").read_bytes() == (tiny / "content" / "captures" / "a.txt").read_bytes()


def test_passages_are_marked_with_anchor_and_note(tiny):
    page = build(tiny)
    assert '<mark id="a-al-denial" class="hl tone-1">阿里巴巴称这些说法完全不实</mark>' in page
    assert '<a href="#n-al-denial" id="r-al-denial" aria-label="注释 1">1</a>' in page
    assert '<div class="note tone-1" id="n-al-denial">' in page
    assert 'href="/themes/accusation/#claim-denial"' in page
    assert '<span class="verdict verdict-consistent">与来源一致</span>' in page


def test_overlapping_passages_are_both_marked(tiny):
    annotations = tiny / "content" / "annotations" / "alpha.md"
    annotations.write_text(annotations.read_text() + "\n## al-outer\n\n> 称这些说法完全不实。\n\ntheme: statistics\n\n重叠。\n")
    page = build(tiny)
    assert 'id="a-al-outer"' in page and 'id="a-al-denial"' in page
    paragraph = re.search(r'<p class="para" lang="zh-Hans">(.*?)</p>', page).group(1)
    assert re.sub(r"<[^>]+>|\d", "", paragraph) == "美国指控阿里巴巴为军方提供技术支持。阿里巴巴称这些说法完全不实。"


def test_theme_page_lists_claims_and_passages(tiny):
    build(tiny)
    page = (tiny / "site" / "themes" / "accusation" / "index.html").read_text()
    assert '<section class="claim" id="claim-denial"' in page
    assert 'href="/articles/alpha/#a-al-denial">阿里巴巴称这些说法完全不实</a>' in page
    assert 'href="/articles/beta/#a-be-huang">黄仁勋称Qwen是顶尖开源模型</a>' in page  # converted from Traditional
    assert 'href="https://example.org/src"' in page and 'rel="noopener noreferrer"' in page


def test_index_lists_themes_and_articles_by_date(tiny):
    build(tiny)
    page = (tiny / "site" / "index.html").read_text()
    assert page.index("文章beta") < page.index("文章alpha")  # oldest first: 2025-11-14, then 2025-11-15
    assert '<a href="/themes/accusation/" lang="zh-Hans">指控</a>' in page
    assert "2处段落 · 1项论断" in page


def test_each_claim_has_a_page_with_every_passage(tiny):
    from framing.site import theme_page as pages
    build(tiny)
    page = (tiny / "site" / "en" / "claims" / "denial" / "index.html").read_text()
    assert '<h1 id="claim-denial-heading" lang="en">Alibaba&#39;s denial</h1>' in page
    assert 'href="/en/articles/alpha/#a-al-denial"' in page and 'href="/en/themes/accusation/"' in page
    assert pages.PASSAGES_ON_THEME >= 1


def test_theme_page_shows_the_first_passages_and_links_to_all(tiny, monkeypatch):
    from framing.site import theme_page as pages
    from framing.pipeline import Project, gather

    annotations = tiny / "content" / "annotations" / "beta.md"
    annotations.write_text(annotations.read_text().replace("theme: accusation", "claim: denial"))
    theme = gather(Project.at(tiny)).files["themes/accusation/index.html"].decode()
    assert theme.count('class="passage"') == 2 and 'class="more"' not in theme  # under the limit: all shown
    monkeypatch.setattr(pages, "PASSAGES_ON_THEME", 1)
    files = gather(Project.at(tiny)).files
    theme = files["themes/accusation/index.html"].decode()
    assert theme.count('class="passage"') == 1
    assert '<p class="more"><a href="/claims/denial/">全部2处段落</a></p>' in theme
    assert files["claims/denial/index.html"].decode().count('class="passage"') == 2
