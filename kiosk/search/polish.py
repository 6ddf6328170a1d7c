"""Polish text handling for search: folding, lemmas (Morfeusz 2), stop words and synonyms.

Whoosh pickles the schema, analyzers included, into the index. The filters here are therefore
stateless: the Morfeusz objects live in lazy module-level singletons, never on a filter.
"""

import functools
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

import morfeusz2
import yaml
from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer, StopFilter
from whoosh.support.charset import accent_map

# Words joined by a hyphen stay one token only in the folded form of keywords; here \w+ is enough.
TOKEN_RE = re.compile(r"\w+")
# Short function words that never decide which card a resident wants (all already folded).
_STOP_TEXT = """a aby albo ale az bo by byc czy dla do ich ile im jak jaki jaka jakie jest jego jej juz ktora
    ktore ktory ktorych lub ma mam mi mnie na nad nam nas nie o od oraz po pod przez przy sa sie
    so ta tak te tego to tu ty u w we z za ze zeby co gdzie kiedy czym"""
STOP_WORDS = frozenset(_STOP_TEXT.split())

_local = threading.local()


def _analyser() -> morfeusz2.Morfeusz:
    """One Morfeusz analyser per thread (the SWIG object is not shareable, nor picklable)."""
    morf = getattr(_local, "analyser", None)
    if morf is None:
        morf = _local.analyser = morfeusz2.Morfeusz(generate=False)
    return morf


def _generator() -> morfeusz2.Morfeusz:
    morf = getattr(_local, "generator", None)
    if morf is None:
        morf = _local.generator = morfeusz2.Morfeusz(analyse=False, generate=True)
    return morf


def fold(text: str) -> str:
    """Lower-case and strip diacritics, ł→l included (NFKD would drop ł)."""
    return text.lower().translate(accent_map)


def tokens(text: str) -> list[str]:
    """The words of a text, lower-cased, in order."""
    return TOKEN_RE.findall(text.lower())


@functools.lru_cache(maxsize=200_000)
def lemmas(word: str) -> tuple[str, ...]:
    """All lemmas Morfeusz knows for a lower-case word; the word itself when it knows none."""
    found = set()
    for _start, _end, (_orth, lemma, tag, _names, _quals) in _analyser().analyse(word):
        if tag.startswith(("ign", "aglt", "interp")):
            continue
        found.add(lemma.split(":")[0].lower())
    return tuple(sorted(found)) or (word,)


@functools.lru_cache(maxsize=8192)
def phrase_signature(text: str) -> tuple[frozenset[str], ...]:
    """A phrase as, per word (stop words dropped), its folded form and lemmas: inflection and diacritics aside."""
    out = []
    for word in tokens(text):
        if fold(word) not in STOP_WORDS:
            out.append(frozenset({fold(word)} | {fold(lemma) for lemma in lemmas(word)}))
    return tuple(out)


def same_phrase(a: tuple[frozenset[str], ...], b: tuple[frozenset[str], ...]) -> bool:
    """Whether two phrase signatures name the same words in the same order ("paszportu" ~ "paszport")."""
    return bool(a) and len(a) == len(b) and all(not x.isdisjoint(y) for x, y in zip(a, b, strict=True))


def forms(lemma: str) -> set[str]:
    """Every inflected form of a lemma, lower-case (the lemma alone when Morfeusz does not know it)."""
    try:
        generated = {entry[0].lower() for entry in _generator().generate(lemma)}
    except RuntimeError:
        generated = set()
    return generated | {lemma.lower()}


class LemmaFilter(Filter):
    """Replaces each token by its lemma(s), all at the token's position."""

    def __eq__(self, other):
        return type(self) is type(other)

    def __call__(self, stream):
        for token in stream:
            found = lemmas(token.text)
            for lemma in found:
                token.text = lemma
                yield token


class FoldFilter(Filter):
    """Strips diacritics (ł→l too) from each token."""

    def __eq__(self, other):
        return type(self) is type(other)

    def __call__(self, stream):
        for token in stream:
            token.text = token.text.translate(accent_map)
            yield token


def _stop_filter():
    return StopFilter(stoplist=STOP_WORDS, minsize=1)


