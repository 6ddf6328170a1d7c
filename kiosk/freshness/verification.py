"""Whether a card may say "Informacja zweryfikowana": the one rule every page and the API follow.

A card is verified only when its owner confirmed the live edition (`confirm_card_accurate`) and it has no
open doubt. Its open doubts are its own `unverified` list, the `unverified` note of its fees, deadline,
legal acts, forms and online channel, and the `unverified` of the shared facts it names (service points,
legal acts, shared fees). Residents see short labels per kind of fact, never the internal note.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from kiosk.cards.models import Card
from kiosk.clock import LOCAL_TZ


def N_(message: str) -> str:
    """Marks a message for translation; templates translate it when shown."""
    return message


FEE, DEADLINE, LEGAL_BASIS, FORM, ONLINE = (N_("wysokość opłaty"), N_("termin załatwienia"), N_("podstawa prawna"),
                                            N_("formularz"), N_("usługa online"))  # fmt: skip
HOURS, POINT, DEPARTMENT, DETAILS = (N_("godziny otwarcia punktu"), N_("informacje o punkcie obsługi"),
                                     N_("dane wydziału"), N_("szczegóły sprawy"))  # fmt: skip
ACCESSIBILITY, DOCUMENTS, ADDRESS = N_("dostępność punktu"), N_("wymagane dokumenty"), N_("adres")
WHOLE_CARD = N_("aktualność karty")  # shown when nothing in particular is doubtful but no owner confirmed yet

# A free-text doubt (the card's own list, a location's list) gets the label of the first word stem it
# contains; the order puts the more specific stems first.
STEMS = (
    (("godzin", "sobot", "otwar"), HOURS),
    (("opłat", " zł", "kwot", "stawk"), FEE),
    (("termin", " dni"), DEADLINE),
    (("uchwał", "ustaw", "rozporządz", "dz.u", "zarządzen", "podstaw", "przepis", "art."), LEGAL_BASIS),
    (("formularz", "wzór", "wzor", "druk"), FORM),
    (("online", "internet", "epuap", "gov.pl", "link", "adres strony", "e-budownictwo"), ONLINE),
    (("dostępn", "winda", "pętla", "niepełnospraw"), ACCESSIBILITY),
    (("dokument", "załącznik", "zaświadcz"), DOCUMENTS),
    (("wydział", "referat", "biuro", "telefon", "komórk"), DEPARTMENT),
    (("adres", "ulic", "współrzęd", "mapie", "pokój", "stanowisk"), ADDRESS),
)


@dataclass(frozen=True)
class Doubt:
    label: str  # short, for residents (a msgid)
    note: str  # the editors' note, as written


@dataclass(frozen=True)
class Verification:
    verified: bool
    verified_at: datetime | None  # set only when verified
    verified_by: str  # the owner's role, e.g. "Kierownik Wydziału …"
    changed_on: date | None  # when the live edition was published
    doubts: list[Doubt] = field(default_factory=list)

    @property
    def labels(self) -> list[str]:
        """Short labels of what is still being confirmed, each once, in card order; the whole card when no
        single fact is doubtful but the owner has not confirmed this edition yet."""
        if self.verified:
            return []
        return list(dict.fromkeys(d.label for d in self.doubts)) or [WHOLE_CARD]


def label_for(note: str, default: str = DETAILS) -> str:
    """The resident label for a free-text doubt."""
    text = f" {note.lower()}"
    return next((label for stems, label in STEMS if any(s in text for s in stems)), default)


def open_doubts(card: Card) -> list[Doubt]:
    """Every open doubt of the card's live edition and the shared facts it names."""
    edition = card.live_edition
    if edition is None:
        return []
    doubts = [Doubt(label_for(n), n) for n in edition.unverified or []]
    for fee in edition.fees:
        doubts += [Doubt(FEE, n) for n in (fee.unverified, fee.shared_fee and fee.shared_fee.unverified) if n]
    if edition.settle_unverified:
        doubts.append(Doubt(DEADLINE, edition.settle_unverified))
    for point in edition.points:
        doubts += [Doubt(label_for(n, POINT), n) for n in point.location.unverified or []]
    for act in edition.legal_acts:
        doubts += [Doubt(LEGAL_BASIS, n) for n in (act.unverified, act.legal_act.unverified) if n]
    doubts += [Doubt(FORM, f.unverified) for f in edition.forms if f.unverified]
    if edition.online_unverified:
        doubts.append(Doubt(ONLINE, edition.online_unverified))
    return doubts


def verification_status(card: Card) -> Verification:
    """Verified only if the owner confirmed the live edition and no fact is still doubtful."""
    edition = card.live_edition
    doubts = open_doubts(card)
    confirmed = edition is not None and card.confirmed_edition_id == edition.id and card.confirmed_at is not None
    verified = confirmed and not doubts
    published = edition.published_at if edition is not None else None
    return Verification(
        verified=verified,
        verified_at=card.confirmed_at if verified else None,
        verified_by=owner_role(card) if verified else "",
        changed_on=published.astimezone(LOCAL_TZ).date() if published else None,
        doubts=doubts,
    )


def owner_role(card: Card) -> str:
    """Who answers for the card, as residents read it: the owner's role, else the owning department."""
    if card.owner_name:
        return card.owner_name
    return card.owner_department.name if card.owner_department else ""
