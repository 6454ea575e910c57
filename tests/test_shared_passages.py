"""Shared passages: text that travels between articles, found across scripts and punctuation."""



import re

import opencc
import pytest

from conftest import REPO
from framing.source.anchor import TextFolder
from framing.pipeline import Project, load
from framing.source.records import Archive, Article, SiteConfig, Span
from framing.site.shared import find_shared, fingerprints


def article(slug, *paragraphs, script="zh-Hans"):
    return Article(slug, None, slug, slug, (), None, (), "zh", script, "", "", (), "", tuple(paragraphs),
                   tuple(range(len(paragraphs))))


def archive(*articles):
    config = SiteConfig("t", "t", "d", "d", "/", "", "zh-hans", (), "")
    return Archive(config, tuple(articles), (), (), ())


@pytest.fixture(scope="module")
def folder():
    return TextFolder(opencc.OpenCC("t2s"))


def test_exact_spans_on_a_small_fixture(folder):
    a = article("a", "开头不同。阿里巴巴称这些说法完全不实,并质疑匿名者的动机。结尾也不同。")
    b = article("b", "另一篇文章写道:阿里巴巴稱這些說法完全不實,並質疑匿名者的動機!", script="zh-Hant")
    c = article("c", "毫无关系的一段文字,没有任何共同之处。")
    shared = find_shared(archive(a, b, c), folder, min_length=12)
    assert len(shared) == 1
    passage = shared[0]
    assert passage.articles == ("a", "b")
    span_a = passage.occurrences[0].spans[0]
    span_b = passage.occurrences[1].spans[0]
    assert span_a == Span(0, 5, 28) and a.paragraphs[0][span_a.start:span_a.end] == "阿里巴巴称这些说法完全不实,并质疑匿名者的动机"
    assert b.paragraphs[0][span_b.start:span_b.end] == "阿里巴巴稱這些說法完全不實,並質疑匿名者的動機"


def test_minimum_length_counts_folded_characters(folder):
    a = article("a", "美国指控阿里巴巴。其他内容甲。")
    b = article("b", "美国指控阿里巴巴,其他内容乙!")
    # "美国指控阿里巴巴其他内容": 12 characters once punctuation is folded away
    assert [p.folded for p in find_shared(archive(a, b), folder, min_length=12)] == ["美国指控阿里巴巴其他内容"]
    assert find_shared(archive(a, b), folder, min_length=13) == ()


def test_passages_never_run_across_paragraphs(folder):
    a = article("a", "第一段的结尾是这样写的文字", "第二段的开头是这样写的文字")
    b = article("b", "第一段的结尾是这样写的文字第二段的开头是这样写的文字")
    shared = find_shared(archive(a, b), folder, min_length=10)
    assert sorted(p.folded for p in shared) == ["第一段的结尾是这样写的文字", "第二段的开头是这样写的文字"]


def test_ranked_by_number_of_articles(folder):
    line = "这是一句被三家媒体同时转载的话语内容"
    other = "这是另一句只有两家媒体共同使用的表述方式"
    shared = find_shared(archive(article("a", line, other), article("b", line, other), article("c", line)), folder)
    assert [len(p.articles) for p in shared] == [3, 2]


def test_winnowing_guarantee():
    text = "".join(chr(0x4E00 + (i * 7919) % 20000) for i in range(400))
    k, window = 6, 7
    chosen = {position for _, position in fingerprints(text, k, window)}
    for start in range(len(text) - (k + window - 1) + 1):
        assert any(start <= p <= start + window - 1 for p in chosen)


def test_seed_archive_finds_the_statement_and_the_spokesperson_everywhere():
    archive = load(Project.at(REPO))
    shared = find_shared(archive, TextFolder(opencc.OpenCC("t2s")), archive.config.shared_min_length)
    by_text = {p.folded: p for p in shared}
    statement = next(p for text, p in by_text.items() if "有关内容的断言和影射完全不实" in text)
    spokesperson = next(p for text, p in by_text.items() if "在缺乏有效证据的情况下草率下结论" in text)
    carriers = {a.slug for a in archive.articles
                if any("有关内容的断言和影射完全不实" in para for para in a.paragraphs)}
    assert set(statement.articles) == carriers == {"aggregator-baseless-accusation", "guancha-silent-war"}
    assert set(spokesperson.articles) == {a.slug for a in archive.articles
                                          if any("草率下结论" in para for para in a.paragraphs)}


