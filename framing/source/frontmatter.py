"""Front matter and YAML that remember line numbers.

PyYAML's composer keeps a mark on every node; we turn nodes into plain values ourselves so that each
mapping and list knows the file line of every key and item. Timestamps stay strings (the records
parse dates themselves), and a repeated key is an error rather than silently last-wins.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from framing.errors import ContentError

# libyaml's parser where PyYAML was built with it (about ten times faster): the same nodes and marks.
_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class LocatedDict(dict):
    """A dict from YAML with the line of the mapping and of each key (1-based, in the file)."""

    line: int
    lines: dict[str, int]


class LocatedList(list):
    """A list from YAML with the line of the list and of each item."""

    line: int
    lines: list[int]


def _convert(node: yaml.Node, offset: int, shown: str, scalars: yaml.constructor.SafeConstructor) -> Any:
    line = node.start_mark.line + 1 + offset
    if isinstance(node, yaml.MappingNode):
        result = LocatedDict()
        result.line, result.lines = line, {}
        for key_node, value_node in node.value:
            key = _convert(key_node, offset, shown, scalars)
            key_line = key_node.start_mark.line + 1 + offset
            if not isinstance(key, str):
                raise ContentError(shown, key_line, f"the key {key!r} is not a name", "keys are words such as title: or date:")
            if key in result:
                raise ContentError(shown, key_line, f"the key '{key}' appears twice (first on line {result.lines[key]})",
                                   "keep one of them")
            result[key] = _convert(value_node, offset, shown, scalars)
            result.lines[key] = key_line
        return result
    if isinstance(node, yaml.SequenceNode):
        items = LocatedList(_convert(item, offset, shown, scalars) for item in node.value)
        items.line = line
        items.lines = [item.start_mark.line + 1 + offset for item in node.value]
        return items
    if node.tag == "tag:yaml.org,2002:timestamp":
        return node.value
    if node.tag in ("tag:yaml.org,2002:binary",):
        raise ContentError(shown, line, "binary values are not allowed", "write text")
    return scalars.construct_object(node, deep=True)


def parse_yaml(text: str, shown: str, first_line: int = 1) -> Any:
    """Parse YAML text whose first line is line first_line of the file shown."""
    try:
        try:
            node = yaml.compose(text, Loader=_FAST_LOADER)
        except yaml.YAMLError:
            # Parse again with PyYAML's own parser, whose messages the hints below are written for.
            node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        opened = (exc.context_mark and any(w in (exc.context or "") for w in ("quoted scalar", "flow sequence", "flow mapping"))
                  and (exc.problem_mark is None or exc.problem_mark.line != exc.context_mark.line))
        if opened:
            mark = exc.context_mark  # where the unclosed quote or bracket opened, not where the parser gave up
        line = (mark.line + first_line) if mark else first_line
        problem = exc.problem or "the YAML does not parse"
        hint = "check the indentation and quoting on this line or the one before it"
        if opened:
            what = "quote" if "quoted" in exc.context else "bracket"
            hint = f"the {what} opened on this line is never closed: add the closing {what}"
        elif "\t" in text:
            hint = "YAML does not allow tab characters for indentation; indent with spaces"
        elif "found character" in problem and "'" in problem:
            hint = "put the value in double quotes"
        elif "end of the stream" in problem or "unexpected end" in problem:
            hint = "a quote or bracket is opened but never closed"
        elif "another document" in problem:
            hint = "remove the stray '---' line: the file holds one set of fields"
        raise ContentError(shown, line, f"the YAML does not parse: {problem}", hint) from None
    except yaml.YAMLError as exc:
        raise ContentError(shown, first_line, f"the YAML does not parse: {exc}", "check the syntax") from None
    if node is None:
        return None
    return _convert(node, first_line - 1, shown, yaml.constructor.SafeConstructor())


_FIELD_LINE = re.compile(r"[a-z_][a-z0-9_]*:(\s|$)")


def _stray_separator(lines: list[str], closing: int) -> int | None:
    """The index of a second '---' when the lines right after the closing one are fields, else None."""
    rest = [i for i in range(closing + 1, len(lines)) if lines[i].strip()]
    if not rest or not _FIELD_LINE.match(lines[rest[0]]):
        return None
    for i in rest:
        if lines[i].rstrip() == "---":
            return i
        if not (_FIELD_LINE.match(lines[i]) or lines[i].startswith((" ", "-"))):
            return None
    return None


def split_front_matter(text: str, shown: str) -> tuple[LocatedDict, str, int]:
    """Split '---' YAML front matter from a markdown body.

    Returns the front matter, the body, and the file line on which the body starts.
    """
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        raise ContentError(shown, 1, "the file does not start with front matter",
                           "begin the file with a line '---', the YAML fields, and another line '---'")
    for index in range(1, len(lines)):
        if lines[index].rstrip() == "---":
            break
    else:
        raise ContentError(shown, 1, "the front matter opened on line 1 is never closed",
                           "add a line '---' after the last field")
    data = parse_yaml("\n".join(lines[1:index]), shown, first_line=2)
    stray = _stray_separator(lines, index)
    if stray is not None:
        raise ContentError(shown, index + 1, f"this '---' closes the front matter early; the fields after it, up to the '---' on line {stray + 1}, are not read",
                           "remove the stray '---' line; the fields go between the first '---' and one closing '---'")
    if data is None:
        data = LocatedDict()
        data.line, data.lines = 2, {}
    if not isinstance(data, dict):
        raise ContentError(shown, 2, "the front matter is not a set of 'key: value' fields",
                           "write one field per line, e.g. 'title: …'")
    body_start = index + 2
    return data, "\n".join(lines[index + 1:]), body_start
