"""The OpenAPI 3.1 description of /api/v1/, served at /api/v1/openapi.json."""

from flask import url_for


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _obj(required: list[str] | None = None, **props) -> dict:
    schema = {"type": "object", "properties": props}
    if required:
        schema["required"] = required
    return schema


STR, NSTR, INT, BOOL = {"type": "string"}, {"type": ["string", "null"]}, {"type": "integer"}, {"type": "boolean"}
DATE = {"type": ["string", "null"], "format": "date"}
STAMP = {"type": ["string", "null"], "format": "date-time"}
SPANS = {"type": "array", "items": _obj(opens=STR, closes=STR)}

KIND = {
    "enum": ["service", "referral"],
    "description": "referral: the matter is handled by another institution (service_points name it)",
}

SCHEMAS = {
    "Named": _obj(["slug", "name"], slug=STR, name=STR),
    "EditionRef": _obj(number=INT, label=STR, effective_date=DATE, published_at=STAMP),
    "CardSummary": _obj(
        ["slug", "title"],
        slug=STR,
        title=STR,
        summary=STR,
        kind=KIND,
        category={"oneOf": [_ref("Named"), {"type": "null"}]},
        edition=_ref("EditionRef"),
        url=STR,
        api_url=STR,
    ),
    "EditionMeta": _obj(
        number=INT,
        label=STR,
        status={"enum": ["published", "superseded", "withdrawn"]},
        effective_date=DATE,
        prepared_by=NSTR,
        submitted_at=STAMP,
        approved_by=NSTR,
        approved_at=STAMP,
        published_by=NSTR,
        published_at=STAMP,
        withdrawn_at=STAMP,
    ),
    "Card": _obj(
        ["slug", "title", "edition"],
        slug=STR,
        url=STR,
        title=STR,
        summary=STR,
        kind=KIND,
        body_markdown=STR,
        category={"oneOf": [_ref("Named"), {"type": "null"}]},
        life_situations={"type": "array", "items": _ref("Named")},
        department={"oneOf": [_obj(slug=STR, name=STR, address=STR, phone=STR, email=STR), {"type": "null"}]},
        service_points={
            "type": "array",
            "items": _obj(slug=STR, name=STR, address=STR, room=STR, window=STR, note=STR),
        },
        documents={
            "type": "array",
            "items": _obj(
                name=STR, form={"enum": ["original", "copy", "original_or_copy", "to_show"]}, required=BOOL, note=STR
            ),
        },
        fees={
            "type": "array",
            "items": _obj(
                what=STR,
                amount_pln={"type": ["string", "null"], "pattern": r"^\d+\.\d{2}$"},
                how_to_pay=STR,
                exemptions=STR,
            ),
        },
        time_to_settle=_obj(statutory_days={"type": ["integer", "null"]}, text=STR),
        online=_obj(channel=STR, url=STR, text=STR),
        legal_basis={"type": "array", "items": _obj(title=STR, reference=STR, url=STR, detail=STR)},
        appeal=STR,
        forms={"type": "array", "items": _obj(title=STR, url=STR)},
        keywords={"type": "array", "items": STR},
        verified_at=STAMP,
        verified_by={"type": ["string", "null"]},
        unverified={"type": "array", "items": STR},
        last_changed_on={"type": ["string", "null"], "format": "date"},
        edition=_ref("EditionMeta"),
    ),
    "EditionEntry": {"allOf": [_ref("EditionMeta"), _obj(changed_fields={"type": "array", "items": STR})]},
    "ServicePoint": _obj(
        ["slug", "name", "address"],
        slug=STR,
        name=STR,
        name_en=STR,
        short_name=STR,
        address=STR,
        is_service_point=BOOL,
        opening_hours={
            "type": "object",
            "additionalProperties": SPANS,
            "description": "Keys mon..sun; an empty list means closed.",
        },
        hours_note=STR,
        today=_obj(hours=SPANS, open_now=BOOL, holiday=NSTR),
        rooms={"type": "array", "items": _obj(name=STR, note=STR)},
        handles={"type": "array", "items": STR},
        accessibility=STR,
        payment=STR,
        phone=STR,
        email=STR,
        geo={"oneOf": [_obj(lat={"type": "number"}, lon={"type": "number"}), {"type": "null"}]},
        url=STR,
    ),
    "Category": _obj(
        ["slug", "name"], slug=STR, name=STR, name_en=STR, name_uk=STR, description=STR, card_count=INT, url=STR
    ),
    "Error": _obj(["error"], error=_obj(status=INT, message=STR)),
}


def _page_param(name: str, default: int, maximum: int) -> dict:
    return {
        "name": name,
        "in": "query",
        "schema": {"type": "integer", "minimum": 1, "maximum": maximum, "default": default},
    }


def _ok(schema: dict, description: str) -> dict:
    errors = {
        code: {"description": text, "content": {"application/json": {"schema": _ref("Error")}}}
        for code, text in (("400", "Invalid parameter"), ("404", "Not found"))
    }
    return {"200": {"description": description, "content": {"application/json": {"schema": schema}}}, **errors}


SLUG = {"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}}


def _list(item: str) -> dict:
    return _obj(["items"], items={"type": "array", "items": _ref(item)})


def openapi_document() -> dict:
    """The API description; server URL from the current request."""
    filters = [
        {"name": n, "in": "query", "schema": STR, "description": d}
        for n, d in (
            ("category", "Category slug"),
            ("point", "Service point (location) slug"),
            ("situation", "Life situation slug"),
        )
    ]
    cards_page = _obj(
        ["items", "page", "per_page", "total", "pages"],
        items={"type": "array", "items": _ref("CardSummary")},
        page=INT,
        per_page=INT,
        total=INT,
        pages=INT,
        links=_obj(self=STR, next=STR, prev=STR),
    )
    paths = {
        "/cards": {
            "get": {
                "summary": "Published cards, A–Z, paginated",
                "operationId": "listCards",
                "parameters": [_page_param("page", 1, 100000), _page_param("per_page", 20, 100), *filters],
                "responses": _ok(cards_page, "A page of cards"),
            }
        },
        "/cards/{slug}": {
            "get": {
                "summary": "The current edition of a card",
                "operationId": "getCard",
                "parameters": [SLUG],
                "responses": _ok(_ref("Card"), "The card"),
            }
        },
        "/cards/{slug}/editions": {
            "get": {
                "summary": "Published editions of a card, newest first",
                "operationId": "listEditions",
                "parameters": [SLUG],
                "responses": _ok(
                    _obj(slug=STR, items={"type": "array", "items": _ref("EditionEntry")}), "The editions"
                ),
            }
        },
        "/service-points": {
            "get": {
                "summary": "Service points with opening hours and today's state",
                "operationId": "listServicePoints",
                "parameters": [
                    {
                        "name": "all",
                        "in": "query",
                        "schema": {"enum": ["1"]},
                        "description": "1: every location, not only the three service points",
                    }
                ],
                "responses": _ok(_list("ServicePoint"), "Service points"),
            }
        },
        "/categories": {
            "get": {
                "summary": "Categories with the number of published cards",
                "operationId": "listCategories",
                "responses": _ok(_list("Category"), "Categories"),
            }
        },
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Okienko – karty usług Urzędu Miasta Płocka",
            "version": "1.0.0",
            "description": "Read-only open data: published service cards, service points, categories. "
            "Field names are stable within v1.",
            "contact": {"email": "bim@plock.eu"},
        },
        "servers": [{"url": url_for("api.cards", _external=True).rsplit("/cards", 1)[0]}],
        "paths": paths,
        "components": {"schemas": SCHEMAS},
    }
