"""50 registrations at once on PostgreSQL: no duplicate number and no gap, even with some rolled back."""

import threading

import pytest
from sqlalchemy import select

from kiosk import create_app
from kiosk.extensions import db
from kiosk.intake import services
from kiosk.intake.models import Case

THREADS = 50


@pytest.mark.postgres
def test_parallel_registrations_get_gapless_unique_numbers(app, card, points, desk_user):
    # A connection per thread: they all hold one while waiting at the barrier.
    app = create_app({**app.config, "SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": THREADS, "max_overflow": 5}})
    point_id, user_id, slug = points["bok-stary-rynek"].id, desk_user.id, card.slug
    barrier = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def register(i: int) -> None:
        with app.app_context():  # its own app context, so its own session and connection
            try:
                found = services.find_card(slug)
                user, point = db.session.get(services.User, user_id), db.session.get(services.Location, point_id)
                barrier.wait(timeout=30)
                case = services.register_application(found, point, user, channel="written", delivery="pickup",
                                                      applicant_name=f"Osoba {i}", applicant_contact="tel")  # fmt: skip
                services.record_completeness(case, [0, 1], user)
                if i % 10 == 0:
                    db.session.rollback()  # a registration abandoned after taking a number
                else:
                    db.session.commit()
            except BaseException as exc:  # reported below; a thread must not die silently
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=register, args=(i,)) for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    with app.app_context():
        db.engine.dispose()
    assert not errors, errors
    db.session.expire_all()
    seqs = sorted(db.session.scalars(select(Case.seq).where(Case.location_id == point_id)))
    assert len(seqs) == THREADS - THREADS // 10
    assert seqs == list(range(1, len(seqs) + 1))
    numbers = list(db.session.scalars(select(Case.number)))
    assert len(set(numbers)) == len(numbers)
