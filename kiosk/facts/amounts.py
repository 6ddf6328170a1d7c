"""The one rule for an amount in złoty, for a card's fees and shared fees, whoever saves it.

Amounts are stored as Numeric(10, 2): at most eight digits before the decimal point and two after, on
SQLite and PostgreSQL alike. The content import, the back office and the domain all check through here.
"""

from decimal import Decimal, InvalidOperation

from kiosk.errors import ValidationError

MAX_AMOUNT = Decimal("100000000")  # exclusive: 99 999 999,99 zł is the largest storable amount
NOT_A_NUMBER = "Kwota musi być liczbą, np. 17,00"
NEGATIVE = "Kwota nie może być ujemna."
OUT_OF_RANGE = "Kwota może mieć najwyżej 8 cyfr przed przecinkiem i 2 po przecinku (do 99 999 999,99 zł)."


def parse_amount(raw, field: str = "amount") -> Decimal | None:
    """An amount as a person or a file writes it ("17", "17,50", "1 234,00 zł", 17.5); empty means it varies."""
    if raw is None or isinstance(raw, Decimal):
        return check_amount(raw, field)
    if isinstance(raw, bool):
        raise _not_a_number(raw, field)
    text = str(raw).replace("\u00a0", "").replace(" ", "").replace("zł", "").replace(",", ".")
    if not text:
        return None
    try:
        return check_amount(Decimal(text), field)
    except InvalidOperation:
        raise _not_a_number(raw, field) from None


def check_amount(amount: Decimal | None, field: str = "amount") -> Decimal | None:
    """The amount to two decimal places if it is storable: a number, not negative, under MAX_AMOUNT."""
    if amount is None:
        return None
    if not amount.is_finite():
        raise _not_a_number(amount, field)
    if amount < 0:
        raise ValidationError(NEGATIVE, field)
    if amount >= MAX_AMOUNT or amount != amount.quantize(Decimal("0.01")):
        raise ValidationError(OUT_OF_RANGE, field)
    return amount.quantize(Decimal("0.01"))


def _not_a_number(raw, field: str) -> ValidationError:
    return ValidationError(f"{NOT_A_NUMBER} („{str(raw)[:40]}” nie jest kwotą).", field)
