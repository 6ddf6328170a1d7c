"""The one sign-off mechanism for everything that reaches the public pages through review: editions and
translations.

Both go draft → in review → approved → published under the same rules: the role each step needs and the
state it starts from; four eyes (nobody who changed the content signs it off, whatever roles they hold, and
whoever approved on substance does not also approve for use); approvers sign only their departments' cards;
every sign-off is tied to a hash of the exact content it was given for; a send-back voids every sign-off.
Editions and translations differ only in how they are named, who their contributors are and how their
content is hashed, which a `Reviewed` describes. The callers add their own audit rows and side effects.
"""

from collections.abc import Callable
from dataclasses import dataclass

from kiosk.accounts.models import Role, User
from kiosk.clock import now
from kiosk.errors import InvalidTransition, PermissionDenied


@dataclass(frozen=True)
class Reviewed:
    """What the mechanism needs to know about one kind of reviewed object."""

    statuses: type  # an enum with DRAFT, IN_REVIEW and APPROVED members
    name: Callable[[object], str]  # "Wydanie 02", "Tłumaczenie": the subject of a sentence
    genitive: Callable[[object], str]  # "wydania 02", "tłumaczenia"
    contributors: Callable[[object], set]  # ids of everyone who changed its content
    content_hash: Callable[[object], str]  # the fingerprint of its content as stored now


def require_role(actor: User | None, role: Role) -> None:
    if actor is None or not actor.active or not actor.has_role(role):
        raise PermissionDenied(f"Ta czynność wymaga roli: {role.value}.")


def require_status(kind: Reviewed, item, *allowed) -> None:
    if item.status not in allowed:
        names = ", ".join(s.value for s in allowed)
        raise InvalidTransition(f"{kind.name(item)} ma status „{item.status.value}”; ta czynność wymaga: {names}.")


def require_not_contributor(kind: Reviewed, item, actor: User, what: str) -> None:
    """Four eyes: nobody who put content into `item` signs it off, whatever roles they hold."""
    if actor.id in kind.contributors(item):
        raise PermissionDenied(
            f"Zasada czterech oczu: współautor {kind.genitive(item)} (kto zmieniał jego treść) nie może go {what}."
        )


def require_third_person(kind: Reviewed, item, actor: User) -> None:
    """The seed's three signatures: whoever approved on substance does not also approve for use."""
    if actor.id in {item.approver_id, getattr(item.approver, "id", None)} - {None}:
        raise PermissionDenied(
            f"{kind.name(item)} zatwierdza do użytkowania (publikuje) inna osoba niż ta, "
            "która zatwierdziła je merytorycznie."
        )


def require_department(item, actor: User) -> None:
    """An approver linked to departments signs only their departments' cards."""
    allowed = {d.id for d in actor.departments}
    if allowed and item.card.owner_department_id not in allowed:
        raise PermissionDenied("Możesz zatwierdzać tylko karty swoich wydziałów.")


def require_signed_content(kind: Reviewed, item, signed: str, what: str) -> str:
    """The content hash now, refused unless it is exactly the content the sign-off `signed` was given for."""
    current = kind.content_hash(item)
    if not signed or current != signed:
        raise InvalidTransition(
            f"Treść {kind.genitive(item)} różni się od treści, którą {what}; "
            "zwróć je do poprawy i przeprowadź zatwierdzenie od nowa."
        )
    return current


def submit(kind: Reviewed, item, actor: User) -> None:
    """Send a draft for approval on substance; its content is frozen and fingerprinted from now on."""
    require_role(actor, Role.EDITOR)
    require_status(kind, item, kind.statuses.DRAFT)
    item.status, item.submitted_at, item.submitted_hash = kind.statuses.IN_REVIEW, now(), kind.content_hash(item)


def approve(kind: Reviewed, item, actor: User) -> None:
    """Approve on substance ("zatwierdził merytorycznie") the content that was submitted, never one's own."""
    require_role(actor, Role.APPROVER)
    require_status(kind, item, kind.statuses.IN_REVIEW)
    require_not_contributor(kind, item, actor, "zatwierdzić")
    require_department(item, actor)
    item.approved_hash = require_signed_content(kind, item, item.submitted_hash, "przekazano do zatwierdzenia")
    item.status, item.approved_at = kind.statuses.APPROVED, now()
    item.approver, item.approver_id = actor, actor.id  # the id at once: the next check may come before a flush


def check_publish(kind: Reviewed, item, actor: User) -> None:
    """Whether `actor` may approve `item` for use ("zatwierdził do użytkowania"): the third signature."""
    require_role(actor, Role.PUBLISHER)
    require_status(kind, item, kind.statuses.APPROVED)
    require_not_contributor(kind, item, actor, "opublikować")
    require_third_person(kind, item, actor)
    require_signed_content(kind, item, item.approved_hash, "zatwierdzono merytorycznie")


def send_back(kind: Reviewed, item, actor: User, comment: str) -> None:
    """Return `item` to its authors as a draft: every sign-off (approver, publisher, both hashes) is void."""
    require_role(actor, Role.APPROVER)
    require_status(kind, item, kind.statuses.IN_REVIEW, kind.statuses.APPROVED)
    require_department(item, actor)
    if not comment.strip():
        raise InvalidTransition(f"Podaj powód zwrócenia {kind.genitive(item)} do poprawy.")
    item.status = kind.statuses.DRAFT
    item.submitted_at = item.approved_at = None
    item.approver = item.publisher = None
    item.approver_id = item.publisher_id = None
    item.submitted_hash = item.approved_hash = ""


def signed_content_matches(kind: Reviewed, item) -> bool:
    """Whether `item` is still exactly the content approved on substance (scheduled publication checks it)."""
    return bool(item.approved_hash) and kind.content_hash(item) == item.approved_hash
