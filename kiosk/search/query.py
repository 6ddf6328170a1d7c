"""Turning a resident's words into a Whoosh query, and reading the results back.

The query is built from analysed words, never parsed: Whoosh syntax typed by a resident (quotes,
AND, *, field:value) is just text here, so no input can cause a parse error.
"""

import functools
from dataclasses import dataclass, field

from markupsafe import Markup, escape
from whoosh import matching
from whoosh import query as wq

from . import scoring
from .multilingual import deleted, edit_distance
from .polish import STOP_WORDS, TOKEN_RE, QueryWord, fold, lemmas, query_word, tokens

# Field weights: title above keywords (and synonyms), above summary, above document names and body
# (one field, "text": they are one tier, and fewer fields keep big indexes fast).
WEIGHTS = {"title": 6.0, "keywords": 4.0, "summary": 2.0, "text": 1.0}
FOLDED_WEIGHTS = {"title_f": 5.4, "keywords_f": 3.6, "text_f": 1.0}  # nearly as good as a lemma match
FUZZY = 0.35  # a typo match counts for much less than an exact one
PREFIX = 0.5  # as-you-type: the last word may be unfinished
SYNONYM = 0.8  # a synonym is nearly as good as the resident's own word
FUZZY_FIELDS = ("title_f", "keywords_f")


class Or(wq.Or):
    """Whoosh's Or, always matched as a balanced tree of unions: the same sums, less work.

    Below 5,000 documents Whoosh would pick its array matcher, which allocates and clears a 2,048-slot
    array per node and per part (most of a small catalogue's search time); above, it estimates every
    clause's size, one term-dictionary lookup each, only to shape the tree. `kiosk.search.scoring` adds
    the parts' scores in the same tree order.
    """

    balanced = True

    def _matcher(self, subs, searcher, context):
        return self._tree_matcher(subs, matching.UnionMatcher, searcher, context, None)


class _ExpandedOncePerReader:
    """A Whoosh multi-term query that expands its pattern once per index reader, not on every use.

    Expanding a typo or a prefix walks the term dictionary, and Whoosh does it again for the matcher, the
    size estimate and the highlighted terms. The expansions depend only on the reader's terms, and a
    reader never changes (a changed index means a new searcher with new readers), so they live on it.
    A reader of several segments takes the union of its segments' expansions (the terms of a multi-segment
    reader are its segments' terms), which scoring has made already.
    """

    def _btexts(self, ixreader):
        cache = ixreader.__dict__.setdefault("_kiosk_expansions", {})
        key = (type(self).__name__, self.fieldname, self.text, getattr(self, "maxdist", 0))
        found = cache.get(key)
        if found is None:
            if len(cache) > 50_000:  # bounded: a long-lived reader sees every word residents type
                cache.clear()
            if ixreader.is_atomic():
                found = tuple(self._expand(ixreader))
            else:
                found = tuple(sorted({t for leaf, _offset in ixreader.leaf_readers() for t in self._btexts(leaf)}))
            cache[key] = found
        return found

    def _expand(self, ixreader):
        return super()._btexts(ixreader)


class FuzzyTerm(_ExpandedOncePerReader, wq.FuzzyTerm):
    def _expand(self, ixreader):
        return near_terms(ixreader, self.fieldname, self.text, self.maxdist, self.prefixlength)


def near_terms(reader, fieldname: str, word: str, maxdist: int, prefixlength: int) -> list[str]:
    """The field's terms within `maxdist` edits of `word` (Levenshtein, first `prefixlength` letters equal).

    The terms Whoosh's Levenshtein automaton finds, without building one per word: two strings are
    within d edits only if deleting at most d letters from each makes them equal, so a per-reader map
    from each term's two-letter deletions to the term yields every candidate, then checked exactly.
    The maps are kept per first letters and length (d edits change the length by d at most), so a typo
    builds the maps of the few lengths it can reach, not of every word sharing its first letter.
    """
    head, rest = word[:prefixlength], word[prefixlength:]
    forms = deleted(rest)
    candidates = set()
    for length in range(max(0, len(rest) - maxdist), len(rest) + maxdist + 1):
        deletions = _deletion_map(reader, fieldname, head, length)
        candidates.update(term for form in forms for term in deletions.get(form, ()))
    return sorted(t for t in candidates if edit_distance(t[len(head) :], rest) <= maxdist)


