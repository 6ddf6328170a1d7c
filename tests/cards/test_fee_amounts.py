"""One fee amount rule (`kiosk.facts.amounts`) for the domain, the content files and the back office."""

from decimal import Decimal

import pytest

from kiosk.cards import services
from kiosk.content.facts import SPECS, read_fact_file
from kiosk.content.fields import Reader
from kiosk.content.yamlsource import ContentFileError, parse_yaml
from kiosk.errors import ValidationError
from kiosk.facts.amounts import MAX_AMOUNT, parse_amount

TOO_LARGE = "najwyżej 8 cyfr przed przecinkiem"


@pytest.mark.parametrize(
    ("raw", "amount"),
    [("17", "17.00"), ("17,5", "17.50"), ("1 234,00 zł", "1234.00"), (17, "17.00"), ("99999999,99", "99999999.99")],
)
def test_amounts_as_people_and_files_write_them(raw, amount):
    assert parse_amount(raw) == Decimal(amount)


@pytest.mark.parametrize(
    ("raw", "message"),
    [("100000000", TOO_LARGE), ("1e400", TOO_LARGE), ("17,505", TOO_LARGE), ("-5", "nie może być ujemna"),
     ("abc", "„abc” nie jest kwotą"), ("NaN", "musi być liczbą"), (True, "musi być liczbą")],
)  # fmt: skip
def test_amounts_outside_the_rule_are_refused_in_polish(raw, message):
    with pytest.raises(ValidationError, match=message):
        parse_amount(raw)


def test_a_card_file_with_an_over_limit_fee_names_the_file_line_and_field(tmp_path):
    src = parse_yaml(tmp_path / "karta.md", "title: Test\nfees:\n  - what: Opłata\n    amount: 100000000\n")
    with pytest.raises(ContentFileError, match=rf"karta.md:4: fees\[0\].amount: Kwota może mieć {TOO_LARGE}"):
        Reader(src, src.data["fees"][0], "fees[0]").amount("amount")


def test_a_shared_fees_file_with_an_over_limit_amount_is_refused(tmp_path):
    (tmp_path / "shared-fees.yaml").write_text("- slug: droga\n  what: Opłata\n  amount: '150000000'\n")
    spec = next(s for s in SPECS if s.filename == "shared-fees.yaml")
    with pytest.raises(ContentFileError, match=rf"shared-fees.yaml:3: \[0\].amount: .*{TOO_LARGE}"):
        read_fact_file(tmp_path, spec)


def test_the_domain_refuses_an_over_limit_fee_whoever_saves_it(db, factory):
    editor = factory.user()
    fees = [{"what": "Opłata", "amount": MAX_AMOUNT, "how_to_pay": "", "exemptions": "", "shared": None}]
    card = factory.published_card()
    draft = services.open_draft(card, editor)
    content = dict(services.edition_to_content(draft), fees=fees)
    with pytest.raises(ValidationError, match=TOO_LARGE):
        services.save_draft(draft, content, editor, draft.lock_version)
    with pytest.raises(ValidationError, match=TOO_LARGE) as refused:
        services.open_draft(factory.card(editor=editor), editor, factory.content(fees=fees))
    assert refused.value.field == "fees[0].amount"
