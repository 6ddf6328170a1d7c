"""The search query log has a retention period: `flask search purge-log` deletes what is older."""

from datetime import datetime, timedelta

from sqlalchemy import func, select

from kiosk.clock import frozen
from kiosk.search import services
from kiosk.search.models import SearchQuery

NOW = datetime(2026, 11, 4, 9, 0)


def logged(db, text: str, days_ago: int, opened: str | None = None) -> None:
    with frozen(NOW - timedelta(days=days_ago)):
        db.session.add(SearchQuery(text=text, result_count=0, opened_slug=opened))
        db.session.flush()


def texts(db) -> list[str]:
    return sorted(db.session.scalars(select(SearchQuery.text)))


def test_purge_log_deletes_searches_older_than_the_retention_period(app, db, runner):
    logged(db, "jan kowalski pesel", 400)
    logged(db, "stary wpis", 366, opened="dowod")
    logged(db, "na granicy", 364)
    logged(db, "wczoraj", 1)
    db.session.commit()
    with frozen(NOW):
        result = runner.invoke(args=["search", "purge-log"])
    assert result.exit_code == 0 and "2" in result.output, result.output
    db.session.expire_all()
    assert texts(db) == ["na granicy", "wczoraj"]
    assert [gap.query for gap in services.query_gaps(days=400)] == ["na granicy", "wczoraj"]


def test_retention_period_is_a_setting(app, db):
    app.config["SEARCH_LOG_RETENTION_DAYS"] = 30
    logged(db, "miesiąc temu", 31)
    logged(db, "tydzień temu", 7)
    db.session.commit()
    with frozen(NOW):
        assert services.purge_query_log() == 1
        assert services.purge_query_log() == 0
    db.session.commit()
    assert db.session.scalar(select(func.count(SearchQuery.id))) == 1
