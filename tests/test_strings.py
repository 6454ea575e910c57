"""The interface strings (templates/strings.yaml): every one is used, and every code shown has one."""

import re

import pytest

from conftest import REPO
from framing.site import timeline
from framing.source import numbers
from framing.source.config import EDITION_CODES
from framing.source.frontmatter import parse_yaml
from framing.source.records import DEVICES, ENTMAN_FUNCTIONS, FRAME_DIMENSIONS, NAMED_LANGUAGES, VERDICTS

# Strings looked up by a prefix and a code (strings[f"verdict_{claim.verdict}"] …): the codes each takes.
FAMILIES = {
    "verdict_": VERDICTS,
    "verdict_about_": VERDICTS,
    "device_": DEVICES,
    "entman_": ENTMAN_FUNCTIONS,
    "frame_": FRAME_DIMENSIONS,
    "script_": NAMED_LANGUAGES,  # strings[f"script_{article.language}"], and script_{article.script}
    "edition_name_": EDITION_CODES,
    "kind_": timeline._KINDS,
    "qualifier_": tuple(sorted({q for _, q in numbers._QUALIFIER_PREFIXES} | set(numbers._QUALIFIER_SUFFIXES.values()))),
}


def catalogue() -> dict:
    path = REPO / "templates" / "strings.yaml"
    return parse_yaml(path.read_text(encoding="utf-8"), "templates/strings.yaml")


def code_and_templates() -> str:
    sources = [*(REPO / "templates").rglob("*.html"), *(REPO / "framing").rglob("*.py"), REPO / "templates/static/search.js"]
    return "\n".join(path.read_text(encoding="utf-8") for path in sources)


def named(key: str, text: str) -> bool:
    """Whether the code or a template names the string key itself (strings.key, strings["key"], fill("key", …))."""
    return bool(re.search(rf"strings\.{re.escape(key)}\b|[\"']{re.escape(key)}[\"']", text))


def test_every_interface_string_is_used():
    text = code_and_templates()
    by_family = {prefix + code for prefix, codes in FAMILIES.items() for code in codes}
    unused = [key for key in catalogue() if key not in by_family and not named(key, text)]
    assert unused == [], f"strings no page shows (remove them, or use them): {unused}"


@pytest.mark.parametrize("prefix", list(FAMILIES))
def test_every_code_a_page_shows_has_its_string(prefix):
    keys = set(catalogue())
    missing = [prefix + code for code in FAMILIES[prefix] if prefix + code not in keys]
    assert missing == []


def test_the_check_finds_an_unused_string():
    assert not named("see_claim", code_and_templates())
    assert named("search_button", code_and_templates())