def lemma_analyzer():
    """Words → folded lemmas: "Dowodu" → "dowod", "zameldowania" → "zameldowac"."""
    return RegexTokenizer(TOKEN_RE.pattern) | LowercaseFilter() | LemmaFilter() | FoldFilter() | _stop_filter()


def folded_analyzer():
    """Words → folded surface forms, so text typed without diacritics still matches."""
    return RegexTokenizer(TOKEN_RE.pattern) | LowercaseFilter() | FoldFilter() | _stop_filter()


def plain_analyzer():
    """Words → lower-case surface forms with diacritics, for "did you mean" in proper Polish."""
    return RegexTokenizer(TOKEN_RE.pattern) | LowercaseFilter()


# --- analysing a query ------------------------------------------------------------------------------


@dataclass
class QueryWord:
    """One word of a resident's query, in the forms each index field family expects."""

    text: str
    folded: str
    lemmas: list[str]
    expansions: list[list["QueryWord"]] = field(default_factory=list)

    @property
    def is_stop(self) -> bool:
        return self.folded in STOP_WORDS


def query_word(text: str) -> QueryWord:
    """Analyse one lower-case word typed by a resident."""
    return QueryWord(text=text, folded=fold(text), lemmas=sorted({fold(lemma) for lemma in lemmas(text)}))


# --- synonyms ---------------------------------------------------------------------------------------


@dataclass
class Synonym:
    """A word or phrase residents use (each word as the set of its folded forms) and what cards say."""

    key: list[frozenset[str]]
    expansions: list[str]

    def matches(self, folded_words: list[str], start: int) -> bool:
        window = folded_words[start : start + len(self.key)]
        return len(window) == len(self.key) and all(w in forms_ for w, forms_ in zip(window, self.key, strict=True))


class Synonyms:
    """Colloquial words → the words the cards use, from `content/synonyms.yaml`."""

    def __init__(self, entries: dict[str, list[str]]):
        self.entries = [Synonym(self._key(k), list(v)) for k, v in entries.items() if v]
        self.by_first: dict[str, list[Synonym]] = {}  # a key's first word's forms → entries, in file order
        for entry in self.entries:
            for form in entry.key[0] if entry.key else ():
                self.by_first.setdefault(form, []).append(entry)

    @staticmethod
    def _key(phrase: str) -> list[frozenset[str]]:
        return [frozenset(fold(form) for lemma in lemmas(word) for form in forms(lemma)) | {fold(word)}
                for word in tokens(phrase)]  # fmt: skip

    @classmethod
    def load(cls, path: Path) -> "Synonyms":
        """Read the YAML mapping; a missing file means no synonyms."""
        if not path.is_file():
            return cls({})
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        return cls({str(k): [str(x) for x in (v if isinstance(v, list) else [v])] for k, v in data.items()})

    def expansions_at(self, folded_words: list[str], start: int) -> list[tuple[int, list[str]]]:
        """(length of the matched key, expansions) for every key starting at word `start`."""
        candidates = self.by_first.get(folded_words[start], ()) if start < len(folded_words) else ()
        return [(len(s.key), s.expansions) for s in candidates if s.matches(folded_words, start)]


_synonyms_cache: dict[str, tuple[float, Synonyms]] = {}


def synonyms_from(path: Path) -> Synonyms:
    """Synonyms for a file, reloaded when the file changes (editors need no restart)."""
    try:
        mtime = path.stat().st_mtime
    except OSError:
        mtime = -1.0
    cached = _synonyms_cache.get(str(path))
    if cached is None or cached[0] != mtime:
        cached = _synonyms_cache[str(path)] = (mtime, Synonyms.load(path))
    return cached[1]


def analyse_query(text: str, synonyms: Synonyms) -> list[QueryWord]:
    """The query's words (stop words dropped) with the synonyms each one starts."""
    raw = tokens(text)
    folded = [fold(w) for w in raw]
    words = []
    for i, word in enumerate(raw):
        qw = query_word(word)
        for _length, phrases in synonyms.expansions_at(folded, i):
            qw.expansions.extend([query_word(w) for w in tokens(p) if fold(w) not in STOP_WORDS] for p in phrases)
        if not qw.is_stop or qw.expansions:
            words.append(qw)
    return words