def test_shared_passages_are_marked_and_linked_in_the_built_site(seed_site):
    page = (seed_site / "articles" / "guancha-silent-war" / "index.html").read_text()
    assert '<span class="shared" id="shared-' in page
    assert 'href="/articles/aggregator-baseless-accusation/#shared-' in page
    framing = (seed_site / "en" / "themes" / "framing" / "index.html").read_text()
    assert 'id="shared-passages"' in framing and "Passages shared between articles" in framing


def test_a_shared_passage_note_names_the_first_few_carriers_and_counts_the_rest(monkeypatch):
    """Beside a passage carried by many articles, the note names SHARED_SHOWN of them and links the rest."""
    from framing.site import pages
    from framing.pipeline import gather
    monkeypatch.setattr(pages, "SHARED_SHOWN", 0)
    html = gather(Project.at(REPO)).files["articles/guancha-silent-war/index.html"].decode("utf-8")
    links = re.findall(r'<li><a href="/themes/framing/#list-(shared-[^"]+)">另有 (\d+)篇文章</a></li>', html)
    assert links, "no link to the other carriers"
    archive = load(Project.at(REPO))
    shared = {p.id: p for p in find_shared(archive, TextFolder(opencc.OpenCC("t2s")), archive.config.shared_min_length)}
    for ident, count in links:
        assert int(count) == len(shared[ident].articles) - 1  # every carrier but this article


def test_the_preview_memo_finds_again_only_when_an_article_text_changed(folder):
    from framing.site.shared import SharedPassageMemo

    memo = SharedPassageMemo()
    a = article("a", "开头不同。阿里巴巴称这些说法完全不实,并质疑匿名者的动机。")
    b = article("b", "另一篇:阿里巴巴称这些说法完全不实,并质疑匿名者的动机!")
    first = memo(archive(a, b), folder, 12)
    assert len(first) == 1
    again = memo(archive(article("a", *a.paragraphs), article("b", *b.paragraphs)), folder, 12)  # equal, not the same
    assert again is first
    assert memo(archive(a, article("b", "另一篇:毫无共同之处的一段文字。")), folder, 12) == ()
    assert memo(archive(a, b), folder, 40) == ()  # a longer minimum
    assert memo(archive(a, b), folder, 12) == find_shared(archive(a, b), folder, 12)


def test_each_note_names_the_first_carriers_but_its_own_article(folder):
    """Notes on one passage are made from one list per edition, yet each leaves its own article out,
    whether that article is among the first carriers or not, and counts the rest."""
    from dataclasses import replace

    from framing.site import pages
    from framing.site.editions import ScriptConverter
    from framing.pipeline import load_catalogue

    text = "阿里巴巴称这些说法完全不实,并质疑匿名者的动机。"
    carriers = archive(*(article(f"a{n:02d}", text) for n in range(12)))
    carriers = replace(carriers, config=replace(carriers.config, shared_theme="framing"))
    (passage,) = find_shared(carriers, folder, 12)
    assert len(passage.articles) == 12
    view = pages.edition_views(carriers, load_catalogue(Project.at(REPO)), ScriptConverter(), {}, (passage,))[2]
    assert view.edition.code == "en"
    for here in ("a01", "a11", "a01"):
        note = pages.shared_note(view, passage, here)
        expected = [slug for slug in passage.articles if slug != here][:pages.SHARED_SHOWN]
        assert [other["url"] for other in note["others"]] == [f"/en/articles/{slug}/#{passage.id}" for slug in expected]
        assert note["more"] == {"count": "3 articles", "url": f"/en/themes/framing/#list-{passage.id}"}
