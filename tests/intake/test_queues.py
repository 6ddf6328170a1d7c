"""Queue and statistics queries: visibility per department, medians, the monthly series."""

from collections import Counter
from datetime import datetime

from kiosk.accounts.models import Role
from kiosk.clock import frozen
from kiosk.intake import queues, services


def test_median_from_a_histogram():
    assert queues._median(Counter()) is None
    assert queues._median(Counter({4: 1})) == 4
    assert queues._median(Counter({1: 1, 3: 1})) == 2
    assert queues._median(Counter({1: 2, 9: 1})) == 1
    assert queues._median(Counter({2: 1, 4: 1, 6: 1, 8: 1})) == 5


def test_statistics_per_card_department_and_month(db, register, desk_user, dept_user, factory, other_department):
    with frozen(datetime(2026, 9, 1, 9)):
        slow = register()
        services.hand_over(slow, dept_user)
    with frozen(datetime(2026, 10, 21, 9)):
        services.mark_ready(slow, dept_user)
        services.issue_document(slow, desk_user, "Jan", True)
    with frozen(datetime(2026, 10, 5, 9)):
        quick = register(handed_in=[0])
        services.record_supplement(quick, [1], desk_user)
        services.hand_over(quick, dept_user)
        services.mark_ready(quick, dept_user)
        services.deliver(quick, desk_user, "post")
    db.session.commit()
    with frozen(datetime(2026, 11, 4, 9)):
        data = queues.statistics(desk_user, 3)
        outsider = factory.user("obcy", roles=[Role.DEPARTMENT_STAFF], departments=[other_department])
        assert queues.statistics(outsider, 3)["by_card"] == []
    (card,) = data["by_card"]
    assert (card["count"], card["incomplete"], card["late"], card["median_days"]) == (2, 1, 1, 25.0)
    assert data["by_department"][0]["name"] == "Wydział Testowy"
    assert [(m["label"], m["count"]) for m in data["months"]] == [("09.2026", 1), ("10.2026", 1), ("11.2026", 0)]
    chart = queues.chart(data["months"])
    assert len(chart["bars"]) == 3 and chart["bars"][2]["h"] == 0


def test_department_queue_is_late_first_and_visible_to_its_department_only(db, register, dept_user, factory,
                                                                           other_department):  # fmt: skip
    with frozen(datetime(2026, 9, 1, 9)):
        late = register()
        services.hand_over(late, dept_user)
    on_time = register()
    services.hand_over(on_time, dept_user)
    db.session.commit()
    page = queues.queue_page("w-wydzialach", dept_user, {})
    assert [c.number for c in page.items] == [late.number, on_time.number]
    assert [tuple(r) for r in page.late_by_department] == [("Wydział Testowy", 2, 1)]
    assert queues.queue_page("w-wydzialach", dept_user, {"late": True}).total == 1
    outsider = factory.user("obcy", roles=[Role.DEPARTMENT_STAFF], departments=[other_department])
    assert queues.queue_page("w-wydzialach", outsider, {}).total == 0
