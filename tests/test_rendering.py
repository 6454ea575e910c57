"""Rendering: the templates see a page's context exactly as plain Jinja2 would show it."""

from __future__ import annotations

import types

import jinja2
import pytest
from markupsafe import Markup

from framing.output import render
from framing.errors import TemplateError

CONTEXT = {
    "page": {"title": "标题", "items": ["a", "b"], "count": 2, "notes": [{"id": "n1", "html": Markup("<b>x</b>")}]},
    "plain": {"values": "a key named like a dict method"},
    "thing": types.SimpleNamespace(title="attribute", keys="an attribute, not a method"),
}
EXPRESSIONS = [
    "{{ page.title }} {{ page.count + 1 }}",
    "{% for note in page.notes %}{{ note.id }}{{ note.html }}{% endfor %}",
    "{{ page['title'] }} {{ page.items() | list | length }}",  # .items is the dict's method, as in Jinja2
    "{{ plain.values() | list }} {{ plain['values'] }}",
    "{{ page.keys() | sort | join(',') }} {{ page.get('count') }}",
    "{{ thing.title }} {{ thing.keys }}",
    "{{ page.missing is defined }} {{ page.notes[0].missing is defined }}",
    "{{ '<' ~ page.title }}",
]


def environments():
    ours = render._Environment(undefined=jinja2.StrictUndefined, autoescape=True)
    theirs = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=True)
    return ours, theirs


@pytest.mark.parametrize("source", EXPRESSIONS)
def test_a_dict_key_reads_as_jinja2_reads_it(source):
    ours, theirs = environments()
    assert ours.from_string(source).render(CONTEXT) == theirs.from_string(source).render(CONTEXT)


def test_a_missing_key_is_undefined_as_in_jinja2():
    for environment in environments():
        with pytest.raises(jinja2.UndefinedError, match="'dict object' has no attribute 'missing'"):
            environment.from_string("{{ page.missing }}").render(CONTEXT)


def test_a_template_naming_a_missing_key_fails_the_build_with_its_line(tmp_path):
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "page.html").write_text("<p>\n{{ page.title }}\n{{ page.subtitle }}</p>\n", encoding="utf-8")
    renderer = render.Renderer(templates)
    with pytest.raises(TemplateError) as caught:
        renderer.render("page.html", CONTEXT)
    assert caught.value.path == "templates/page.html" and caught.value.line == 3
    assert "subtitle" in caught.value.message
