"""Stable JSON shapes of the public API (documented in docs/api.md; renaming a field is a new version)."""

from datetime import date, datetime

from flask import url_for

from kiosk.cards.published import edition_label
from kiosk.facts.services import point_status, weekly_hours
from kiosk.freshness.verification import verification_status


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _amount(value) -> str | None:
    return f"{value:.2f}" if value is not None else None


def named(obj) -> dict | None:
    return {"slug": obj.slug, "name": obj.name} if obj is not None else None


def card_summary(row) -> dict:
    """A card in a list (a row of `live_cards_query`)."""
    return {
        "slug": row.slug,
        "title": row.title,
        "summary": row.summary,
        "kind": row.kind,
        "category": {"slug": row.category_slug, "name": row.category_name} if row.category_slug else None,
        "edition": {"number": row.number, "label": edition_label(row.number, row.effective_date, row.published_at),
                    "effective_date": _iso(row.effective_date), "published_at": _iso(row.published_at)},
        "url": url_for("web.card", slug=row.slug, _external=True),
        "api_url": url_for("api.card", slug=row.slug, _external=True),
    }  # fmt: skip


def _person(user) -> str | None:
    return user.display_name if user is not None else None


def edition_meta(edition) -> dict:
    """The BIP "metryczka" of an edition: who prepared, approved and published it, and when."""
    return {
        "number": edition.number,
        "label": edition.label,
        "status": edition.status.value,
        "effective_date": _iso(edition.effective_date),
        "prepared_by": ", ".join(edition.prepared_by) or None,
        "submitted_at": _iso(edition.submitted_at),
        "approved_by": _person(edition.approver),
        "approved_at": _iso(edition.approved_at),
        "published_by": _person(edition.publisher),
        "published_at": _iso(edition.published_at),
        "withdrawn_at": _iso(edition.withdrawn_at),
    }


def card_detail(card, edition) -> dict:
    """The current edition of a card with every structured field."""
    dept = edition.department or card.owner_department
    return {
        "slug": card.slug,
        "url": url_for("web.card", slug=card.slug, _external=True),
        "title": edition.title,
        "summary": edition.summary,
        "kind": edition.kind,
        "body_markdown": edition.body,
        "category": named(edition.category),
        "life_situations": [named(s) for s in edition.life_situations],
        "department": {"slug": dept.slug, "name": dept.name, "address": dept.address, "phone": dept.phone,
                       "email": dept.email} if dept else None,
        "service_points": [{"slug": p.location.slug, "name": p.location.name, "address": p.location.address,
                            "room": p.room, "window": p.window, "note": p.note} for p in edition.points],
        "documents": [{"name": d.name, "form": d.form.value, "required": d.required, "note": d.note}
                      for d in edition.documents],
        "fees": [{"what": f.what, "amount_pln": _amount(f.amount), "how_to_pay": f.how_to_pay,
                  "exemptions": f.exemptions} for f in edition.fees],
        "time_to_settle": {"statutory_days": edition.settle_days, "text": edition.settle_text},
        "online": {"channel": edition.online_channel, "url": edition.online_url, "text": edition.online_text},
        "legal_basis": [{"title": a.legal_act.title, "reference": a.legal_act.reference, "url": a.legal_act.url,
                         "detail": a.detail} for a in edition.legal_acts],
        "appeal": edition.appeal,
        "forms": [{"title": f.link_text, "url": f.form_file.url} for f in edition.forms],
        "keywords": list(edition.keywords or []),
        **verification(card),
        "edition": edition_meta(edition),
    }  # fmt: skip


def verification(card) -> dict:
    """`verified_at` only when the owner confirmed this edition and no fact is doubtful (verification.py)."""
    status = verification_status(card)
    return {
        "verified_at": _iso(status.verified_at),
        "verified_by": status.verified_by or None,
        "unverified": status.labels,
        "last_changed_on": _iso(status.changed_on),
    }


def edition_entry(edition, changes) -> dict:
    """An edition in a card's history, with the fields changed since the previous edition."""
    return {**edition_meta(edition), "changed_fields": [c.field for c in changes]}


def service_point(location) -> dict:
    """A location with its weekly hours and today's state."""
    status = point_status(location)
    return {
        "slug": location.slug,
        "name": location.name,
        "name_en": location.name_en,
        "short_name": location.short_name,
        "address": location.address,
        "is_service_point": location.is_service_point,
        "opening_hours": {day: [{"opens": a, "closes": b} for a, b in spans] for day, spans in weekly_hours(location)},
        "hours_note": location.hours_note,
        "today": {"hours": [{"opens": a, "closes": b} for a, b in status.today], "open_now": status.open_now,
                  "holiday": status.holiday or None},
        "rooms": location.rooms or [],
        "handles": location.handles or [],
        "accessibility": location.accessibility,
        "payment": location.payment,
        "phone": location.phone,
        "email": location.email,
        "geo": {"lat": float(location.latitude), "lon": float(location.longitude)}
        if location.latitude is not None and location.longitude is not None else None,
        "url": url_for("web.point", slug=location.slug, _external=True),
    }  # fmt: skip


def category(obj, count: int) -> dict:
    return {
        "slug": obj.slug,
        "name": obj.name,
        "name_en": obj.name_en,
        "name_uk": obj.name_uk,
        "description": obj.description,
        "card_count": count,
        "url": url_for("web.category", slug=obj.slug, _external=True),
    }


def card_language(shown) -> dict:
    """Which language the card's texts are in; numbers, dates, addresses and legal references are always Polish."""
    tr = shown.translation
    return {
        "requested": shown.language,
        "text": shown.text_language,
        "translation": None if tr is None else {
            "reviewed": tr.reviewed, "behind": shown.behind, "partial": shown.partial,
            "published_at": _iso(tr.published_at),
        },
    }  # fmt: skip
