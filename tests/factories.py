"""Test data built through the real domain functions."""

import itertools
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import select

from kiosk.accounts.models import Role, User
from kiosk.cards import services, translations
from kiosk.cards.content import empty_content
from kiosk.cards.notifications import OUTBOX
from kiosk.clock import frozen
from kiosk.facts.models import Category, Department, LegalAct, LifeSituation, Location, SharedFee

_counter = itertools.count(1)

# The Ukrainian texts of the card `Factory.content()` builds: its two documents and two fees, in order.
UK_TEXTS = {
    "title": "Видача посвідчення особи",
    "summary": "Посвідчення особи оформите в міській раді.",
    "documents": ["Заява", "Фотографія 35 × 45 мм"],
    "document_notes": ["", "кольорова"],
    "fees": [{"what": "Видача посвідчення"}, {"what": "Довіреність", "how_to_pay": "переказ"}],
    "settle_text": "до 30 днів",
}


class Factory:
    def __init__(self, db):
        self.db = db
        self._facts = None

    def user(self, username: str | None = None, roles=(Role.EDITOR,), departments=()) -> User:
        username = username or f"user{next(_counter)}"
        user = User(username=username, display_name=username.title(), email=f"{username}@plock.test")
        user.roles = roles
        user.departments = list(departments)
        self.db.session.add(user)
        self.db.session.flush()
        return user

    def team(self):
        """An editor, an approver and a publisher: the four-eyes cast."""
        return (
            self.user(roles=[Role.EDITOR]),
            self.user(roles=[Role.APPROVER]),
            self.user(roles=[Role.PUBLISHER]),
        )

    def facts(self) -> dict:
        if self._facts is None:
            self._facts = {
                "category": self._get_or_add(Category, slug="dokumenty", name="Dokumenty"),
                "department": self._get_or_add(Department, slug="wydzial-testowy", name="Wydział Testowy"),
                "location": self._get_or_add(
                    Location, slug="bok-test", name="BOK", address="Stary Rynek 1", is_service_point=True
                ),
                "act": self._get_or_add(LegalAct, slug="kpa", title="Kodeks postępowania administracyjnego"),
                "situation": self._get_or_add(LifeSituation, slug="przeprowadzka", name="Przeprowadzam się"),
                "shared_fee": self._get_or_add(
                    SharedFee, slug="pelnomocnictwo", what="Pełnomocnictwo", amount=Decimal("17.00")
                ),
            }
        return self._facts

    def _get_or_add(self, model, slug, **values):
        obj = self.db.session.scalar(select(model).where(model.slug == slug))
        if obj is None:
            obj = model(slug=slug, **values)
            self.db.session.add(obj)
            self.db.session.flush()
        return obj

    def content(self, **overrides) -> dict:
        self.facts()
        content = empty_content()
        content.update(
            title="Wydanie dowodu osobistego",
            summary="Dowód osobisty wyrobisz w urzędzie.",
            category="dokumenty",
            department="wydzial-testowy",
            settle_days=30,
            settle_text="do 30 dni",
            body="## Kto składa\n\nWniosek składasz osobiście.",
            life_situations=["przeprowadzka"],
            service_points=[{"point": "bok-test", "room": "stanowisko 2", "window": "3", "note": ""}],
            documents=[
                {"name": "Wniosek", "form": "original", "required": True, "note": ""},
                {"name": "Fotografia 35 × 45 mm", "form": "original", "required": True, "note": "kolorowa"},
            ],
            fees=[
                {
                    "what": "Wydanie dowodu",
                    "amount": Decimal("0.00"),
                    "how_to_pay": "",
                    "exemptions": "",
                    "shared": None,
                },
                {
                    "what": "Pełnomocnictwo",
                    "amount": Decimal("17.00"),
                    "how_to_pay": "przelew",
                    "exemptions": "",
                    "shared": "pelnomocnictwo",
                },
            ],
            legal_acts=[{"act": "kpa", "detail": "art. 64"}],
            keywords=["dowód", "dowodzik"],
            effective_date=None,
        )
        content.update(overrides)
        return content

    def card(self, slug: str | None = None, editor: User | None = None):
        facts = self.facts()
        editor = editor or self.user(roles=[Role.EDITOR])
        return services.create_card(slug or f"karta-{next(_counter)}", editor, owner_department=facts["department"])

    def published_card(self, slug: str | None = None, team=None, **overrides):
        """A card with one published edition, through the full four-eyes workflow."""
        editor, approver, publisher = team or self.team()
        card = self.card(slug, editor)
        edition = services.open_draft(card, editor, self.content(**overrides))
        services.submit_edition(edition, editor)
        services.approve_edition(edition, approver)
        services.publish_edition(edition, publisher)
        self.db.session.info.pop(OUTBOX, None)  # test data: the workflow's e-mail is not part of the scene
        self.db.session.commit()
        return card

    def scheduled_edition(self, card, team, on: date, **overrides):
        """An edition of `card` signed off by `team` the day before `on` and scheduled to go live on `on`."""
        editor, approver, publisher = team
        edition = services.open_draft(card, editor, self.content(**overrides))
        services.submit_edition(edition, editor)
        services.approve_edition(edition, approver)
        with frozen(datetime.combine(on - timedelta(days=1), time(10), tzinfo=UTC)):
            services.publish_edition(edition, publisher, on=on)
        self.db.session.info.pop(OUTBOX, None)
        self.db.session.commit()
        return edition

    def published_translation(self, card, lang: str = "uk", team=None, texts: dict | None = None, translator=None):
        """A published translation of `card` through the four-eyes steps: a translator (a new editor unless
        given) writes and submits it, the team's approver approves it, its publisher publishes it."""
        if texts is None and lang != "uk":
            raise ValueError("give the texts of a translation other than the Ukrainian one")
        _editor, approver, publisher = team or self.team()
        translator = translator or self.user(roles=[Role.EDITOR])
        tr = translations.write_translation(card, lang, UK_TEXTS if texts is None else texts, translator)
        translations.submit_translation(tr, translator)
        translations.approve_translation(tr, approver)
        translations.publish_translation(tr, publisher)
        self.db.session.commit()
        return tr
