"""Ukrainian and English queries: matched against published translations and a reviewed vocabulary.

Every word is reduced to a Latin skeleton (Cyrillic transliterated, і/ї/є/ґ/ё and й/y/j folded, doubled
letters collapsed, a few endings stripped), so "прописка", "propyska" and "propiska" meet, and a word
one or two letters off still matches. A query counts as foreign when it is Cyrillic, or when most of its
words are unknown to the Polish cards yet known to the translations or the vocabulary; a Polish query
is left to the Polish engine untouched.
"""

import bisect
import math
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml
from sqlalchemy import func, select

from kiosk.cards.models import Card, Edition
from kiosk.cards.translation_models import Translation, TranslationStatus
from kiosk.extensions import db
from kiosk.page_cache import remembered
from kiosk.process_caches import database_key, process_cache

from .polish import fold

CYRILLIC = re.compile(r"[\u0400-\u04ff]")
WORD = re.compile(r"[\w'’ʼ]+", re.UNICODE)
TRANSLIT = {
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "h", "д": "d", "е": "e", "є": "e", "ё": "e", "ж": "zh",
    "з": "z", "и": "i", "і": "i", "ї": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "h", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ь": "", "ъ": "", "ы": "i", "э": "e", "ю": "iu", "я": "ia",
}  # fmt: skip
LATIN_FOLD = str.maketrans({"y": "i", "j": "i", "g": "h", "w": "v", "q": "k", "x": "ks"})
ENDINGS = sorted(
    ("ation", "ations", "ing", "ings", "ed", "es", "s", "iakh", "iami", "ami", "akh", "ogo", "omu", "oiu", "ii",
     "iu", "ia", "ei", "ov", "am", "om", "a", "i", "o", "u", "e"),
    key=len, reverse=True,
)  # fmt: skip
STOP = {
    "the", "a", "an", "to", "of", "for", "in", "on", "my", "i", "how", "do", "does", "get", "where", "what", "is",
    "can", "need", "want", "with", "at", "and", "or", "me", "your", "new", "poland", "polish", "plock", "płock",
    "як", "де", "що", "для", "в", "у", "на", "з", "із", "і", "й", "та", "мені", "мій", "моя", "моє", "мої", "треба",
    "потрібно", "хочу", "зробити", "оформити", "отримати", "можна", "чи", "по", "до", "про", "від", "це", "а",
    "або", "польщі", "плоцьку", "плоцьк", "робити", "я", "мене", "нам",
}  # fmt: skip
MAX_WORDS = 12
FIELD_WEIGHTS = {"title": 3.0, "summary": 1.0, "documents": 0.6}


@lru_cache(maxsize=65536)
def skeleton(word: str) -> str:
    """A word reduced to a Latin skeleton: same for Cyrillic, its transliteration and most typos of case."""
    word = word.lower().replace("'", "").replace("’", "").replace("ʼ", "")
    word = "".join(TRANSLIT.get(ch, ch) for ch in word)
    word = "".join(ch for ch in unicodedata.normalize("NFKD", fold(word)) if not unicodedata.combining(ch))
    word = word.replace("kh", "h").replace("ck", "k").replace("ph", "f").translate(LATIN_FOLD)
    return re.sub(r"(.)\1+", r"\1", word)


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    sk = skeleton(word)
    for ending in ENDINGS:
        if len(sk) - len(ending) >= 4 and sk.endswith(ending):
            return sk[: -len(ending)]
    return sk


def words_of(text: str) -> list[str]:
    return [w for w in WORD.findall(text.lower()) if w not in STOP and len(w) > 1]


# Grouped digits as phone numbers are written ("800 120 002", "24 367-14-00"); never a date ("1.12.2026").
PHONE = re.compile(r"(?<![\w.,])\d{2,3}(?:[ -]\d{2,3}){2,3}(?![\w.,]?\d)")


def card_words(text: str) -> list[str]:
    """A card's words as queries may match them: a phone number is no word residents search by.

    Its digit groups would otherwise match queries such as "800 плюс" (the 800+ benefit) and lower the
    weight of the number in the cards that are about it.
    """
    return words_of(PHONE.sub(" ", text))


