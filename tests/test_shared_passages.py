"""Shared passages: text that travels between articles, found across scripts and punctuation."""



import itertools
import re

import opencc
import pytest
from hypothesis import given, settings, strategies as st

from conftest import REPO
from framing.source.anchor import TextFolder
from framing.pipeline import Project, load
from framing.source.records import Archive, Article, SiteConfig, Span
from framing.site.shared import BREAK, find_shared, fingerprints, fold_article


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


def test_a_passage_is_found_when_its_fingerprint_first_occurs_in_another_context(folder):
    """A run of exactly min_length characters holds one fingerprint (here the k-gram "OpenAI"); the
    first article holding that k-gram uses it in another context, which must not hide the others."""
    a = article("a", "切斯基公开表示公司大量依赖千问且与OpenAI相比千问更好更便宜")
    b = article("b", "切斯基则直言公司大量依赖Qwen模型认为它比OpenAI更好更便宜这些评价不是客套")
    c = article("c", "切斯基直言公司大量依赖阿里巴巴的Qwen模型并称其比OpenAI更好更便宜", "推特创始人杰克")
    expected = [("比openai更好更便宜", ("b", "c"))]  # folded: without case
    assert [(p.folded, p.articles) for p in find_shared(archive(a, b, c), folder, 12)] == expected
    assert [(p.folded, p.articles) for p in find_shared(archive(b, c), folder, 12)] == expected


def test_two_places_that_share_a_run_are_compared_even_when_the_first_holder_matches_only_one(folder):
    """The first holder shares the run before the k-gram with the second; the second shares the run
    after it with the third. The second and third must be compared with each other too: keeping a
    new representative only for a place that matches none would miss them."""
    first = article("first", "白宫的一份备忘录中OpenAI被列为受益者")
    second = article("second", "媒体在一份备忘录中OpenAI一直在上升中")
    third = article("third", "它的份额与OpenAI一直在上升中")
    common = {h for h, _ in fingerprints("媒体在一份备忘录中OpenAI一直在上升中", 6, 7)} \
        & {h for h, _ in fingerprints("它的份额与OpenAI一直在上升中", 6, 7)}
    assert len(common) == 1  # the second and third share one fingerprint, which the first holds too
    found = {(p.folded, p.articles) for p in find_shared(archive(first, second, third), folder, 12)}
    assert found == {("一份备忘录中openai", ("first", "second")), ("openai一直在上升中", ("second", "third"))}


def test_a_run_shared_by_three_articles_lists_all_three_beside_the_longer_runs_of_two(folder):
    a = article("a", "据斯坦福大学2025年人工智能指数报告中Qwen位列")
    b = article("b", "按照斯坦福大学2025年人工智能指数报告到去年底")
    c = article("c", "研究所2025年人工智能指数报告中Qwen直接杀入")
    found = {(p.folded, p.articles) for p in find_shared(archive(a, b, c), folder, 12)}
    assert found == {("斯坦福大学2025年人工智能指数报告", ("a", "b")), ("2025年人工智能指数报告中qwen", ("a", "c")),
                     ("2025年人工智能指数报告", ("a", "b", "c"))}


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


def test_seed_archive_lists_every_carrier_of_every_passage():
    """Each passage names every article whose folded text carries it: "比OpenAI更好更便宜" ends a
    paragraph in guancha-silent-war and its one guaranteed fingerprint, "OpenAI", is first held by
    aggregator-baseless-accusation in another context."""
    archive = load(Project.at(REPO))
    folder = TextFolder(opencc.OpenCC("t2s"))
    texts = {a.slug: fold_article(a, folder, {}).text for a in archive.articles}
    shared = find_shared(archive, folder, archive.config.shared_min_length)
    for passage in shared:
        assert set(passage.articles) == {slug for slug, text in texts.items() if passage.folded in text}
    cheaper = next(p for p in shared if p.folded == "比openai更好更便宜")
    assert cheaper.articles == ("chinacom-us-anxiety", "guancha-silent-war", "netease-meta-avocado")


