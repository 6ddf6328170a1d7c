"""Scoring a query exactly as Whoosh would, from postings kept per index reader as plain dicts.

Whoosh walks every matching posting through a tree of pure-Python matchers on each search; here each
term's postings are read once per reader into {docnum: BM25F score} (a reader never changes: a changed
index means a new searcher with new readers), and a query tree is combined with dict arithmetic that
follows Whoosh's matcher rules one for one, segment by segment as its collector does:

- a Term scores BM25F (the searcher's weighting, global IDF and average length), times its boost;
- Or and And add their parts' scores in the order of Whoosh's matcher tree (so the floats are the same),
  And keeping only documents every part matches; DisjunctionMax takes the highest of its parts' current
  scores, as Whoosh's matcher does (see `_highest`); a compound's boost multiplies, except with a single
  part (Whoosh then uses that part's own matcher);
- a typo or prefix expansion (constant-score MultiTerm) scores per segment like Whoosh: one term is that
  term unboosted; two terms, or more in a segment above 5,000 documents, their summed scores times the
  boost; more terms otherwise 1.0 per document (Whoosh's unscored array matcher).

Results sort by score, highest first, then by document number, like Whoosh's collector.
`tests/search/test_scoring.py` compares every hit, score, total and facet with Whoosh's own search.
"""

import heapq
from bisect import bisect_right

from whoosh import query as wq
from whoosh.util import make_binary_tree

ARRAY_OR_UP_TO = 5000  # Whoosh's Or picks its (unscored, for expansions) array matcher at or below this
TOO_MANY_CLAUSES = wq.Or.TOO_MANY_CLAUSES
MAX_CACHED_POSTINGS = 3_000_000  # per reader: about 300 MB at worst; a long-lived reader starts over


def matches(searcher, query: wq.Query, allow: frozenset | set | None = None) -> dict[int, float]:
    """Every matching document (global number) with its score; `allow` keeps only those documents.

    The dict may be one kept for the reader: read it, never change it.
    """
    found = _Whole(searcher, _cache(searcher.reader())).score(query)
    if allow is None:
        return found
    return {docnum: score for docnum, score in found.items() if docnum in allow}


def top(found: dict[int, float], limit: int | None) -> list[tuple[int, float]]:
    """The best `limit` documents (all when None): score descending, then document number, as Whoosh sorts."""
    if limit is None or limit >= len(found):
        return sorted(found.items(), key=_order)
    if limit <= 0:
        return []
    # Only documents scoring at least the limit-th best score can be among the best: sort those alone.
    cutoff = heapq.nlargest(limit, found.values())[-1]
    return sorted([item for item in found.items() if item[1] >= cutoff], key=_order)[:limit]


def _order(item: tuple[int, float]) -> tuple[float, int]:
    return (-item[1], item[0])


def _cache(reader) -> dict:
    cache = reader.__dict__.get("_kiosk_scores")
    if cache is None or cache["postings"] > MAX_CACHED_POSTINGS:
        cache = reader.__dict__["_kiosk_scores"] = {"postings": 0}
    return cache


class _Whole:
    """A query's scores over all segments, in global document numbers.

    A query built by `kiosk.search.query` is a union of word groups, each marked with a `cache_key` that
    names it fully (the word, its synonyms, the options): a group's scores depend on the reader alone, so
    they are combined per segment once per reader and kept. Words recur across residents' queries; a whole
    query is not kept. The union on top adds the groups' scores per document in the same tree order in any
    segment, so it is done here on global numbers, with the same floats as per segment.
    """

    def __init__(self, searcher, cache: dict):
        self.cache = cache
        self.segments = [_Segment(searcher, sub, offset, cache) for sub, offset in searcher.leaf_searchers()]

    def score(self, q: wq.Query) -> dict[int, float]:
        key = getattr(q, "cache_key", None)
        if key is not None:
            found = self.cache.get(("group", key))
            if found is None:
                found = self.cache[("group", key)] = self.per_segment(q)
                self.cache["postings"] += len(found)
            return found
        if isinstance(q, (wq.Or, wq.And, wq.DisjunctionMax)) and len(q.subqueries) == 1:
            return self.score(q.subqueries[0])  # Whoosh uses the part's own matcher, unboosted
        if isinstance(q, wq.Or) and getattr(q, "balanced", False) and q.subqueries:
            return _boosted(make_binary_tree(_either, [self.score(s) for s in q.subqueries]), q.boost)
        return self.per_segment(q)

    def per_segment(self, q: wq.Query) -> dict[int, float]:
        if len(self.segments) == 1 and not self.segments[0].offset:
            return self.segments[0].score(q)
        found: dict[int, float] = {}
        for segment in self.segments:
            offset = segment.offset
            found.update({docnum + offset: score for docnum, score in segment.score(q).items()})
        return found


