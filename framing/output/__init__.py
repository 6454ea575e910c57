"""Rendering assembled pages with Jinja2, and writing the output tree atomically."""