def test_shared_passages_are_marked_and_linked_in_the_built_site(seed_site):
    page = (seed_site / "articles" / "guancha-silent-war" / "index.html").read_text()
    assert '<span class="shared" id="shared-' in page
    assert 'href="/articles/aggregator-baseless-accusation/#shared-' in page
    framing = (seed_site / "en" / "themes" / "framing" / "index.html").read_text()
    assert 'id="shared-passages"' in framing and "Passages shared between articles" in framing


def test_a_shared_passage_note_names_the_first_few_carriers_and_counts_the_rest(monkeypatch):
    """Beside a passage carried by many articles, the note names SHARED_SHOWN of them and links the rest."""
    from framing.site import article_page as pages
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

    from framing.site import article_page, pages
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
        note = article_page.shared_note(view, passage, here)
        expected = [slug for slug in passage.articles if slug != here][:article_page.SHARED_SHOWN]
        assert [other["url"] for other in note["others"]] == [f"/en/articles/{slug}/#{passage.id}" for slug in expected]
        assert note["more"] == {"count": "3 articles", "url": f"/en/themes/framing/#list-{passage.id}"}


PLANTED = "子丑寅卯辰巳午未"  # the planted run's characters
NOISE = "甲乙丙丁，"  # few characters, so that noise repeats and meets the run by chance


@st.composite
def planted_archives(draw):
    """(min_length, run, articles): a run of at least min_length characters planted in two or more of
    three to six articles, among noise and decoys (pieces of the run shorter than min_length, from
    half its length up: its k-grams among them) in every article."""
    min_length = draw(st.sampled_from([3, 5, 8, 10, 12]))
    run = draw(st.text(st.sampled_from(PLANTED), min_size=min_length, max_size=min_length + 6))
    decoy = st.integers(max(1, min_length // 2), min_length - 1).flatmap(
        lambda size: st.integers(0, len(run) - size).map(lambda start: run[start:start + size]))
    segment = st.text(st.sampled_from(NOISE + PLANTED), max_size=8) | decoy
    count = draw(st.integers(3, 6))
    carriers = draw(st.sets(st.integers(0, count - 1), min_size=2))
    articles = []
    for number in range(count):
        paragraphs = [draw(st.lists(segment, max_size=5)) for _ in range(draw(st.integers(1, 3)))]
        if number in carriers:
            where = draw(st.integers(0, len(paragraphs) - 1))
            paragraphs[where].insert(draw(st.integers(0, len(paragraphs[where]))), run)
        articles.append(article(f"a{number}", *("".join(p) or "甲" for p in paragraphs)))
    return min_length, run, articles


def maximal_common_runs(a, b, min_length):
    """Brute force: every longest run of at least min_length characters common to a and b, without BREAK."""
    starts = {}
    for j in range(len(b) - min_length + 1):
        starts.setdefault(b[j:j + min_length], []).append(j)
    for i in range(len(a) - min_length + 1):
        for j in starts.get(a[i:i + min_length], ()):
            if BREAK in a[i:i + min_length] or (i and j and a[i - 1] == b[j - 1] != BREAK):
                continue  # not the start of a run
            length = min_length
            while i + length < len(a) and j + length < len(b) and a[i + length] == b[j + length] != BREAK:
                length += 1
            yield a[i:i + length]


FOLDER = TextFolder(opencc.OpenCC("t2s"))


@settings(max_examples=200, deadline=None)
@given(planted_archives())
def test_every_shared_run_is_found_with_all_its_carriers(case):
    min_length, run, articles = case
    shared = find_shared(archive(*articles), FOLDER, min_length)
    texts = {a.slug: fold_article(a, FOLDER, {}).text for a in articles}
    for passage in shared:  # each passage names exactly the articles that carry it
        assert len(passage.folded) >= min_length
        assert set(passage.articles) == {slug for slug, text in texts.items() if passage.folded in text}
    holders = {slug for slug, text in texts.items() if run in text}
    assert any(run in p.folded and set(p.articles) == holders for p in shared)
    for (x, a), (y, b) in itertools.combinations(texts.items(), 2):  # every pair, each of its longest runs
        for common in maximal_common_runs(a, b, min_length):
            assert any(common in p.folded and {x, y} <= set(p.articles) for p in shared), (x, y, common)
