"""`flask search rebuild|query|gaps`."""

import json

from kiosk.search import services


def test_rebuild_reports_the_cards(runner, cards):
    result = runner.invoke(args=["search", "rebuild"])
    assert result.exit_code == 0 and "Zaindeksowano kart: 4" in result.output


def test_query_prints_results_and_json(runner, cards):
    result = runner.invoke(args=["search", "query", "dowodu", "--limit", "1"])
    assert result.exit_code == 0 and "dowod-osobisty-wydanie" in result.output
    data = json.loads(runner.invoke(args=["search", "query", "dowodu", "--json"]).output)
    assert data["results"][0]["slug"] == "dowod-osobisty-wydanie"


def test_gaps_lists_unfound_and_unopened_queries_most_frequent_first(runner, cards, db):
    for text in ("psy", "psy", "kot", "dowód"):
        services.search(text, log_query=True)
    db.session.commit()
    lines = runner.invoke(args=["search", "gaps"]).output.splitlines()
    assert [line.split()[-1] for line in lines] == ["psy", "kot", "dowod"]
    assert lines[0].split()[:1] == ["2"] and lines[2].split()[:1] == ["0"]  # dowód found cards, none opened
