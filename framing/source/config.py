"""content/site.yaml -> a frozen SiteConfig, with every problem reported at once."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from framing.source.baseurl import BaseUrl, BaseUrlError, parse_base_url
from framing.errors import ContentError, ContentErrors
from framing.source.fields import SLUG_RULE, FieldReader, is_slug
from framing.source.frontmatter import parse_yaml
from framing.source.records import SiteConfig
from framing.source.textfile import folder_in_place, read_text

EDITION_CODES = ("zh-hans", "zh-hant", "en")


def _base_url(fields: FieldReader) -> BaseUrl:
    """base_url, checked: the root where it is missing (or wrong, which is reported)."""
    try:
        return parse_base_url(fields.text("base_url", required=False) or "/")
    except BaseUrlError as error:
        fields.error("base_url", error.message, error.fix)
        return BaseUrl("/", "")


def _positive(fields: FieldReader, key: str, default: int) -> int:
    fields.known.add(key)
    value = fields.data.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or not 4 <= value <= 200:
        fields.error(key, f"'{key}' must be a whole number from 4 to 200", f"write e.g. '{key}: {default}'")
        return default
    return value


def load_config(content_dir: Path, shown_root: Path, today: dt.date) -> SiteConfig:
    """Read and validate site.yaml."""
    path = content_dir / "site.yaml"
    shown = path.relative_to(shown_root).as_posix() if path.is_relative_to(shown_root) else path.as_posix()
    if not path.is_file():
        raise folder_in_place(path, shown, "move it away and create the file; EDITING.md shows every field") \
            or ContentError(shown, None, "site.yaml is missing", "create it; EDITING.md shows every field")
    if not path.resolve().is_relative_to(content_dir.resolve()):
        raise ContentError(shown, None, "site.yaml is a symbolic link that points outside content/",
                           "copy the file into content/ instead of linking to it")
    data = parse_yaml(read_text(path, shown), shown)
    if not isinstance(data, dict):
        raise ContentError(shown, 1, "site.yaml is not a set of 'key: value' fields", "see EDITING.md")
    problems: list[ContentError] = []
    fields = FieldReader(data, shown, problems, today)
    themes = fields.text_list("themes")
    if not themes:
        fields.error("themes", "'themes' must list at least one theme", "write 'themes: [accusation, statistics]'")
    for theme in themes:
        if not is_slug(theme):
            fields.error("themes", f"'{theme}' is not a valid theme slug", f"use {SLUG_RULE}")
    if len(set(themes)) != len(themes):
        fields.error("themes", "a theme is listed twice", "list each theme once")
    config = SiteConfig(
        title=fields.text("title"),
        title_en=fields.text("title_en"),
        description=fields.text("description"),
        description_en=fields.text("description_en"),
        base_url=(base_url := _base_url(fields)).path,
        origin=base_url.origin,
        default_edition=fields.choice("default_edition", EDITION_CODES, required=False) or "zh-hans",
        themes=themes,
        repository=fields.url("repository", required=False),
        shared_min_length=_positive(fields, "shared_min_length", 12),
        shared_theme=fields.text("shared_theme", required=False),
        numbers_theme=fields.text("numbers_theme", required=False),
        maintainer=fields.text("maintainer", required=False),
    )
    for key in ("shared_theme", "numbers_theme"):
        value = getattr(config, key)
        if value and value not in themes:
            fields.error(key, f"'{value}' is not one of the themes", f"use one of: {', '.join(themes)}")
    fields.finish()
    if problems:
        raise ContentErrors(problems)
    return config
