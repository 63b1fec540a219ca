"""Reading snippets/ into a Handbook, and reporting every problem found on the way."""