class _Segment:
    """One segment's scores for a query: its readers, its document offset, the reader's score cache."""

    def __init__(self, top_searcher, searcher, offset: int, cache: dict):
        self.top, self.searcher, self.reader, self.offset, self.cache = (
            top_searcher, searcher, searcher.reader(), offset, cache)  # fmt: skip

    def score(self, q: wq.Query) -> dict[int, float]:
        if isinstance(q, wq.Term):
            return self.term(q.fieldname, q.text, q.boost)
        if isinstance(q, wq.MultiTerm):
            return self.expansion(q)
        if isinstance(q, (wq.Or, wq.And, wq.DisjunctionMax)):
            return self.compound(q)
        raise TypeError(f"no exact scoring for {type(q).__name__}")

    def compound(self, q) -> dict[int, float]:
        subs = q.subqueries
        if not subs:
            return {}
        if len(subs) == 1:  # Whoosh uses the part's own matcher: the compound's boost is not applied
            return self.score(subs[0])
        parts = [self.score(s) for s in subs]
        if isinstance(q, wq.DisjunctionMax):
            found = _highest(parts)
        elif isinstance(q, wq.And):
            sizes = [-s.estimate_size(self.reader) for s in subs]  # Whoosh's weights: the smallest part first
            found = _weighted_tree(_both, list(zip(sizes, parts, strict=True)))
        elif getattr(q, "balanced", False):  # kiosk.search.query.Or: a balanced tree of unions
            found = make_binary_tree(_either, parts)
        else:
            raise TypeError("Whoosh's own Or picks its matcher by heuristics; use kiosk.search.query.Or")
        return _boosted(found, q.boost)

    def expansion(self, q: wq.MultiTerm) -> dict[int, float]:
        key = (self.offset, type(q).__name__, q.field(), q.text, getattr(q, "maxdist", 0), q.boost)
        found = self.cache.get(key)
        if found is None:  # a short prefix expands to hundreds of words: combine them once per reader
            found = self.cache[key] = self._expansion(q)
            self.cache["postings"] += len(found)
        return found

    def _expansion(self, q: wq.MultiTerm) -> dict[int, float]:
        if not q.constantscore:
            raise TypeError("only constant-score expansions are scored here")
        words = [w for w in q._btexts(self.reader) if w]
        if not words:
            return {}
        if len(words) == 1:  # Whoosh matches the one term on its own, unboosted
            return self.term(q.field(), words[0], 1.0)
        parts = [self.term(q.field(), w, 1.0) for w in words]
        if len(words) < TOO_MANY_CLAUSES and (len(words) == 2 or self.searcher.doc_count_all() > ARRAY_OR_UP_TO):
            sizes = [self.reader.doc_frequency(q.field(), w) for w in words]
            return _boosted(_weighted_tree(_either, list(zip(sizes, parts, strict=True))), q.boost)
        return dict.fromkeys(_union_keys(parts), 1.0)  # Whoosh's array matcher, unscored: 1 each, no boost

    def term(self, fieldname: str, text, boost: float) -> dict[int, float]:
        field = self.reader.schema[fieldname]
        btext = text if isinstance(text, bytes) else field.to_bytes(text)
        key = (self.offset, fieldname, btext, boost)
        found = self.cache.get(key)
        if found is None:
            if boost == 1.0:
                found = self._postings(fieldname, btext)
            else:
                found = {d: s * boost for d, s in self.term(fieldname, btext, 1.0).items()}
            self.cache[key] = found
            self.cache["postings"] += len(found)
        return found

    def _postings(self, fieldname: str, btext: bytes) -> dict[int, float]:
        """The term's live postings in this segment, each scored as Whoosh's scorer does."""
        if (fieldname, btext) not in self.reader:
            return {}
        scorer = self.top.weighting.scorer(self.searcher, fieldname, btext)
        matcher = self.reader.postings(fieldname, btext)
        found = {}
        if not hasattr(scorer, "dfl"):  # an unscorable field: Whoosh's WeightScorer, the term's max weight
            while matcher.is_active():
                found[matcher.id()] = scorer.score(matcher)
                matcher.next()
            return found
        length, score = scorer.dfl, scorer._score
        while matcher.is_active():
            docnum = matcher.id()
            found[docnum] = score(matcher.weight(), length(docnum))
            matcher.next()
        return found


