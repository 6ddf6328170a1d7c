"""CSV export of every dashboard list (UTF-8 with BOM for spreadsheets; formulas neutralised)."""

from kiosk.formatting import format_date, format_datetime
from kiosk.spreadsheet import csv_text

from . import gaps, services


def overdue(statuses):
    return sorted((s for s in statuses if s.state == services.OVERDUE), key=lambda s: (s.due_on is not None, s.due_on))


def due_soon(statuses):
    return sorted((s for s in statuses if s.state == services.DUE_SOON), key=lambda s: s.due_on)


def in_state(statuses, state: str):
    """The cards in `state`, in the order the dashboard lists them (the summary counts the same cards)."""
    if state == services.OVERDUE:
        return overdue(statuses)
    if state == services.DUE_SOON:
        return due_soon(statuses)
    return [s for s in statuses if s.state == state]


def flagged(statuses):
    """Cards with at least one open review flag (the summary's "z flagą przeglądu")."""
    return [s for s in statuses if s.flags]


CARD_HEADER = ["karta", "tytuł", "wydział", "właściciel", "e-mail", "zweryfikowana", "termin przeglądu", "stan",
               "flagi", "zgłoszenia"]  # fmt: skip


def _card_rows(cards):
    return [[s.slug, s.title, s.department, s.owner_name, s.recipient, format_date(s.verified_on),
             format_date(s.due_on), services.STATE_LABELS[s.state], s.flags, s.feedback] for s in cards]  # fmt: skip


def _flag_rows():
    flags = services.open_flags()
    return [[f.card.slug, f.source, f.code, f.reason, f.subject_type, f.subject_id or "", format_datetime(f.created_at)]
            for f in flags]  # fmt: skip


def _feedback_rows():
    return [[f.card.slug, format_datetime(f.created_at), f.channel, f.message, f.contact]
            for f in services.open_feedback()]  # fmt: skip


def _gap_rows():
    return [[g.query, g.zero_results, g.no_click, g.count, format_datetime(g.last_seen)]
            for g in gaps.content_gaps(limit=None)]  # fmt: skip


def _department_rows():
    summary = services.summarise(services.card_statuses())
    return [[name, r["total"], r[services.FRESH], r[services.UNCHECKED], r[services.DUE_SOON], r[services.OVERDUE],
             r["flagged"]] for name, r in summary["departments"].items()]  # fmt: skip


# The card list behind each number of the dashboard's summary, by CSV name.
STATE_LISTS = {"zalegle": services.OVERDUE, "wkrotce": services.DUE_SOON, "niesprawdzone": services.UNCHECKED,
               "aktualne": services.FRESH}  # fmt: skip


def _state_rows(state: str):
    return lambda: _card_rows(in_state(services.card_statuses(), state))


LISTS = {
    **{name: (CARD_HEADER, _state_rows(state)) for name, state in STATE_LISTS.items()},
    "z-flaga": (CARD_HEADER, lambda: _card_rows(flagged(services.card_statuses()))),
    "flagi": (["karta", "źródło", "kod", "powód", "co się zmieniło", "id", "od"], _flag_rows),
    "zgloszenia": (["karta", "data", "kanał", "treść", "kontakt"], _feedback_rows),
    "luki": (["zapytanie", "bez wyników", "bez kliknięcia", "razem", "ostatnio"], _gap_rows),
    "wydzialy": (
        ["wydział", "razem", "aktualne", "nie sprawdzono", "wkrótce", "po terminie", "z flagą"],
        _department_rows,
    ),
}


def to_csv(name: str) -> str:
    """One list as CSV text."""
    header, rows = LISTS[name]
    return csv_text(header, rows())