def similar(a: str, b: str) -> float:
    """How well two stems match: 1 equal, 0.8 one a prefix of the other, 0.7 one or two letters off."""
    if a == b:
        return 1.0
    short, long_ = sorted((a, b), key=len)
    if len(short) >= 4 and long_.startswith(short):
        return 0.8
    if len(short) >= 5 and abs(len(a) - len(b)) <= 2 and edit_distance(a, b) <= (1 if len(short) < 8 else 2):
        return 0.7
    return 0.0


@lru_cache(maxsize=65536)
def edit_distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


# --- the translations and the vocabulary, cached until they change --------------------------------


class Stems:
    """A set of stems that answers "which of you are similar to this one" without comparing it to all.

    `similar` is ≥ 0.8 only for a stem that is a prefix of the other, and 0.7 only within two edits; so
    the candidates are its prefixes, the stems it starts (a range of the sorted list), and the stems that
    share a form with it once up to two letters are deleted from each (two edits need no more). Each
    candidate is then scored by `similar` itself, so the answer is exactly that of comparing with all.
    """

    def __init__(self, stems):
        self.all = frozenset(stems)
        self.ordered = sorted(self.all)
        self._deletes: dict | None = None  # built on first use: a Polish query never needs it
        self._near: dict = {}

    def __contains__(self, stem_: str) -> bool:
        return stem_ in self.all

    def __iter__(self):
        return iter(self.ordered)

    def __len__(self) -> int:
        return len(self.all)

    def has_prefix_relative(self, s: str) -> bool:
        """Whether any stem is `s`, a prefix of it or starts with it (`similar` ≥ 0.8), with no scan."""
        return s in self.all or any(s[:k] in self.all for k in range(4, len(s))) or bool(self._starting(s))

    def near(self, s: str) -> dict[str, float]:
        """{stem: similar(s, stem)} for every stem with a non-zero similarity (cached per catalogue)."""
        found = self._near.get(s)
        if found is None:
            if len(self._near) > 20_000:  # bounded: the catalogue lives until a translation changes
                self._near.clear()
            candidates = {s, *(s[:k] for k in range(4, len(s))), *self._starting(s), *self._within_two(s)}
            found = self._near[s] = {t: q for t in candidates & self.all if (q := similar(s, t))}
        return found

    def _starting(self, s: str) -> list[str]:
        if len(s) < 4:
            return []
        start = bisect.bisect_right(self.ordered, s)
        end = bisect.bisect_left(self.ordered, s + "\uffff", start)
        return self.ordered[start:end]

    def _within_two(self, s: str) -> set[str]:
        if len(s) < 5:  # `similar` counts edits only between stems of five letters or more
            return set()
        if self._deletes is None:
            self._deletes = {}
            for t in self.all:
                if len(t) >= 5:
                    for form in deleted(t):
                        self._deletes.setdefault(form, []).append(t)
        return {t for form in deleted(s) for t in self._deletes.get(form, ())}


def deleted(word: str) -> set[str]:
    """The word with zero, one or two letters deleted."""
    once = {word[:i] + word[i + 1 :] for i in range(len(word))}
    return {word} | once | {w[:i] + w[i + 1 :] for w in once for i in range(len(w))}


@dataclass
class Catalogue:
    """Stems of every published translation (per card and field), the vocabulary and the Polish words."""

    cards: dict  # slug -> {field: set of stems}
    df: dict  # stem -> number of cards
    vocabulary: list  # (list of stems of the foreign phrase, Polish text)
    polish: Stems  # stems of the Polish titles, summaries and keywords
    stems: Stems = field(init=False)  # the keys of `df`, searchable by similarity
    vocabulary_stems: Stems = field(init=False)  # every word of the vocabulary's phrases
    stem_scores: dict = field(init=False, default_factory=dict)  # query stem -> {slug: what it adds}

    def __post_init__(self):
        self.stems = Stems(self.df)
        self.vocabulary_stems = Stems({s for phrase, _polish in self.vocabulary for s in phrase})
        # Inverted: which cards and which vocabulary phrases hold a stem, so a query looks only at those.
        self.cards_with: dict = {}
        for slug, fields in self.cards.items():
            for s in set().union(*fields.values()):
                self.cards_with.setdefault(s, []).append(slug)
        self.phrases_with: dict = {}
        for i, (phrase, _polish) in enumerate(self.vocabulary):
            for s in set(phrase):
                self.phrases_with.setdefault(s, []).append(i)