def _boosted(found: dict[int, float], boost: float) -> dict[int, float]:
    return found if boost == 1.0 else {d: s * boost for d, s in found.items()}


def _either(a: dict[int, float], b: dict[int, float]) -> dict[int, float]:
    """Whoosh's UnionMatcher: a document in both scores a + b."""
    if not b:
        return a
    if not a:
        return b
    if len(a) < len(b):
        a, b = b, a  # float addition is commutative: the sums are the same
    found = dict(a)
    for docnum, score in b.items():
        other = found.get(docnum)
        found[docnum] = score if other is None else other + score
    return found


def _both(a: dict[int, float], b: dict[int, float]) -> dict[int, float]:
    """Whoosh's IntersectionMatcher: only documents in both, scoring a + b."""
    if len(a) > len(b):
        a, b = b, a
    return {d: s + b[d] for d, s in a.items() if d in b}


def _highest(parts: list[dict[int, float]]) -> dict[int, float]:
    """Whoosh's DisjunctionMaxMatcher, as it really scores (its tiebreak is never used).

    It takes the highest of its parts' *current* scores without checking that they sit on the same
    document: at document d, a part that does not match d still offers the score of its next match after
    d. Our ranking and its quality figures were tuned with that, so it is reproduced (walking the documents
    from the last, each part's "current" score is that of its first match at or after d). Nested
    disjunctions flatten to the same thing, so the shape of Whoosh's tree does not matter here.
    """
    parts = [p for p in parts if p]
    if len(parts) <= 1:
        return parts[0] if parts else {}
    found: dict[int, float] = {}
    current: list[float] = []
    for docnum in sorted(_union_keys(parts), reverse=True):
        current = [p.get(docnum, c) for p, c in zip(parts, current or [None] * len(parts), strict=True)]
        found[docnum] = max(c for c in current if c is not None)
    return found


def _union_keys(parts: list[dict[int, float]]) -> set[int]:
    keys: set[int] = set()
    for part in parts:
        keys.update(part)
    return keys


def _weighted_tree(combine, weighted: list[tuple[int, dict]]) -> dict[int, float]:
    """Whoosh's `make_weighted_tree`: combine the two lightest parts until one is left.

    Whoosh sorts (weight, matcher) pairs, and matchers compare neither less nor greater, so its sort and
    insertions are stable by weight alone: equal weights keep their order, a new node goes after them.
    """
    nodes = sorted(weighted, key=lambda pair: pair[0])
    while len(nodes) > 1:
        (wa, a), (wb, b) = nodes.pop(0), nodes.pop(0)
        weight = wa + wb
        nodes.insert(bisect_right([w for w, _p in nodes], weight), (weight, combine(a, b)))
    return nodes[0][1]
