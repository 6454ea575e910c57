"""The verdict scale: three kinds of uncertainty told apart, defined, shown and rated in ClaimReview."""

import json
import re

import pytest

from conftest import REPO, cli_for, tiny_files, write_project
from framing.source.records import VERDICT_RATINGS, VERDICTS


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    files = tiny_files()
    files["claims/downloads.md"] = files["claims/downloads.md"].replace("verdict: unverifiable", "verdict: company-claim")
    project = write_project(tmp_path_factory.mktemp("verdicts") / "project", files)
    result = cli_for(project, "build", "--out", str(project / "site"))
    assert result.returncode == 0, result.stderr
    return project / "site"


def reviews(page: str) -> list[dict]:
    return json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1))


def test_the_old_codes_still_load_and_the_three_kinds_of_uncertainty_are_distinct():
    assert {"consistent", "overstated", "misattributed", "contradicted", "unverifiable"} <= set(VERDICTS)
    assert {"approximate", "company-claim", "not-found"} <= set(VERDICTS)
    assert set(VERDICT_RATINGS) < set(VERDICTS)


def test_a_company_claim_is_shown_and_rated_by_name_only(site):
    page = (site / "en" / "themes" / "statistics" / "index.html").read_text()
    assert '<span class="verdict verdict-company-claim">Company&#39;s claim (not independently checked)</span>' in page
    review = reviews(page)[0]
    assert review["reviewRating"] == {"@type": "Rating", "alternateName": "Company's claim (not independently checked)"}


def test_a_judging_verdict_has_its_place_on_the_scale(site):
    review = reviews((site / "themes" / "accusation" / "index.html").read_text())[0]
    assert review["reviewRating"] == {"@type": "Rating", "alternateName": "与来源一致", "ratingValue": 5,
                                      "bestRating": 5, "worstRating": 1}


@pytest.mark.parametrize("edition, word", [("", "公司自述"), ("zh-hant/", "公司自述"), ("en/", "Company's claim")])
def test_the_data_page_defines_every_verdict_in_every_edition(site, edition, word):
    page = (site / edition / "data" / "index.html").read_text()
    for code in VERDICTS:
        assert re.search(rf"<li><code>{code}</code>: <span class=\"verdict verdict-{code}\">[^<]+</span> \S", page), code
    assert word in page.replace("&#39;", "'")


def test_an_unknown_verdict_names_the_codes(tmp_path):
    files = tiny_files()
    files["claims/downloads.md"] = files["claims/downloads.md"].replace("verdict: unverifiable", "verdict: notfound")
    result = cli_for(write_project(tmp_path / "p", files), "check")
    assert result.returncode == 1
    assert "content/claims/downloads.md:4: 'notfound' is not a valid verdict (did you mean 'not-found'?)" in result.stdout + result.stderr


def test_the_methodology_defines_each_verdict_the_seed_uses():
    seed = {re.search(r"^verdict: (\S+)$", path.read_text(), re.M).group(1)
            for path in (REPO / "content" / "claims").glob("*.md") if not path.name.endswith(".en.md")}
    strings = (REPO / "templates" / "strings.yaml").read_text()
    methodology = {"zh": (REPO / "content/pages/methodology.md").read_text(),
                   "en": (REPO / "content/pages/methodology.en.md").read_text()}
    for code in seed:
        labels = re.search(rf'^verdict_{code}: {{zh: "([^"]+)", en: "([^"]+)"}}', strings, re.M).groups()
        assert f"**{labels[0]}**" in methodology["zh"] and f"**{labels[1]}**" in methodology["en"], code
