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

from kiosk.cards.models import Card, CardChange, Edition
from kiosk.clock import now
from kiosk.errors import ConflictError, NotFound, PermissionDenied, ValidationError
from kiosk.extensions import db
from kiosk.facts.models import Location

from .models import KioskDevice

CODE = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
MAX_ERROR = 500
MAX_VERSION = 2**31 - 1  # the column is a 32-bit integer on PostgreSQL


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def register_kiosk(code: str, name: str, location: Location | None, has_printer: bool = False) -> tuple:
    """Add a kiosk to the registry; returns (kiosk, token). The token is shown once, for the start URL."""
    code = (code or "").strip().lower()
    if not CODE.match(code):
        raise ValidationError("Identyfikator kiosku: małe litery, cyfry i myślniki (do 40 znaków).", "code")
    if not (name or "").strip():
        raise ValidationError("Podaj nazwę kiosku.", "name")
    if db.session.scalar(select(KioskDevice.id).where(KioskDevice.code == code)) is not None:
        raise ConflictError(f"Kiosk „{code}” jest już zarejestrowany.")
    token = secrets.token_urlsafe(18)
    kiosk = KioskDevice(code=code, name=name.strip(), location=location, has_printer=has_printer,
                        token_hash=_hash(token), last_error="")  # fmt: skip
    db.session.add(kiosk)
    db.session.flush()
    return kiosk, token


def find_kiosk(code: str | None) -> KioskDevice | None:
    """The registered kiosk with this code, or None (an unknown code shows the screen without a point)."""
    if not code or not CODE.match(code):
        return None
    return db.session.scalar(select(KioskDevice).where(KioskDevice.code == code))


def record_heartbeat(code: str, token: str, content_version: int | None, last_error: str = "") -> KioskDevice:
    """Note that a kiosk is alive, which content it shows and its last error."""
    kiosk = find_kiosk(code)
    if kiosk is None:
        raise NotFound("Nieznany kiosk.")
    if not token or not secrets.compare_digest(kiosk.token_hash, _hash(token)):
        raise PermissionDenied("Nieprawidłowy token kiosku.")
    kiosk.last_heartbeat_at = now()
    plausible = type(content_version) is int and 0 <= content_version <= MAX_VERSION
    kiosk.content_version = content_version if plausible else None
    kiosk.last_error = (last_error or "").replace("\x00", "")[:MAX_ERROR]
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
    for kiosk in db.session.scalars(select(KioskDevice).order_by(KioskDevice.code)):
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
    """Every published card in brief, for the kiosk's offline search: slug, title, summary, keywords."""
    rows = db.session.execute(
        select(Card.slug, Edition.title, Edition.summary, Edition.keywords)
        .join(Edition, Card.live_edition_id == Edition.id)
        .order_by(Edition.title)
    )
    return [{"slug": r.slug, "title": r.title, "summary": r.summary, "keywords": r.keywords or []} for r in rows]
