"""Content as code: cards and shared facts read from and written to `content/`."""
