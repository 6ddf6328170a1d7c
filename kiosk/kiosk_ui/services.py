"""Kiosk rules: the registry, heartbeats, fleet status and where a resident settles a matter.

Services add and flush; the caller (a view, a CLI command) commits.
"""

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func, select

from kiosk.audit import record_audit
from kiosk.cards import published
from kiosk.cards.models import Card, CardChange, Edition
from kiosk.clock import now
from kiosk.errors import ConflictError, NotFound, PermissionDenied, ValidationError
from kiosk.extensions import db
from kiosk.facts import services as facts
from kiosk.facts.models import Location
from kiosk.requestargs import parse_int
from kiosk.search import services as search

from .models import KioskDevice

CODE = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
MAX_ERROR = 500


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _check_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationError("Podaj nazwę kiosku.", "name")
    if len(name) > 120:
        raise ValidationError("Nazwa kiosku może mieć najwyżej 120 znaków.", "name")
    return name


def _check_point(location: Location | None) -> None:
    if location is not None and not location.is_service_point:
        raise ValidationError("Kiosk może stać tylko w punkcie obsługi.", "location")


def register_kiosk(code: str, name: str, location: Location | None, has_printer: bool = False,
                   actor=None) -> tuple:  # fmt: skip
    """Add a kiosk to the registry; returns (kiosk, token). The token is shown once, for the start URL."""
    code = (code or "").strip().lower()
    if not CODE.match(code):
        raise ValidationError("Identyfikator kiosku: małe litery, cyfry i myślniki (do 40 znaków).", "code")
    name = _check_name(name)
    _check_point(location)
    if db.session.scalar(select(KioskDevice.id).where(KioskDevice.code == code)) is not None:
        raise ConflictError(f"Kiosk „{code}” jest już zarejestrowany.")
    token = secrets.token_urlsafe(18)
    kiosk = KioskDevice(code=code, name=name, location=location, has_printer=has_printer,
                        token_hash=_hash(token), last_error="")  # fmt: skip
    db.session.add(kiosk)
    db.session.flush()
    record_audit(actor, "register_kiosk", kiosk, code=code, name=name, location_id=getattr(location, "id", None),
                 has_printer=has_printer)  # fmt: skip
    return kiosk, token


def get_kiosk(code: str) -> KioskDevice:
    """A registered kiosk, retired or not (the back office's screens); NotFound otherwise."""
    kiosk = db.session.scalar(select(KioskDevice).where(KioskDevice.code == (code or "").strip().lower()))
    if kiosk is None:
        raise NotFound("Nie ma takiego kiosku.")
    return kiosk


def _active(kiosk: KioskDevice) -> None:
    if kiosk.retired_at is not None:
        raise ValidationError(f"Kiosk „{kiosk.code}” został wycofany; nie można go już zmieniać.")


def edit_kiosk(kiosk: KioskDevice, name: str, location: Location | None, has_printer: bool, actor) -> KioskDevice:
    """Change a kiosk's name, service point or printer; the id in its start URL and its token stay."""
    _active(kiosk)
    _check_point(location)
    before = {"name": kiosk.name, "location_id": kiosk.location_id, "has_printer": kiosk.has_printer}
    kiosk.name, kiosk.location, kiosk.has_printer = _check_name(name), location, bool(has_printer)
    after = {"name": kiosk.name, "location_id": getattr(location, "id", None), "has_printer": kiosk.has_printer}
    changed = {key: [before[key], after[key]] for key in before if before[key] != after[key]}
    db.session.flush()
    if changed:
        record_audit(actor, "edit_kiosk", kiosk, changed=changed)
    return kiosk


def retire_kiosk(kiosk: KioskDevice, actor, reason: str = "") -> KioskDevice:
    """Take a kiosk out of service: its token stops working and its screens no longer know its point."""
    _active(kiosk)
    kiosk.retired_at = now()
    kiosk.token_hash = ""  # no token hashes to the empty string
    db.session.flush()
    record_audit(actor, "retire_kiosk", kiosk, comment=(reason or "").strip()[:2000])
    return kiosk


def reissue_kiosk_token(kiosk: KioskDevice, actor) -> str:
    """A new token for the kiosk (a lost or leaked start URL); the old one stops working at once."""
    _active(kiosk)
    token = secrets.token_urlsafe(18)
    kiosk.token_hash = _hash(token)
    db.session.flush()
    record_audit(actor, "reissue_kiosk_token", kiosk)
    return token


