"""Service cards (karty usług) and their immutable editions."""
