"""Pure page assembly: records to every page of every edition (articles, themes, claims, lists,
analysis, charts, feeds, open data, structured data). No I/O; no knowledge of caches or of how the
search index is laid out."""