def find_kiosk(code: str | None) -> KioskDevice | None:
    """The kiosk in service with this code, or None (an unknown or retired code shows the screen without a point)."""
    if not code or not CODE.match(code):
        return None
    return db.session.scalar(select(KioskDevice).where(KioskDevice.code == code, KioskDevice.retired_at.is_(None)))


def record_heartbeat(code: str, token: str, content_version: int | None, last_error: str = "") -> KioskDevice:
    """Note that a kiosk is alive, which content it shows and its last error."""
    kiosk = find_kiosk(code)
    if kiosk is None:
        raise NotFound("Nieznany kiosk.")
    if not token or not secrets.compare_digest(kiosk.token_hash, _hash(token)):
        raise PermissionDenied("Nieprawidłowy token kiosku.")
    kiosk.last_heartbeat_at = now()
    # None unless a JSON integer the column can hold ("7", 7.0 or true are no versions).
    kiosk.content_version = parse_int(content_version, minimum=0) if type(content_version) is int else None
    kiosk.last_error = (last_error or "").replace("\x00", "")[:MAX_ERROR]  # PostgreSQL refuses NUL in text
    db.session.flush()
    return kiosk


def content_version() -> int:
    """The version of the published content: the newest change-log id (0 before anything was published)."""
    return db.session.scalar(select(func.max(CardChange.id))) or 0


@dataclass(frozen=True)
class FleetRow:
    kiosk: KioskDevice
    silent: bool
    behind: bool


def fleet_status(at: datetime | None = None) -> list[FleetRow]:
    """Every kiosk with flags: silent (no heartbeat lately) and behind (lacks a change that is not new)."""
    at = at or now()
    config = current_app.config
    silent_before = at - timedelta(minutes=config["KIOSK_SILENT_MINUTES"])
    behind_before = at - timedelta(minutes=config["KIOSK_BEHIND_MINUTES"])
    rows = []
    order = (KioskDevice.retired_at.is_not(None), KioskDevice.code)  # retired kiosks last
    for kiosk in db.session.scalars(select(KioskDevice).order_by(*order)):
        if kiosk.retired_at is not None:  # out of service: nothing to watch
            rows.append(FleetRow(kiosk, False, False))
            continue
        silent = kiosk.last_heartbeat_at is None or kiosk.last_heartbeat_at < silent_before
        oldest_missing = db.session.scalar(
            select(func.min(CardChange.at)).where(CardChange.id > (kiosk.content_version or 0))
        )
        behind = oldest_missing is not None and oldest_missing < behind_before
        rows.append(FleetRow(kiosk, silent, behind))
    return rows


@dataclass(frozen=True)
class Placement:
    """Where a resident at this kiosk settles a matter: here (with room and window) or elsewhere."""

    here: object | None  # the EditionPoint of this kiosk's service point
    elsewhere: list  # the other EditionPoints, service points first


def place_matter(edition: Edition, kiosk: KioskDevice | None) -> Placement:
    """Settle it here when this kiosk's point handles the matter, otherwise the places to go to."""
    location_id = kiosk.location_id if kiosk is not None else None
    here = next((p for p in edition.points if location_id is not None and p.location.id == location_id), None)
    others = [p for p in edition.points if p is not here]
    others.sort(key=lambda p: (not p.location.is_service_point, p.location.position))
    return Placement(here, others)


def published_cards_data() -> list[dict]:
    """Every published card in brief, for the kiosk's offline search: slug, title, summary, keywords, kind."""
    rows = db.session.execute(
        select(Card.slug, Edition.title, Edition.summary, Edition.keywords, Edition.kind)
        .join(Edition, Card.live_edition_id == Edition.id)
        .order_by(Edition.title)
    )
    return [{"slug": r.slug, "title": r.title, "summary": r.summary, "keywords": r.keywords or [], "kind": r.kind}
            for r in rows]  # fmt: skip


def suggest_cards(text: str, limit: int = 6) -> list[dict]:
    """Suggestions as a resident types: title completions first, then the full search, which forgives typos."""
    found = search.suggest(text, limit=limit)
    if len(found) < limit and len(search.clean_query(text)) >= 3:
        response = search.search(text, limit=limit)  # not logged: these are keystrokes, not searches
        seen = {item["slug"] for item in found}
        if response.total:
            found += [{"text": hit.title, "slug": hit.slug} for hit in response.results if hit.slug not in seen]
    return found[:limit]


def offline_screens() -> dict:
    """The list screens a kiosk keeps for offline use: categories with published cards, life situations."""
    counts = published.count_cards_by_category()
    return {"categories": [c.slug for c in facts.list_categories() if counts.get(c.id)],
            "situations": [s.slug for s in facts.list_life_situations()]}  # fmt: skip
