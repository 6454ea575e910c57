"""The real archive in content/: complete, anchored, covered and readable in every edition."""

import html
import re

from conftest import REPO, run_cli
from framing.pipeline import Project, load


def test_coverage_of_the_seed_archive_is_at_least_95_percent():
    result = run_cli("check", "--coverage")
    assert result.returncode == 0, result.stdout + result.stderr
    overall = re.search(r"overall: (\d+)/(\d+) covered \(([\d.]+) %\)", result.stdout)
    assert float(overall.group(3)) >= 95.0


def test_every_annotation_is_anchored_on_its_article_page(seed_site):
    archive = load(Project.at(REPO))
    assert len(archive.articles) == 6 and len(archive.themes) == 4
    assert sorted(a.language for a in archive.articles) == ["en", "zh-Hans", "zh-Hans", "zh-Hans", "zh-Hans", "zh-Hant"]
    for article in archive.articles:
        for prefix in ("", "zh-hant/", "en/"):
            page = (seed_site / prefix / "articles" / article.slug / "index.html").read_text()
            ids = set(re.findall(r'id="a-([a-z0-9-]+)"', page))
            expected = {a.id for a in archive.annotations if a.article == article.slug}
            assert expected <= ids, expected - ids


def test_every_claim_has_a_verdict_context_and_sources_or_a_reason():
    archive = load(Project.at(REPO))
    for claim in archive.claims:
        assert claim.verdict and claim.context.text.strip() and claim.label_en
        assert claim.sources or claim.no_source, claim.id
        assert claim.context_en is not None and claim.context_en.text.strip(), claim.id


def test_english_edition_is_complete(seed_site):
    for page in (seed_site / "en").rglob("*.html"):
        text = page.read_text()
        assert "not yet available" not in text, page
    # ...and shows no Chinese but quotations, archived text and names: every English title, outlet and note is there.
    result = run_cli("check", "--strict")
    assert result.returncode == 0 and "warning" not in result.stderr, result.stderr


def test_the_english_report_stands_beside_the_chinese_articles(seed_site):
    for prefix in ("", "zh-hant/", "en/"):
        page = (seed_site / prefix / "articles" / "cnbc-alibaba-memo" / "index.html").read_text()
        assert set(re.findall(r'<p class="para" lang="([^"]+)"', page)) == {"en"}, prefix
        assert "Alibaba provides tech support for Chinese military ‘operations’ against targets in the U.S." in page
        theme = (seed_site / prefix / "themes" / "accusation" / "index.html").read_text()
        allegation = theme[theme.index('id="claim-ft-memo-core-allegation"'):]
        allegation = allegation[:allegation.index('<section class="claim"', 1)]
        assert "#a-cnbc-memo-quote" in allegation and '<blockquote lang="en">' in allegation
        assert '<blockquote lang="zh-Hans">' in allegation or '<blockquote lang="zh-Hant">' in allegation


def test_every_theme_page_lists_its_claims_in_every_edition(seed_site):
    archive = load(Project.at(REPO))
    for theme in archive.themes:
        claims = {c.id for c in archive.claims if c.theme == theme.slug}
        for prefix in ("", "zh-hant/", "en/"):
            page = (seed_site / prefix / "themes" / theme.slug / "index.html").read_text()
            assert claims <= set(re.findall(r'<section class="claim" id="claim-([a-z0-9-]+)"', page))


def test_methodology_is_linked_from_every_page(seed_site):
    for page in seed_site.rglob("*.html"):
        if "pagefind" in page.parts:
            continue
        assert 'methodology/">' in page.read_text(), page


def test_traditional_capture_is_shown_verbatim_in_the_traditional_edition(seed_site):
    archive = load(Project.at(REPO))
    article = next(a for a in archive.articles if a.script == "zh-Hant")
    page = (seed_site / "zh-hant" / "articles" / article.slug / "index.html").read_text()
    text = html.unescape(re.sub(r"<sup.*?</sup>|<[^>]+>", "", page))
    for paragraph in article.paragraphs:
        assert paragraph in text
