"""People who edit, approve and publish cards, with their roles."""
