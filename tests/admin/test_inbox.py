"""The approver's inbox: editions awaiting this person, with the changes against the live edition inline."""

import re
from decimal import Decimal

from kiosk.accounts.models import Role
from kiosk.cards import services
from kiosk.facts.models import Department


def submitted(db, factory, card, editor, **changes):
    changes.setdefault("effective_date", card.live_edition.effective_date)
    edition = services.open_draft(card, editor, factory.content(**changes))
    services.submit_edition(edition, editor)
    db.session.commit()
    return edition


def other_department(db):
    dept = Department(slug="wydzial-inny", name="Wydział Inny")
    db.session.add(dept)
    db.session.flush()
    return dept


def test_inbox_holds_what_awaits_this_person_only(db, factory):
    editor, approver, publisher = team = factory.team()
    card = factory.published_card("dowod", team=team)
    own_dept = card.owner_department
    dept_approver = factory.user("dept", [Role.APPROVER], departments=[own_dept])
    elsewhere = factory.user("obcy", [Role.APPROVER], departments=[other_department(db)])
    insider = factory.user("igor", [Role.EDITOR, Role.APPROVER, Role.PUBLISHER])
    edition = services.open_draft(card, insider, factory.content(summary="Nowe streszczenie."))
    services.submit_edition(edition, insider)
    db.session.commit()
    assert services.editions_awaiting(approver) == [edition]  # no departments: approves any card
    assert services.editions_awaiting(dept_approver) == [edition]
    assert services.editions_awaiting(elsewhere) == []
    assert services.editions_awaiting(insider) == []  # contributed: may not sign it
    assert services.editions_awaiting(publisher) == [] and services.editions_awaiting(editor) == []
    services.approve_edition(edition, dept_approver)
    db.session.commit()
    assert services.editions_awaiting(dept_approver) == []
    assert services.editions_awaiting(publisher) == [edition]
    both = factory.user("ola", [Role.APPROVER, Role.PUBLISHER])
    assert services.editions_awaiting(both) == [edition]
    dept_approver.roles = [Role.APPROVER, Role.PUBLISHER]  # approved it on substance: not also for use
    assert services.editions_awaiting(dept_approver) == []
    services.publish_edition(edition, publisher, on=edition.card.live_edition.effective_date.replace(year=2099))
    db.session.commit()
    assert services.editions_awaiting(both) == []  # scheduled: already signed


def test_inline_comparison_marks_only_what_changed(db, factory, as_user):
    editor, _, _ = team = factory.team()
    card = factory.published_card("dowod", team=team)
    content = factory.content()
    fees = content["fees"]
    fees[1] = {**fees[1], "amount": Decimal("18.00")}
    documents = [content["documents"][0], {"name": "Stary dowód", "form": "original", "required": True, "note": ""}]
    edition = submitted(db, factory, card, editor, fees=fees, documents=documents,
                        body="## Kto składa\n\nWniosek składasz osobiście albo przez pełnomocnika.")  # fmt: skip
    page = as_user("anna", [Role.APPROVER]).get("/admin/inbox/").get_data(as_text=True)
    item = page[page.index(f'id="wydanie-{edition.id}"') :]
    rows = dict(re.findall(r'<tr data-field="(\w+)">(.*?)</tr>', item, re.S))
    assert set(rows) == {"fees", "documents", "body"}  # changed fields only: the summary is not listed
    fee = rows["fees"]
    assert re.search(r'<mark class="diff-value">.*?17,00 → 18,00 zł</mark>', fee, re.S)
    assert "<del>" not in fee and "usunięto" not in fee and "dodano" not in fee  # edited, not struck and re-added
    assert "Pełnomocnictwo" in fee and '<mark class="diff-value"><span class="text-muted">za co' not in fee
    assert "bez zmian: 1 wiersz" in fee
    docs = rows["documents"]
    assert "zmieniono" in docs and "Fotografia 35 × 45 mm → Stary dowód" in docs
    body = rows["body"]
    assert '<ins class="diff-added">' in body and "Wniosek składasz" in body
    assert not re.search(r"<(del|ins|mark)[^>]*>[^<]*Wniosek", body)  # unchanged text is never marked


def test_added_and_removed_rows_are_labelled(db, factory, as_user):
    editor, _, _ = team = factory.team()
    card = factory.published_card("dowod", team=team)
    content = factory.content()
    edition = submitted(db, factory, card, editor, legal_acts=[],
                        documents=content["documents"] + [{"name": "Paszport", "form": "to_show", "required": False,
                                                           "note": ""}])  # fmt: skip
    page = as_user("anna", [Role.APPROVER]).get("/admin/inbox/").get_data(as_text=True)
    rows = dict(re.findall(r'<tr data-field="(\w+)">(.*?)</tr>', page, re.S))
    assert re.search(r'diff-row-added"><span class="badge badge-success">dodano</span>.*Paszport', rows["documents"])
    assert re.search(r'diff-row-removed"><span class="badge badge-danger">usunięto</span> <del>.*art\. 64',
                     rows["legal_acts"])  # fmt: skip
    assert edition.id


def test_dashboard_is_the_inbox_for_approvers_and_the_drafts_for_editors(db, factory, as_user):
    editor, _, _ = team = factory.team()
    card = factory.published_card("dowod", team=team)
    edition = submitted(db, factory, card, editor, summary="Zmienione.")
    approver = as_user("anna", [Role.APPROVER])
    home = approver.get("/admin/").get_data(as_text=True)
    assert "Do podpisu (1)" in home and f'id="wydanie-{edition.id}"' in home and "17,00" not in home
    ewa = as_user("ewa", [Role.EDITOR])
    services.send_back_edition(edition, approver.user, "Popraw termin.")
    edition.contributors.append(type(edition.contributors[0])(user=ewa.user, user_id=ewa.user.id, kind="save"))
    db.session.commit()
    home = ewa.get("/admin/").get_data(as_text=True)
    assert "Moje szkice (1)" in home and "zwrócone do poprawy:</strong> Popraw termin." in home
    assert "Do podpisu" not in home.split("<main", 1)[1].split("Moje szkice")[0].replace("Do podpisu</a>", "")
