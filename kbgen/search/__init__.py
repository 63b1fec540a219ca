"""Making Material's built-in search find the right page in an agent's own words."""
