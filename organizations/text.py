"""Text as people type it: one normalization for names and searches, in every app."""

import unicodedata
from decimal import Decimal


def normalize_name(text: str) -> str:
    """NFC form, single spaces, no leading or trailing blanks (a name typed in NFD, with
    doubled spaces, is the same name)."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def field_label(model, name: str) -> str:
    """A model field's Vietnamese name, for messages that name the field."""
    field = model._meta.get_field(name)
    return str(getattr(field, "verbose_name", name))


def decimal_text(value: Decimal | int | str) -> str:
    """A number as Vietnamese write it: a decimal comma, no trailing zeros (89,5 — 90 — 12,5).
    The one formatter for scores, shares, rates and their history."""
    return f"{Decimal(value).normalize():f}".replace(".", ",")


def thousands_text(value: int) -> str:
    """A count as Vietnamese write it: thousands with a dot (10.000)."""
    return f"{value:,}".replace(",", ".")


def percent_text(rate: Decimal | str) -> str:
    """A rate as a percentage the Vietnamese way: 0.2 → "20", 0.125 → "12,5"."""
    return decimal_text(Decimal(rate) * 100)


#: What a table shows where there is no number (nothing to divide by, nothing entered).
NO_NUMBER = "—"


def share_text(value: float | None) -> str:
    """A share already in percent, with one decimal and a decimal comma: 12,5."""
    if value is None:
        return NO_NUMBER
    return f"{value:.1f}".replace(".", ",")