def _deletion_map(reader, fieldname: str, head: str, length: int) -> dict[str, list[str]]:
    """Each form of the field's terms of `head` + `length` letters with up to two letters deleted after it."""
    maps = reader.__dict__.setdefault("_kiosk_deletions", {})
    found = maps.get((fieldname, head, length))
    if found is None:
        found = maps[(fieldname, head, length)] = {}
        for term in _terms_by_length(reader, fieldname, head).get(length, ()):
            for form in deleted(term[len(head) :]):
                found.setdefault(form, []).append(term)
    return found


def _terms_by_length(reader, fieldname: str, head: str) -> dict[int, list[str]]:
    """The field's terms starting with `head`, by the length of the rest (one walk of the term dictionary)."""
    cache = reader.__dict__.setdefault("_kiosk_terms_by_length", {})
    found = cache.get((fieldname, head))
    if found is None:
        found = cache[(fieldname, head)] = {}
        for btext in reader.expand_prefix(fieldname, head):
            term = btext.decode("utf-8")
            found.setdefault(len(term) - len(head), []).append(term)
    return found


class Prefix(_ExpandedOncePerReader, wq.Prefix):
    pass


def max_edits(word: str) -> int:
    """Typo tolerance that grows with the word: none up to 3 letters, 1 up to 7, then 2."""
    return 0 if len(word) <= 3 else 1 if len(word) <= 7 else 2


def is_known(reader, word: QueryWord) -> bool:
    """Whether the cards contain the word (as typed, folded, or as a lemma): then it is no typo."""
    return any(reader.doc_frequency(f, word.folded) for f in FOLDED_WEIGHTS) or any(
        reader.doc_frequency(f, lemma) for f in WEIGHTS for lemma in word.lemmas
    )


LONG_FIELDS = ("text", "text_f")  # body and document names: most postings, least weight
COMMON_SHARE = 0.1
MIN_DOCS_TO_PRUNE = 500


def informative(reader, field: str, term: str, prune: bool) -> bool:
    """False for a word in the body of more than a tenth of a large catalogue ("wniosek", "urząd").

    There its score is next to nothing (BM25's IDF is near zero) while walking its postings is most of a
    search's cost; the word still counts in titles, keywords and summaries. Small catalogues keep it.
    """
    if not prune or field not in LONG_FIELDS or reader.doc_count() < MIN_DOCS_TO_PRUNE:
        return True
    return reader.doc_frequency(field, term) <= COMMON_SHARE * reader.doc_count()


HEAD = ("title", "keywords", "title_f", "keywords_f")  # short fields: enough for as-you-type


def word_query(
    word: QueryWord, reader, prefix: bool = False, only: tuple[str, ...] | None = None, prune: bool = True
) -> wq.Query:
    """Everything one word may match, weighted by field; typos only for unknown words; `only` limits fields."""
    lemma_fields = {n: w for n, w in WEIGHTS.items() if only is None or n in only}
    folded_fields = {n: w for n, w in FOLDED_WEIGHTS.items() if only is None or n in only}
    leaves = [wq.Term(name, lemma, boost=weight) for name, weight in lemma_fields.items() for lemma in word.lemmas
              if lemma not in STOP_WORDS and informative(reader, name, lemma, prune)]  # fmt: skip
    leaves += [wq.Term(name, word.folded, boost=weight) for name, weight in folded_fields.items()
               if informative(reader, name, word.folded, prune)]  # fmt: skip
    edits = max_edits(word.folded)
    if edits and not prefix and not is_known(reader, word):  # an unfinished word is no typo
        leaves += [FuzzyTerm(n, word.folded, boost=FOLDED_WEIGHTS[n] * FUZZY, maxdist=edits, prefixlength=1)
                   for n in FUZZY_FIELDS]  # fmt: skip
    if prefix and len(word.folded) >= 2:
        leaves += [Prefix(n, word.folded, boost=FOLDED_WEIGHTS[n] * PREFIX) for n in ("title_f", "keywords_f")]
    return Or(leaves)


