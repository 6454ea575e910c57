"""The interface strings of every edition: templates/strings.yaml, each key with its zh and en text."""

from __future__ import annotations

from framing.errors import ContentError
from framing.project import Project
from framing.source.frontmatter import parse_yaml
from framing.source.textfile import read_text


def load_catalogue(project: Project) -> dict[str, dict[str, str]]:
    path = project.templates / "strings.yaml"
    shown = "templates/strings.yaml"
    if not path.is_file():
        raise ContentError(shown, None, "the string catalogue is missing", "restore templates/strings.yaml")
    data = parse_yaml(read_text(path, shown), shown)
    if data is not None and not isinstance(data, dict):
        raise ContentError(shown, 1, "the string catalogue is not a set of 'key: {zh: …, en: …}' entries",
                           "restore templates/strings.yaml from the repository")
    catalogue = {}
    for key, texts in (data or {}).items():
        if not isinstance(texts, dict) or not {"zh", "en"} <= set(texts) or not all(isinstance(v, str) for v in texts.values()):
            raise ContentError(shown, data.lines[key], f"the string '{key}' needs text for both zh and en",
                               "write key: {zh: 中文, en: English}")
        catalogue[key] = {"zh": texts["zh"], "en": texts["en"]}
    return catalogue
