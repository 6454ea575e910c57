"""Framing Archive: a static-site generator for annotated archives of news coverage.

The build is one pipeline, each stage a module:
load (frontmatter, content, config) -> validate into frozen records (records, anchor)
-> assemble pages (editions, pages) -> render (render) -> write atomically (write).
"""

__version__ = "0.1.0"