def group_query(word: QueryWord, reader, prefix: bool = False, only=None, prune: bool = True) -> wq.Query:
    """A word, or any of the phrases its synonyms expand to (every word of such a phrase required).

    Built once per index reader and kept (it depends on the reader's terms alone), marked with the
    `cache_key` that names it, under which `kiosk.search.scoring` keeps its scores.
    """
    pruning = prune and (MIN_DOCS_TO_PRUNE, COMMON_SHARE)  # everything the group depends on names it
    key = (word.text, tuple(tuple(w.text for w in phrase) for phrase in word.expansions), prefix, only, pruning)
    cache = reader.__dict__.setdefault("_kiosk_groups", {})
    found = cache.get(key)
    if found is None:
        if len(cache) > 50_000:  # bounded: a long-lived reader sees every word residents type
            cache.clear()
        found = cache[key] = _group_query(word, reader, prefix, only, prune)
        found.cache_key = key  # Whoosh's copies (with_boost, normalize) would carry it: never score a copy
    return found


def _group_query(word: QueryWord, reader, prefix: bool, only, prune: bool) -> wq.Query:
    own = [] if word.is_stop else [word_query(word, reader, prefix, only, prune)]
    alternatives = [wq.And([word_query(w, reader, only=only, prune=prune) for w in phrase], boost=SYNONYM)
                    for phrase in word.expansions if phrase]  # fmt: skip
    options = own + alternatives
    return wq.DisjunctionMax(options, tiebreak=0.5) if len(options) > 1 else options[0]


def build_query(words: list[QueryWord], reader, prefix_last: bool = False, only=None,
                prune: bool = True) -> wq.Query | None:  # fmt: skip
    """Any word may match; cards matching more of them score higher (BM25 sums the words' scores)."""
    last = len(words) - 1
    groups = [group_query(w, reader, prefix_last and i == last, only, prune) for i, w in enumerate(words)]
    groups = [g for g in groups if g is not None]
    if not groups:
        return None
    return groups[0] if len(groups) == 1 else Or(groups)


FACET_FIELDS = {"category": "category", "point": "points"}


def allowed_docs(searcher, point: str | None, category: str | None) -> frozenset | None:
    """The documents at the service point and in the category asked for; None when neither is."""
    cache = _facet_postings(searcher)
    found = None
    for values, wanted in ((cache["point"], point), (cache["category"], category)):
        if wanted:
            docs = values.get(wanted, frozenset())
            found = docs if found is None else found & docs
    return found


@dataclass
class Hit:
    slug: str
    title: str
    summary: str
    score: float
    highlights: dict = field(default_factory=dict)
    kind: str = "service"  # "referral": another institution handles the matter
    referral_to: str = ""  # for a referral, the first institution the card names


def run(searcher, q: wq.Query, allow: frozenset | None, limit: int) -> tuple[list[Hit], int, dict]:
    """Top hits with highlights, the number of matching cards, and counts per filter value."""
    found = scoring.matches(searcher, q, allow)
    matched = matched_words(searcher.reader(), q)
    hits = [_hit(stored_fields(searcher, docnum), score, matched) for docnum, score in scoring.top(found, limit)]
    return hits, len(found), _counts(searcher, _matched_mask(searcher, q, found, allow))


