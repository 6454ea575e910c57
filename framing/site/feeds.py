"""Files for machines: sitemap.xml, robots.txt and an Atom feed per edition. Pure functions.

Dates come from the content only (the newest date an article or source carries), never from the
clock, so the feeds are as reproducible as the pages. A feed carries the FEED_ARTICLES newest
articles and their annotations, as other generators' feeds carry the latest posts: a reader polls
it for what is new, and the whole archive is in the pages, the sitemap and data/.
"""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from framing.site.editions import editions_for
from framing.site.pages import PlannedPage, newest_articles
from framing.site.view import EditionView
from framing.site.routes import route_of_article
from framing.source.records import Archive, PartialDate
from framing.site import correctionspage

ATOM_NS = "http://www.w3.org/2005/Atom"
FEED_ARTICLES = 50  # the newest articles a feed carries, each with its annotations


def newest_date(archive: Archive) -> PartialDate | None:
    """The latest date anywhere in the content: the feed's 'updated'."""
    dates = [a.published for a in archive.articles if a.published]
    dates += [s.date for c in archive.claims for s in c.sources]
    dates += [c.date for c in archive.corrections]
    return max(dates, key=PartialDate.sort_key) if dates else None


def rfc3339(date: PartialDate | None) -> str:
    """An Atom timestamp; a partial date is taken at its first moment, in China Standard Time."""
    if date is None:
        return "2000-01-01T00:00:00Z"
    time = date.time or "00:00"
    if time.count(":") == 1:
        time += ":00"
    return f"{date.year:04d}-{date.month or 1:02d}-{date.day or 1:02d}T{time}+08:00"


def sitemap(archive: Archive, pages: list[PlannedPage]) -> bytes:
    """Every HTML page except the 404s and the search pages, with hreflang alternates between editions."""
    editions = editions_for(archive.config.default_edition)
    base = archive.config.base_url
    routes = []
    for page in pages:
        if page.route in ("404.html", "search/") or not page.path.endswith(".html") \
                or page.path.startswith(editions[1].prefix) \
                or page.path.startswith(editions[2].prefix):
            continue
        routes.append(page.route)
    routes.sort()
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">']
    for route in routes:
        for edition in editions:
            lines.append(f"  <url><loc>{escape(archive.config.absolute(base + edition.prefix + route))}</loc>")
            for other in editions:
                href = quoteattr(archive.config.absolute(base + other.prefix + route))
                lines.append(f'    <xhtml:link rel="alternate" hreflang="{other.lang}" href={href}/>')
            lines.append("  </url>")
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def robots(archive: Archive) -> bytes:
    lines = ["User-agent: *", "Allow: /"]
    if archive.config.origin:
        lines.append(f"Sitemap: {archive.config.absolute(archive.config.base_url + 'sitemap.xml')}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def atom(view: EditionView) -> bytes:
    """The edition's feed: its FEED_ARTICLES newest articles, then their annotations, each linking to its
    page, then an entry per correction of the corrections log."""
    archive = view.archive
    config = archive.config
    title, _ = view.label(config.title, config.title_en)
    subtitle, _ = view.label(config.description, config.description_en)
    updated = rfc3339(newest_date(archive))
    feed_path = view.url("feed.xml")
    lines = ['<?xml version="1.0" encoding="utf-8"?>',
             f'<feed xmlns="{ATOM_NS}" xml:lang="{view.edition.lang}">',
             f"  <title>{escape(title)}</title>", f"  <subtitle>{escape(subtitle)}</subtitle>",
             f"  <id>tag:framing-archive,2025:{view.edition.code}</id>", f"  <updated>{updated}</updated>",
             f'  <link rel="self" type="application/atom+xml" href={quoteattr(archive.config.absolute(feed_path))}/>',
             f'  <link rel="alternate" type="text/html" href={quoteattr(archive.config.absolute(view.url("")))}/>',
             f"  <author><name>{escape(title)}</name></author>"]
    articles = newest_articles(archive.articles, FEED_ARTICLES)
    for article in articles:
        url = archive.config.absolute(view.url(route_of_article(article.slug)))
        outlet = view.article_outlet(article)["text"]
        lines += ["  <entry>", f"    <title>{escape(view.article_title(article)['text'])}</title>",
                  f"    <id>tag:framing-archive,2025:{view.edition.code}/articles/{article.slug}</id>",
                  f'    <link rel="alternate" type="text/html" href={quoteattr(url)}/>',
                  f"    <updated>{rfc3339(article.published) if article.published else updated}</updated>",
                  f"    <author><name>{escape(outlet)}</name></author>",
                  f"    <summary>{escape(outlet)} · {escape(view.count('note_count', len(view.index.by_article[article.slug])))}</summary>",
                  "  </entry>"]
    carried = {article.slug for article in articles}
    for annotation in (annotation for annotation in archive.annotations if annotation.article in carried):
        article = view.index.articles[annotation.article]
        url = archive.config.absolute(view.url(route_of_article(article.slug)) + f"#a-{annotation.id}")
        commentary = view.localised(annotation.commentary, annotation.commentary_en, "english_missing")
        lines += ["  <entry>", f"    <title>{escape(view.passage_text(annotation))}</title>",
                  f"    <id>tag:framing-archive,2025:{view.edition.code}/annotations/{annotation.id}</id>",
                  f'    <link rel="alternate" type="text/html" href={quoteattr(url)}/>',
                  f"    <updated>{rfc3339(article.published) if article.published else updated}</updated>",
                  f'    <content type="html">{escape(str(commentary["html"]))}</content>',
                  "  </entry>"]
    lines += correctionspage.feed_entries(view, view.edition.code)
    lines.append("</feed>")
    return ("\n".join(lines) + "\n").encode("utf-8")
