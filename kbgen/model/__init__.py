"""The handbook's content model: typed entries and the Handbook that holds them."""