def stored_fields(searcher, docnum: int) -> dict:
    """A document's stored fields, unpacked once per index reader (a reader never changes): read, never change."""
    cache = searcher.reader().__dict__.setdefault("_kiosk_stored", {})
    found = cache.get(docnum)
    if found is None:
        found = cache[docnum] = searcher.stored_fields(docnum)
    return found


def matched_words(reader, q: wq.Query) -> set[str]:
    """The words to highlight: what Whoosh's `q.existing_terms(reader, expand=True)` returns, decoded.

    Whoosh's loop reuses its `fieldname` argument as the loop variable, so once a leaf yields a term it
    keeps only leaves of that leaf's field; highlights were tuned with that, so it is kept. A query is a
    union of word groups: each group's terms per field are kept per reader, and the first field carries on.
    """
    current, found = None, set()
    for part in q.subqueries if _is_union_of_groups(q) else [q]:
        first, by_field = _group_terms(reader, part)
        current = current or first
        found |= by_field.get(current, set())
    return {t.decode() if isinstance(t, bytes) else t for t in found}


def _is_union_of_groups(q: wq.Query) -> bool:
    return isinstance(q, Or) and getattr(q, "cache_key", None) is None


def _group_terms(reader, q: wq.Query) -> tuple[str | None, dict[str, set]]:
    """The field of the first leaf that yields a term, and each field's terms that exist in the reader."""
    key = getattr(q, "cache_key", None)
    cache = reader.__dict__.setdefault("_kiosk_group_terms", {})
    if key is not None and key in cache:
        return cache[key]
    first, by_field = None, {}
    for leaf in q.leaves():
        for fieldname, text in leaf.expanded_terms(reader):
            first = first or fieldname
            btext = text if isinstance(text, bytes) else reader.schema[fieldname].to_bytes(text)
            if (fieldname, btext) in reader:
                by_field.setdefault(fieldname, set()).add(btext)
    if key is not None:
        if len(cache) > 50_000:
            cache.clear()
        cache[key] = (first, by_field)
    return first, by_field


def top_titles(searcher, q: wq.Query, limit: int) -> list[dict]:
    """The best `limit` cards' stored fields (for as-you-type suggestions)."""
    return [stored_fields(searcher, docnum) for docnum, _s in scoring.top(scoring.matches(searcher, q), limit)]


def facet_counts(searcher, docs) -> dict:
    """How many of `docs` (document numbers) carry each category and service point."""
    return _counts(searcher, bit_mask(docs))


def _counts(searcher, mask: int) -> dict:
    """Facet counts of the documents whose bits are set in `mask`: one AND and a bit count per value."""
    return {name: {v: n for v, bits in values.items() if v and (n := (bits & mask).bit_count())}
            for name, values in _facet_postings(searcher)["masks"].items()}  # fmt: skip


def bit_mask(docs) -> int:
    """Document numbers as the bits of one integer (facet counts become ANDs and bit counts)."""
    if not docs:
        return 0
    bits = bytearray((max(docs) >> 3) + 1)
    for docnum in docs:
        bits[docnum >> 3] |= 1 << (docnum & 7)
    return int.from_bytes(bits, "little")


def _matched_mask(searcher, q: wq.Query, found: dict, allow) -> int:
    """The mask of `found`: for a union of word groups, the OR of the groups' masks, kept per reader."""
    parts = q.subqueries if _is_union_of_groups(q) else [q]
    if allow is not None or any(getattr(part, "cache_key", None) is None for part in parts):
        return bit_mask(found)
    cache = searcher.reader().__dict__.setdefault("_kiosk_masks", {})
    if len(cache) > 50_000:
        cache.clear()
    mask = 0
    for part in parts:
        bits = cache.get(part.cache_key)
        if bits is None:
            bits = cache[part.cache_key] = bit_mask(scoring.matches(searcher, part))
        mask |= bits
    return mask


