"""The site's routes: where each kind of page lives, relative to an edition's root."""

from __future__ import annotations


def route_of_article(slug: str) -> str:
    return f"articles/{slug}/"


def route_of_theme(slug: str) -> str:
    return f"themes/{slug}/"


def route_of_claim(claim_id: str) -> str:
    return f"claims/{claim_id}/"


def route_of_article_list(number: int) -> str:
    """Page number of the list of all articles: the first at articles/, the others at articles/page/N/."""
    return "articles/" if number == 1 else f"articles/page/{number}/"
