"""A plain Whoosh index (StandardAnalyzer, default query parser) to compare the tuned one against.

Used only by bench/search_quality.py; it lives here so that nothing outside kiosk.search imports Whoosh.
"""

from collections.abc import Iterable
from pathlib import Path

from whoosh import index
from whoosh.analysis import StandardAnalyzer
from whoosh.fields import ID, TEXT, Schema
from whoosh.qparser import MultifieldParser

FIELDS = ("title", "keywords", "summary", "documents", "body")


class BaselineIndex:
    """Every text field with StandardAnalyzer; queries through MultifieldParser's defaults."""

    def __init__(self, path: Path, docs: Iterable[dict]):
        path.mkdir(parents=True, exist_ok=True)
        schema = Schema(slug=ID(stored=True, unique=True), **{f: TEXT(analyzer=StandardAnalyzer()) for f in FIELDS})
        self.ix = index.create_in(str(path), schema)
        with self.ix.writer() as writer:
            for doc in docs:
                writer.add_document(slug=doc["slug"], **{f: doc.get(f, "") for f in FIELDS})
        self.parser = MultifieldParser(list(FIELDS), schema=self.ix.schema)

    def search(self, text: str, limit: int = 10) -> list[str]:
        """Slugs of the best cards, best first."""
        with self.ix.searcher() as searcher:
            return [hit["slug"] for hit in searcher.search(self.parser.parse(text), limit=limit)]
