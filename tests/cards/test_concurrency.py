"""Two editors saving the same draft at once on PostgreSQL: the second save is refused, nothing is lost."""

import threading

import pytest
from sqlalchemy.orm import Session

from kiosk.accounts.models import Role, User
from kiosk.cards import services
from kiosk.cards.models import Edition
from kiosk.errors import ConflictError
from kiosk.extensions import db as _db


@pytest.mark.postgres
def test_concurrent_saves_of_one_draft_lose_no_update(app, db, factory):
    editor_a = factory.user("redaktor-a", roles=[Role.EDITOR])
    factory.user("redaktor-b", roles=[Role.EDITOR])
    card = factory.card(editor=editor_a)
    draft = services.open_draft(card, editor_a, factory.content())
    db.session.commit()
    draft_id, version = draft.id, draft.lock_version
    barrier = threading.Barrier(2)
    outcomes = {}

    def save(username: str, title: str):
        with app.app_context():
            session: Session = _db.session
            edition = session.get(Edition, draft_id)
            user = session.query(User).filter_by(username=username).one()
            content = factory.content(title=title)
            barrier.wait()  # both have read the same version
            try:
                services.save_draft(edition, content, user, version)
                session.commit()
                outcomes[username] = "saved"
            except ConflictError:
                session.rollback()
                outcomes[username] = "conflict"
            finally:
                session.remove()

    threads = [threading.Thread(target=save, args=(u, f"Tytuł od {u}")) for u in ("redaktor-a", "redaktor-b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes.values()) == ["conflict", "saved"]
    winner = next(u for u, o in outcomes.items() if o == "saved")
    db.session.expire_all()
    saved = db.session.get(Edition, draft_id)
    assert saved.title == f"Tytuł od {winner}" and saved.lock_version == version + 1
