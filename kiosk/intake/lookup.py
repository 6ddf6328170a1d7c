"""The applicant's status lookup: case number plus code → state, dates, what is missing; nothing personal.

A wrong pair and an unknown number get the same answer, so the page cannot be used to learn whether a
number exists. Failures are limited per address, and per address and case number (`kiosk.ratelimit`):
someone typing wrong codes for another person's number locks out only themselves.
"""

import hmac
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from kiosk.clock import LOCAL_TZ
from kiosk.errors import DomainError
from kiosk.extensions import db
from kiosk.ratelimit import STATUS_LOOKUP

from .models import DELIVERY_LABELS, Case, CaseStatus, Delivery
from .services import CODE_LENGTH


def N_(message: str) -> str:
    """Marks a message for translation; the templates translate it when shown."""
    return message


# What the applicant reads, per state; where the delivery method matters, per state and method. A case sent
# by post, ePUAP or e-mail never reads "ready for pickup": only pickup cases wait at the service point.
STATUS_TEXTS = {
    CaseStatus.REGISTERED: N_("Wniosek przyjęty – sprawdzamy, czy jest kompletny."),
    CaseStatus.INCOMPLETE: N_("Wniosek niekompletny – czeka na uzupełnienie."),
    CaseStatus.COMPLETE: N_("Wniosek kompletny – czeka na przekazanie do wydziału."),
    CaseStatus.LEFT_UNPROCESSED: N_("Wniosek pozostawiony bez rozpoznania."),
    CaseStatus.AT_DEPARTMENT: N_("Sprawa w realizacji w wydziale."),
    CaseStatus.ISSUED: N_("Dokument wydany w punkcie obsługi."),
    CaseStatus.CANCELLED: N_("Sprawa anulowana."),
}
READY_TEXTS = {
    Delivery.PICKUP: N_("Dokument gotowy do odbioru w punkcie obsługi."),
    Delivery.POST: N_("Dokument gotowy – zostanie wysłany pocztą."),
    Delivery.EPUAP: N_("Dokument gotowy – zostanie wysłany przez ePUAP."),
    Delivery.EMAIL: N_("Dokument gotowy – zostanie wysłany e-mailem."),
}
DELIVERED_TEXTS = {
    Delivery.PICKUP: N_("Dokument wydany w punkcie obsługi."),  # not reachable: `deliver` refuses pickup
    Delivery.POST: N_("Dokument wysłany pocztą."),
    Delivery.EPUAP: N_("Dokument wysłany przez ePUAP."),
    Delivery.EMAIL: N_("Dokument wysłany e-mailem."),
}
DISPATCH_REFERENCE = N_("Identyfikator wysyłki")
REFERENCE_LABELS = {Delivery.POST: N_("Numer nadania"), Delivery.EPUAP: DISPATCH_REFERENCE,
                    Delivery.EMAIL: DISPATCH_REFERENCE, Delivery.PICKUP: DISPATCH_REFERENCE}  # fmt: skip
DELIVERY_TEXTS = {method: N_(label) for method, label in DELIVERY_LABELS.items()}


def public_status_text(status: CaseStatus, delivery: Delivery) -> str:
    """The applicant's sentence for (state, delivery method), in Polish: the msgid the page translates."""
    status, delivery = CaseStatus(status), Delivery(delivery)
    if status == CaseStatus.READY:
        return READY_TEXTS[delivery]
    if status == CaseStatus.DELIVERED:
        return DELIVERED_TEXTS[delivery]
    return STATUS_TEXTS[status]


GENERIC_FAILURE = ("Nie znaleźliśmy sprawy o takim numerze i kodzie. Sprawdź oba na potwierdzeniu "
                   "przyjęcia wniosku albo zapytaj w punkcie obsługi.")  # fmt: skip


class LookupFailed(DomainError):
    status_code = 404


@dataclass(frozen=True)
class PublicStatus:
    """Only what the applicant may see: never the name, the contact or who handled the case."""

    number: str
    card_title: str
    status: CaseStatus
    status_label: str
    received_on: date
    deadline_on: date | None
    missing: list[str]
    expected_on: date | None
    ready_on: date | None
    closed_on: date | None
    delivery: str
    status_text: str = ""
    reference: str = ""
    reference_label: str = ""


def normalise_number(number: str | None) -> str:
    return "".join((number or "").split()).upper()[:30]


def normalise_code(code: str | None) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())[:16]


def _public(case: Case) -> PublicStatus:
    day = lambda moment: moment.astimezone(LOCAL_TZ).date() if moment else None  # noqa: E731
    return PublicStatus(
        number=case.number, card_title=case.card_title, status=case.status,
        status_label=public_status_text(case.status, case.delivery),
        received_on=day(case.received_at),
        expected_on=None if case.status == CaseStatus.CANCELLED else case.expected_on, ready_on=day(case.ready_at),
        deadline_on=case.deadline_on if case.status == CaseStatus.INCOMPLETE else None,
        missing=[item.name for item in case.missing] if case.status == CaseStatus.INCOMPLETE else [],
        closed_on=day(case.closed_at), delivery=DELIVERY_TEXTS[case.delivery],
        status_text=public_status_text(case.status, case.delivery),
        reference=case.delivery_ref if case.status == CaseStatus.DELIVERED else "",
        reference_label=REFERENCE_LABELS[case.delivery],
    )  # fmt: skip


def lookup_status(number: str, code: str, address: str) -> PublicStatus:
    """The public status of the case, if number and code match; each attempt is recorded (caller commits)."""
    number, code = normalise_number(number), normalise_code(code)
    STATUS_LOOKUP.check(address, number)
    case = db.session.scalar(select(Case).where(Case.number == number).options(selectinload(Case.checklist)))
    expected = case.code if case is not None else "X" * CODE_LENGTH
    ok = hmac.compare_digest(expected.encode(), code.encode()) and case is not None
    STATUS_LOOKUP.record(address, number, success=ok)
    if not ok:
        raise LookupFailed(GENERIC_FAILURE)
    return _public(case)