def _facet_postings(searcher) -> dict:
    """Each category's and service point's documents (and as bit masks under "masks"), per searcher
    (a new index means a new searcher)."""
    cache = getattr(searcher, "_kiosk_facets", None)
    if cache is None:
        reader = searcher.reader()
        cache = {name: {value.decode() if isinstance(value, bytes) else value:
                        frozenset(reader.postings(fieldname, value).all_ids())
                        for value in reader.lexicon(fieldname)}
                 for name, fieldname in FACET_FIELDS.items()}  # fmt: skip
        cache["masks"] = {name: {v: bit_mask(docs) for v, docs in cache[name].items()} for name in FACET_FIELDS}
        searcher._kiosk_facets = cache
    return cache


def _hit(stored: dict, score: float, matched: set[str]) -> Hit:
    title, summary = stored.get("title", ""), stored.get("summary", "")
    marked = {"title": highlight(title, matched), "summary": highlight(summary, matched)}  # HTML, as Markup
    return Hit(slug=stored["slug"], title=title, summary=summary, score=round(float(score or 0.0), 4),
               highlights=marked)  # fmt: skip


def highlight(text: str, matched: set[str]) -> Markup:
    """The text, HTML-escaped, with every word whose folded form or lemma matched wrapped in <mark>."""
    return _highlighted(text, _word_forms(text)[3].intersection(matched))


@functools.lru_cache(maxsize=16384)
def _highlighted(text: str, marked: frozenset[str]) -> Markup:
    """The escaped text with the words taking any of the `marked` forms in <mark>: per text and forms, once."""
    words, tail, whole, _all = _word_forms(text)
    if not marked:
        return Markup(whole)
    out = []
    for before, word, forms in words:  # escaping is per character: pieces escaped apart join the same
        out += [before, word] if forms.isdisjoint(marked) else [before, "<mark>", word, "</mark>"]
    out.append(tail)
    return Markup("".join(out))


@functools.lru_cache(maxsize=8192)
def _word_forms(text: str) -> tuple[tuple[tuple[str, str, frozenset[str]], ...], str, str, frozenset[str]]:
    """Each word as (the escaped text before it, the escaped word, the folded forms a matched term may
    take: the word, its lemmas), the escaped text after the last word, the whole text escaped, and
    every word's forms: per text, once.

    It depends on the text alone, so a card's title analysed for one query serves every later one.
    """
    found, pos = [], 0
    for m in TOKEN_RE.finditer(text):
        word = m.group(0).lower()
        forms = frozenset({fold(word), *(fold(lem) for lem in lemmas(word))})
        found.append((str(escape(text[pos : m.start()])), str(escape(m.group(0))), forms))
        pos = m.end()
    every = frozenset().union(*(forms for _before, _word, forms in found))
    return tuple(found), str(escape(text[pos:])), str(escape(text)), every


def suggestion(searcher, text: str) -> str | None:
    """ "Did you mean": the query with unknown words replaced by the closest word in the cards.

    Kept per reader like the expansions above: it depends on the query and the index's words only.
    """
    cache = searcher.reader().__dict__.setdefault("_kiosk_suggestions", {})
    if text not in cache:
        if len(cache) > 10_000:
            cache.clear()
        cache[text] = _closest_words(searcher, text)
    return cache[text]


def _closest_words(searcher, text: str) -> str | None:
    reader, corrector = searcher.reader(), searcher.corrector("spell")
    words, changed = tokens(text), False
    for i, word in enumerate(words):
        if fold(word) in STOP_WORDS or len(word) < 3 or _known(reader, word):
            continue
        found = corrector.suggest(word, limit=1, maxdist=max(1, max_edits(word)), prefix=1)
        if found and found[0] != word:
            words[i], changed = found[0], True
    return " ".join(words) if changed else None


def _known(reader, word: str) -> bool:
    return reader.doc_frequency("spell", word) > 0 or is_known(reader, query_word(word))
