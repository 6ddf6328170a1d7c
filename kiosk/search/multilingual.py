"""Ukrainian and English queries: matched against published translations and a reviewed vocabulary.

Every word is reduced to a Latin skeleton (Cyrillic transliterated, і/ї/є/ґ/ё and й/y/j folded, doubled
letters collapsed, a few endings stripped), so "прописка", "propyska" and "propiska" meet, and a word
one or two letters off still matches. A query counts as foreign when it is Cyrillic, or when most of its
words are unknown to the Polish cards yet known to the translations or the vocabulary; a Polish query
is left to the Polish engine untouched.
"""

import math
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from sqlalchemy import func, select

from kiosk.cards.models import Card, Edition
from kiosk.cards.translation_models import Translation, TranslationStatus
from kiosk.extensions import db

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


def skeleton(word: str) -> str:
    """A word reduced to a Latin skeleton: same for Cyrillic, its transliteration and most typos of case."""
    word = word.lower().replace("'", "").replace("’", "").replace("ʼ", "")
    word = "".join(TRANSLIT.get(ch, ch) for ch in word)
    word = "".join(ch for ch in unicodedata.normalize("NFKD", fold(word)) if not unicodedata.combining(ch))
    word = word.replace("kh", "h").replace("ck", "k").replace("ph", "f").translate(LATIN_FOLD)
    return re.sub(r"(.)\1+", r"\1", word)


def stem(word: str) -> str:
    sk = skeleton(word)
    for ending in ENDINGS:
        if len(sk) - len(ending) >= 4 and sk.endswith(ending):
            return sk[: -len(ending)]
    return sk


def words_of(text: str) -> list[str]:
    return [w for w in WORD.findall(text.lower()) if w not in STOP and len(w) > 1]


def similar(a: str, b: str) -> float:
    """How well two stems match: 1 equal, 0.8 one a prefix of the other, 0.7 one or two letters off."""
    if a == b:
        return 1.0
    short, long_ = sorted((a, b), key=len)
    if len(short) >= 4 and long_.startswith(short):
        return 0.8
    if len(short) >= 5 and abs(len(a) - len(b)) <= 2 and _distance(a, b) <= (1 if len(short) < 8 else 2):
        return 0.7
    return 0.0


@lru_cache(maxsize=65536)
def _distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


# --- the translations and the vocabulary, cached until they change --------------------------------


@dataclass
class Catalogue:
    """Stems of every published translation (per card and field), the vocabulary and the Polish words."""

    cards: dict  # slug -> {field: set of stems}
    df: dict  # stem -> number of cards
    vocabulary: list  # (list of stems of the foreign phrase, Polish text)
    polish: set  # stems of the Polish titles, summaries and keywords


_CACHE: dict = {}


def catalogue(vocabulary_path: Path) -> Catalogue:
    """The catalogue, rebuilt only when a translation is published or the vocabulary file changes."""
    stamp = db.session.execute(
        select(func.count(Translation.id), func.max(Translation.id), func.max(Translation.published_at)).where(
            Translation.status == TranslationStatus.PUBLISHED
        )
    ).first()
    polish_stamp = db.session.scalar(select(func.max(Card.live_edition_id)))
    mtime = vocabulary_path.stat().st_mtime if vocabulary_path.exists() else 0
    key = (str(db.engine.url), tuple(stamp), polish_stamp, str(vocabulary_path), mtime)
    if _CACHE.get("key") != key:
        _CACHE["value"], _CACHE["key"] = _build(vocabulary_path), key
    return _CACHE["value"]


def _build(vocabulary_path: Path) -> Catalogue:
    cards: dict = {}
    rows = db.session.execute(
        select(Card.slug, Translation.title, Translation.summary, Translation.texts)
        .join(Card, Translation.card_id == Card.id)
        .where(Translation.status == TranslationStatus.PUBLISHED, Card.live_edition_id.is_not(None))
    )
    for slug, title, summary, texts in rows:
        fields = cards.setdefault(slug, {"title": set(), "summary": set(), "documents": set()})
        fields["title"] |= {stem(w) for w in words_of(title)}
        fields["summary"] |= {stem(w) for w in words_of(summary or "")}
        fields["documents"] |= {stem(w) for d in (texts or {}).get("documents", []) for w in words_of(d)}
    df: dict = {}
    for fields in cards.values():
        for s in set().union(*fields.values()):
            df[s] = df.get(s, 0) + 1
    polish = set()
    for title, summary, keywords in db.session.execute(
        select(Edition.title, Edition.summary, Edition.keywords).join(Card, Card.live_edition_id == Edition.id)
    ):
        polish |= {stem(w) for w in words_of(" ".join([title, summary or "", *(keywords or [])]))}
    return Catalogue(cards, df, _vocabulary(vocabulary_path), polish)


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


def understand(text: str, vocabulary_path: Path, force: bool = False) -> ForeignQuery | None:
    """The Polish words and translated cards a Ukrainian or English query points to; None for a Polish query."""
    words = words_of(text)
    if not words:
        return None
    cat = catalogue(vocabulary_path)
    stems = list(dict.fromkeys(stem(w) for w in words))[:MAX_WORDS]  # bounded work for any input
    polish = _vocabulary_matches(stems, cat.vocabulary)
    if not force and not CYRILLIC.search(text) and not _looks_foreign(stems, cat, bool(polish)):
        return None
    found = ForeignQuery(" ".join(polish), _score_cards(stems, cat))
    return found if found.polish or found.scores or not force else None


def _looks_foreign(stems: list[str], cat: Catalogue, vocabulary_hit: bool) -> bool:
    """A Latin query is foreign when most of its words are not Polish card words but are known otherwise."""
    unknown = [s for s in stems if not any(similar(s, p) >= 0.8 for p in cat.polish)]
    if len(unknown) * 2 < len(stems) or not unknown:
        return False
    return vocabulary_hit or any(s in cat.df or any(similar(s, k) >= 0.8 for k in cat.df) for s in unknown)


def _vocabulary_matches(stems: list[str], vocabulary: list) -> list[str]:
    found = []
    for phrase, polish in vocabulary:
        if all(any(similar(p, s) >= 0.7 for s in stems) for p in phrase) and polish not in found:
            found.append(polish)
    return found


def _score_cards(stems: list[str], cat: Catalogue) -> dict:
    n = max(1, len(cat.cards))
    scores: dict = {}
    for s in stems:
        near = {t: q for t in cat.df if (q := similar(s, t))}  # each distinct stem compared once
        if not near:
            continue
        for slug, fields in cat.cards.items():
            best, weight = 0.0, 0.0
            for name, field_stems in fields.items():
                for t in field_stems & near.keys():
                    if near[t] * FIELD_WEIGHTS[name] > best:
                        best, weight = near[t] * FIELD_WEIGHTS[name], math.log(1 + n / cat.df[t])
            if best:
                scores[slug] = scores.get(slug, 0.0) + best * weight
    return scores


def merge(foreign: ForeignQuery, polish_ranked: list[str], limit: int) -> list[str]:
    """Slugs best first: the translations' scores with the Polish engine's ranking of the vocabulary's words."""
    top = max(foreign.scores.values(), default=0.0) or 1.0
    combined = {slug: score / top for slug, score in foreign.scores.items()}
    for rank, slug in enumerate(polish_ranked[:10]):
        combined[slug] = combined.get(slug, 0.0) + 1.2 / (1 + rank * 0.5)
    ranked = sorted(combined, key=lambda slug: (-combined[slug], slug))
    return ranked[:limit]
