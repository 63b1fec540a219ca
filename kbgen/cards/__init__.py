"""Quick-reference cards: their HTML faces, PDFs with a checked fit, and imposed print sheets."""
