"""Open data: a read-only JSON API of published cards, service points and categories."""
