"""QR codes as SVG, made on the server with segno: the way anything leaves the kiosk."""

import io
import re

import segno
from flask import Response, url_for

MAX_LINK = 500
TICKS = re.compile(r"^\d{1,2}(\.\d{1,2}){0,49}$")


def public_url(endpoint: str, **values) -> str:
    """An absolute URL a phone can open, always on KIOSK_PUBLIC_URL (never the Host the kiosk sent)."""
    return url_for(endpoint, _external=True, **values)


def is_web_link(target: str) -> bool:
    return 0 < len(target) <= MAX_LINK and target.startswith(("https://", "http://")) and " " not in target


def parse_ticks(raw: str) -> list[int]:
    """Ticked checklist items from "0.2.5" (anything malformed means none)."""
    return sorted({int(i) for i in raw.split(".")}) if raw and TICKS.match(raw) else []


def svg(data: str, title: str) -> str:
    buffer = io.BytesIO()
    segno.make(data, error="m").save(buffer, kind="svg", scale=6, border=2, xmldecl=False, svgns=True,
                                     title=title, dark="#000", light="#fff")  # fmt: skip
    return buffer.getvalue().decode()


def svg_response(data: str, title: str) -> Response:
    response = Response(svg(data, title), mimetype="image/svg+xml")
    response.cache_control.max_age = 3600
    return response