_CACHE: dict = process_cache({})
_POLISH: dict = process_cache({})
_EDITION_STEMS: dict = process_cache({})  # database URL -> edition id -> its stems


def catalogue(vocabulary_path: Path, stamps: tuple | None = None) -> Catalogue:
    """The catalogue, rebuilt only when a translation is published or the vocabulary file changes.

    The Polish stems change with every publish, so they are a part of their own, rebuilt only then.
    `stamps` is (the published translations' count, last id and last publication; the newest live
    edition) when the caller has read them already, in its own query.
    """
    translated, polish_stamp = stamps or _stamps()
    mtime = remembered(("vocabulary-mtime", str(vocabulary_path)), lambda: _mtime(vocabulary_path))
    url = database_key()
    key = (url, tuple(translated), str(vocabulary_path), mtime)
    if _POLISH.get("key") != (url, polish_stamp):
        _POLISH["value"], _POLISH["key"] = Stems(_polish_stems()), (url, polish_stamp)
    if _CACHE.get("key") != key:
        _CACHE["value"], _CACHE["key"] = _build(vocabulary_path, _POLISH["value"]), key
    _CACHE["value"].polish = _POLISH["value"]
    return _CACHE["value"]


def _mtime(path: Path) -> float:
    """When the file last changed (0: no such file); looked at once per WEB_STAMP_TTL, not per search."""
    try:
        return path.stat().st_mtime
    except FileNotFoundError:
        return 0


def translations_stamp_columns() -> list:
    """Scalar subqueries that change whenever the set of published translations does."""
    published = Translation.status == TranslationStatus.PUBLISHED
    aggregates = (func.count(Translation.id), func.max(Translation.id), func.max(Translation.published_at))
    return [select(agg).where(published).scalar_subquery() for agg in aggregates]


def live_stamp_column():
    """A scalar subquery that changes whenever a card's live edition does."""
    return select(func.max(Card.live_edition_id)).scalar_subquery()


def _stamps() -> tuple:
    row = db.session.execute(select(*translations_stamp_columns(), live_stamp_column())).one()
    return tuple(row[:3]), row[3]


def _build(vocabulary_path: Path, polish: Stems) -> Catalogue:
    cards: dict = {}
    rows = db.session.execute(
        select(Card.slug, Translation.title, Translation.summary, Translation.texts)
        .join(Card, Translation.card_id == Card.id)
        .where(Translation.status == TranslationStatus.PUBLISHED, Card.live_edition_id.is_not(None))
    )
    for slug, title, summary, texts in rows:
        fields = cards.setdefault(slug, {"title": set(), "summary": set(), "documents": set()})
        fields["title"] |= {stem(w) for w in card_words(title)}
        fields["summary"] |= {stem(w) for w in card_words(summary or "")}
        fields["documents"] |= {stem(w) for d in (texts or {}).get("documents", []) for w in card_words(d)}
    df: dict = {}
    for fields in cards.values():
        for s in set().union(*fields.values()):
            df[s] = df.get(s, 0) + 1
    return Catalogue(cards, df, _vocabulary(vocabulary_path), polish)


def _polish_stems() -> set[str]:
    """The stems of every live edition's title, summary and keywords.

    A publish changes one card: each edition's stems are kept by its id (a published edition never
    changes), so only the new live editions are read, not all of them (that was most of the time before a
    publish became visible to search at 5,000 cards).
    """
    kept = _EDITION_STEMS.setdefault(database_key(), {})
    live = list(db.session.scalars(select(Card.live_edition_id).where(Card.live_edition_id.is_not(None))))
    missing = [i for i in live if i not in kept]
    for start in range(0, len(missing), 500):
        rows = db.session.execute(select(Edition.id, Edition.title, Edition.summary, Edition.keywords)
                                  .where(Edition.id.in_(missing[start : start + 500])))  # fmt: skip
        for edition_id, title, summary, keywords in rows:
            kept[edition_id] = frozenset(stem(w) for w in words_of(" ".join([title, summary or "", *(keywords or [])])))
    if len(kept) > 2 * len(live) + 1000:  # editions no longer live: forget them
        for edition_id in set(kept) - set(live):
            del kept[edition_id]
    return set().union(*(kept[i] for i in live))


