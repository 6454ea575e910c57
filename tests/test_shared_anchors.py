"""Shared passages that start at the same place in a paragraph each keep an anchor that links reach."""

import re

from framing.site.article_page import highlight


def test_two_shared_passages_starting_together_each_have_an_anchor():
    text = "据2025年人工智能指数报告中Qwen位列前茅"
    short, long = (1, 13, "shared-1"), (1, 18, "shared-8")  # the second runs on past the first
    html = str(highlight(text, [], lambda s, e: text[s:e], {}, {}, "note", [short, long]))
    assert sorted(re.findall(r'id="(shared-\d+)"', html)) == ["shared-1", "shared-8"]
    assert '<span class="anchor" id="shared-1"></span><span class="shared" id="shared-8">' in html
    assert re.sub(r"<[^>]+>", "", html) == text
