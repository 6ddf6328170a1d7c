"""Every fact may carry `source:` or `unverified:`; both are stored, shown to editors and exported as read."""

import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from kiosk.cards.models import Card
from kiosk.cards.published import get_published_card
from kiosk.content.services import export_content, import_content
from kiosk.content.yamlsource import ContentFileError
from kiosk.facts.models import LegalAct, Location, SharedFee

SOURCED_CARD = """---
title: Karta ze źródłami
summary: Opłata wynosi 17 zł.
category: dokumenty-i-meldunek
review_interval_days: 180
fees:
  - what: Opłata skarbowa
    amount: '17.00'
    source: Ustawa o opłacie skarbowej, załącznik, cz. IV
  - what: Opłata za duplikat
    amount: '5.00'
    unverified: kwota z karty z 2020 r.
settle:
  days: 30
  text: Zwykle od ręki.
  source: https://www.gov.pl/web/gov/przyklad
legal_acts:
  - act: kpa
    detail: art. 35
    source: Dz.U. 2025 poz. 1691, stan na 2026-11
  - act: ustawa-o-oplacie-skarbowej
    unverified: aktualny tekst jednolity
online:
  channel: gov.pl
  url: https://www.gov.pl/web/gov/przyklad
  unverified: adres usługi
forms:
  - title: Wniosek (PDF)
    url: https://bip.plock.eu/wniosek.pdf
    source: bip.plock.eu, stan na 2026-11
unverified:
  - nazwa wydziału
effective_date: 2026-11-25
---

Treść.
"""


@pytest.fixture
def work_dir(tmp_path, content_dir) -> Path:
    target = tmp_path / "content"
    shutil.copytree(content_dir, target)
    (target / "cards" / "karta-ze-zrodlami.md").write_text(SOURCED_CARD, encoding="utf-8")
    return target


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def test_sources_and_doubts_are_stored_on_rows_and_shared_facts(db, work_dir):
    act = "- {slug: akt-testowy, title: Akt, source: 'https://isap.sejm.gov.pl/x', unverified: numer uchwały}\n"
    fee = "- {slug: oplata-testowa, what: Opłata, amount: '1.00', source: Uchwała Nr 1/2020 z 1.01.2020}\n"
    point = "- {slug: punkt-testowy, name: Punkt, address: ul. Testowa 1, unverified: godziny otwarcia, source: x}\n"
    _append(work_dir / "legal-acts.yaml", act)
    _append(work_dir / "shared-fees.yaml", fee)
    _append(work_dir / "locations.yaml", point)
    import_content(work_dir)
    db.session.commit()
    edition = get_published_card("karta-ze-zrodlami").live_edition  # hydrated from the snapshot
    assert [(f.source, f.unverified) for f in edition.fees] == [
        ("Ustawa o opłacie skarbowej, załącznik, cz. IV", ""),
        ("", "kwota z karty z 2020 r."),
    ]
    assert [(a.source, a.unverified) for a in edition.legal_acts] == [
        ("Dz.U. 2025 poz. 1691, stan na 2026-11", ""),
        ("", "aktualny tekst jednolity"),
    ]
    assert [(f.source, f.unverified) for f in edition.forms] == [("bip.plock.eu, stan na 2026-11", "")]
    assert (edition.settle_source, edition.settle_unverified) == ("https://www.gov.pl/web/gov/przyklad", "")
    assert (edition.online_source, edition.online_unverified) == ("", "adres usługi")
    act = db.session.scalar(select(LegalAct).where(LegalAct.slug == "akt-testowy"))
    assert (act.source, act.unverified) == ("https://isap.sejm.gov.pl/x", "numer uchwały")
    fee = db.session.scalar(select(SharedFee).where(SharedFee.slug == "oplata-testowa"))
    assert fee.source == "Uchwała Nr 1/2020 z 1.01.2020"
    point = db.session.scalar(select(Location).where(Location.slug == "punkt-testowy"))
    assert point.unverified == ["godziny otwarcia"]  # one string is a list of one doubt
    assert point.source == "x"


def test_a_sourced_card_exports_exactly_as_written(db, work_dir, tmp_path):
    import_content(work_dir)
    db.session.commit()
    export_content(tmp_path / "out")
    assert (tmp_path / "out" / "cards" / "karta-ze-zrodlami.md").read_text(encoding="utf-8") == SOURCED_CARD


def test_adding_a_source_is_a_new_edition(db, work_dir):
    import_content(work_dir)
    db.session.commit()
    path = work_dir / "cards" / "karta-ze-zrodlami.md"
    path.write_text(path.read_text().replace("  unverified: adres usługi\n", "  source: https://www.gov.pl/a\n"))
    report = import_content(work_dir)
    assert report.updated == ["karta-ze-zrodlami"]
    card = db.session.scalar(select(Card).where(Card.slug == "karta-ze-zrodlami"))
    assert card.live_edition.online_source == "https://www.gov.pl/a" and card.live_edition.number == 2


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("  source: https://www.gov.pl/web/gov/przyklad", "  source: http://www.gov.pl/x", "https://"),
        ("  unverified: adres usługi", "  unverified: [a, b]", "oczekiwano tekstu"),
        ("    source: bip.plock.eu, stan na 2026-11", "    source: {url: x}", "oczekiwano tekstu"),
        ("    detail: art. 35", "    detail: art. 35\n    zrodlo: x", "nieznane pole"),
    ],
)
def test_a_bad_source_or_doubt_names_its_line(db, work_dir, old, new, message):
    path = work_dir / "cards" / "karta-ze-zrodlami.md"
    assert old in path.read_text()
    path.write_text(path.read_text().replace(old, new, 1))
    with pytest.raises(ContentFileError, match=message) as raised:
        import_content(work_dir)
    assert "karta-ze-zrodlami.md:" in str(raised.value)