def _vocabulary(path: Path) -> list:
    if not path.exists():
        return []
    entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    found = []
    for entry in entries:
        for language in ("uk", "en"):
            for phrase in entry.get(language) or []:
                stems = [stem(w) for w in words_of(str(phrase))]
                if stems:
                    found.append((stems, str(entry["pl"])))
    return found


# --- a foreign query ------------------------------------------------------------------------------


@dataclass
class ForeignQuery:
    polish: str  # Polish words from the vocabulary, for the Polish engine
    scores: dict  # slug -> score from the translations


def understand(
    text: str, vocabulary_path: Path, force: bool = False, stamps: tuple | None = None
) -> ForeignQuery | None:
    """The Polish words and translated cards a Ukrainian or English query points to; None for a Polish query."""
    words = words_of(text)
    if not words:
        return None
    cat = catalogue(vocabulary_path, stamps)
    stems = list(dict.fromkeys(stem(w) for w in words))[:MAX_WORDS]  # bounded work for any input
    unknown = [s for s in stems if not cat.polish.has_prefix_relative(s)]  # not a Polish card word
    latin = not force and not CYRILLIC.search(text)
    if latin and len(unknown) * 2 < len(stems):
        return None  # mostly Polish words (most queries): decided before the vocabulary is looked at
    polish = _vocabulary_matches(stems, cat)
    if latin and not (polish or any(cat.stems.has_prefix_relative(s) for s in unknown)):
        return None  # a Latin query is foreign when its unknown words are known in translations or the vocabulary
    found = ForeignQuery(" ".join(polish), _score_cards(stems, cat))
    return found if found.polish or found.scores or not force else None


def _vocabulary_matches(stems: list[str], cat: Catalogue) -> list[str]:
    """The Polish words of every vocabulary phrase whose each word is similar (≥ 0.7) to a query word."""
    near = {t for s in stems for t in cat.vocabulary_stems.near(s)}  # `similar` is symmetric
    found = []
    for i in sorted({i for t in near for i in cat.phrases_with.get(t, ())}):  # in file order, as before
        phrase, polish = cat.vocabulary[i]
        if all(p in near for p in phrase) and polish not in found:
            found.append(polish)
    return found


def _score_cards(stems: list[str], cat: Catalogue) -> dict:
    scores: dict = {}
    for s in stems:
        for slug, score in _stem_scores(s, cat).items():
            scores[slug] = scores.get(slug, 0.0) + score
    return scores


def _stem_scores(s: str, cat: Catalogue) -> dict:
    """What one query stem adds to each translated card's score: kept per catalogue (it depends on nothing else)."""
    found = cat.stem_scores.get(s)
    if found is not None:
        return found
    if len(cat.stem_scores) > 20_000:  # bounded: the catalogue lives until a translation changes
        cat.stem_scores.clear()
    n, near, found = max(1, len(cat.cards)), cat.stems.near(s), {}
    for slug in {slug for t in near for slug in cat.cards_with.get(t, ())}:  # cards without one score 0
        best, weight = 0.0, 0.0
        for name, field_stems in cat.cards[slug].items():
            for t in sorted(field_stems & near.keys()):  # sorted: a tie between stems never depends on hash order
                if near[t] * FIELD_WEIGHTS[name] > best:
                    best, weight = near[t] * FIELD_WEIGHTS[name], math.log(1 + n / cat.df[t])
        if best:
            found[slug] = best * weight
    cat.stem_scores[s] = found
    return found


def merge(foreign: ForeignQuery, polish_ranked: list[str], limit: int) -> list[str]:
    """Slugs best first: the translations' scores with the Polish engine's ranking of the vocabulary's words."""
    top = max(foreign.scores.values(), default=0.0) or 1.0
    combined = {slug: score / top for slug, score in foreign.scores.items()}
    for rank, slug in enumerate(polish_ranked[:10]):
        combined[slug] = combined.get(slug, 0.0) + 1.2 / (1 + rank * 0.5)
    ranked = sorted(combined, key=lambda slug: (-combined[slug], slug))
    return ranked[:limit]
