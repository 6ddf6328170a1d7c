"""Card data shaped for other readers: schema.org JSON-LD and readable rows of a diff."""

from decimal import Decimal

from flask import url_for

from kiosk.formatting import format_pln

CITY_HALL = {
    "@type": "GovernmentOrganization",
    "name": "Urząd Miasta Płocka",
    "url": "https://www.plock.eu/",
    "email": "bim@plock.eu",
    "telephone": "+48 24 364 55 55",
    "address": {"@type": "PostalAddress", "streetAddress": "Stary Rynek 1", "postalCode": "09-400",
                "addressLocality": "Płock", "addressCountry": "PL"},
}  # fmt: skip


def _place(location) -> dict:
    place = {"@type": "GovernmentOffice", "name": location.name, "address": location.address}
    if location.latitude is not None and location.longitude is not None:
        place["geo"] = {"@type": "GeoCoordinates", "latitude": float(location.latitude),
                        "longitude": float(location.longitude)}  # fmt: skip
    return place


def card_jsonld(card, edition) -> dict:
    """schema.org GovernmentService for a card page."""
    url = url_for("web.card", slug=card.slug, _external=True)
    channels = [{"@type": "ServiceChannel", "name": p.location.name, "serviceLocation": _place(p.location),
                 "availableLanguage": "pl"} for p in edition.points]  # fmt: skip
    if edition.online_url:
        channels.append({"@type": "ServiceChannel", "name": edition.online_channel or "online",
                         "serviceUrl": edition.online_url})  # fmt: skip
    data = {
        "@context": "https://schema.org",
        "@type": "GovernmentService",
        "@id": url,
        "url": url,
        "name": edition.title,
        "description": edition.summary,
        "inLanguage": "pl",
        "provider": CITY_HALL,
        "areaServed": {"@type": "City", "name": "Płock"},
        "availableChannel": channels,
        "dateModified": (edition.published_at or edition.created_at).isoformat(),
        "version": edition.number,
    }
    if edition.category:
        data["serviceType"] = edition.category.name
    if edition.kind == "referral":  # another institution provides the service, not the city hall
        data.pop("provider")
        if edition.points:
            data["provider"] = {"@type": "GovernmentOrganization", "name": edition.points[0].location.name}
    return data


# Imported content is signed off by the system account; residents read the office behind the import, not
# "Import treści". Both names the account has had are recognised (editions keep the name as published).
IMPORT_ROLE = "Biuro Interwencji i Informowania Mieszkańców (import treści)"
IMPORTER_NAMES = {"Import treści (repozytorium)", "Import treści", IMPORT_ROLE}


def signatory(person) -> str:
    """A metryczka entry: a person's name, or the office's role for the content-import system account."""
    if person is None:
        return ""
    if not isinstance(person, str):
        return IMPORT_ROLE if getattr(person, "is_system", False) else person.display_name
    return IMPORT_ROLE if person in IMPORTER_NAMES else person


def diff_row(row) -> str:
    """One row of a list field in a diff as a short readable line."""
    if not isinstance(row, dict):
        return str(row)
    if "amount" in row:
        amount = row["amount"]
        amount = format_pln(Decimal(str(amount))) if amount is not None else format_pln(None)
        return f"{row.get('what', '')}: {amount}"
    first = row.get("name") or row.get("title") or row.get("point") or row.get("act") or ""
    rest = [str(v) for k, v in row.items() if v and k not in ("name", "title", "point", "act", "required")]
    return ", ".join([first, *rest]) if rest else str(first)
