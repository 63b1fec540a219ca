"""Rendering the Handbook into Markdown pages (and an SVG), independent of MkDocs."""
