"""Reading one cell of a real file: either Unicode form, stray spaces, numbers stored as text,
dates typed as dd/mm/yyyy or kept as Excel dates."""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import get_language, override
from django.utils.translation import gettext as _
from openpyxl.utils.datetime import from_excel

CARD_NUMBER_MAX = 20
_DATE_TEXT = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$")
_PARENTHESES = re.compile(r"\(.*?\)")
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")
# Excel serial numbers of plausible dates (1908 to 2119); smaller numbers are typing slips.
_SERIAL_RANGE = (3_000, 80_000)


class CellError(Exception):
    def __init__(self, message: str, *, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


def clean_text(value) -> str:
    """NFC, single spaces, no blanks around; integral numbers without ".0"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    text = unicodedata.normalize("NFC", str(value)).replace("\u00a0", " ")
    return " ".join(text.split())


def fold(value) -> str:
    """A key for loose comparison: no diacritics, đ as d, lower case, letters and digits only."""
    text = unicodedata.normalize("NFD", clean_text(value).lower().replace("đ", "d"))
    text = "".join(char for char in text if not unicodedata.combining(char))
    return " ".join(_NOT_ALNUM.sub(" ", text).split())


def header_key(value) -> str:
    """A header's key: as `fold`, without parenthesized hints such as "(*)" or "(dd/mm/yyyy)"."""
    return fold(_PARENTHESES.sub(" ", clean_text(value)))


def is_blank(value) -> bool:
    return clean_text(value) == ""


def parse_date(value) -> datetime.date | None:
    if value is None or is_blank(value):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    is_number = isinstance(value, int | float) and not isinstance(value, bool)
    if is_number and _SERIAL_RANGE[0] <= value <= _SERIAL_RANGE[1]:
        return from_excel(value).date()
    text = clean_text(value)
    match = _DATE_TEXT.match(text)
    try:
        if match:
            day, month, year = (int(part) for part in match.groups())
            return datetime.date(year, month, day)
        match = _ISO_DATE.match(text)
        if match:
            year, month, day = (int(part) for part in match.groups())
            return datetime.date(year, month, day)
    except ValueError:
        pass
    raise CellError(
        _("“%(value)s” không phải là ngày hợp lệ; hãy nhập theo dạng ngày/tháng/năm (dd/mm/yyyy).")
        % {"value": text},
        code="invalid_date",
    )


def parse_card_number(value) -> str:
    """Digits only; spaces and dots typed for readability are dropped."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = clean_text(value).replace(" ", "").replace(".", "")
    if not text:
        return ""
    if not text.isdigit() or not text.isascii() or len(text) > CARD_NUMBER_MAX:
        raise CellError(
            _("Số thẻ đảng viên “%(value)s” phải gồm tối đa %(max)s chữ số.")
            % {"value": clean_text(value), "max": CARD_NUMBER_MAX},
            code="invalid_card_number",
        )
    return text


def parse_count(value, *, maximum: int = 10_000) -> int | None:
    """A whole number ≥ 0, also when stored as text ("12", "12.0", " 12 ")."""
    if value is None or is_blank(value):
        return None
    if isinstance(value, bool):
        value = int(value)
    try:
        number = Decimal(clean_text(value).replace(",", "."))
    except InvalidOperation:
        number = None
    if number is None or number != number.to_integral_value() or not 0 <= number <= maximum:
        raise CellError(
            _("“%(value)s” phải là một số nguyên từ 0 đến %(max)s.")
            % {"value": clean_text(value), "max": maximum},
            code="invalid_number",
        )
    return int(number)


YES = frozenset({"co", "x", "1", "true", "yes", "dung", "phai"})
NO = frozenset({"khong", "0", "false", "no", "sai"})


def parse_bool(value) -> bool | None:
    key = fold(value)
    if not key:
        return None
    if key in YES:
        return True
    if key in NO:
        return False
    raise CellError(
        _("“%(value)s” phải là “Có” hoặc “Không”.") % {"value": clean_text(value)},
        code="invalid_choice",
    )


class Choices:
    """A column's allowed values, matched by label (Vietnamese, or the interface's language),
    code or alias, in any case or Unicode form. Files are written with the Vietnamese labels."""

    def __init__(self, pairs: Iterable[tuple[str, Any]], *, aliases=None):
        self.pairs = list(pairs)
        self.aliases = dict(aliases or {})
        self._lookups: dict[str, dict[str, str]] = {}

    def _lookup(self) -> dict[str, str]:
        language = get_language() or ""
        if language not in self._lookups:
            lookup: dict[str, str] = {}
            for code_language in dict.fromkeys(("vi", language)):
                with override(code_language or "vi"):
                    for code, label in self.pairs:
                        lookup.setdefault(fold(str(label)), code)
            for code, _label in self.pairs:
                lookup.setdefault(fold(code), code)
            for alias, code in self.aliases.items():
                lookup.setdefault(fold(alias), code)
            self._lookups[language] = lookup
        return self._lookups[language]

    @property
    def labels(self) -> list[str]:
        """The Vietnamese labels, as the files carry them."""
        with override("vi"):
            return [str(label) for _code, label in self.pairs]

    def label(self, code: str) -> str:
        """A code's label in the interface's language."""
        return str(dict(self.pairs).get(code, code))

    def parse(self, value) -> str:
        key = fold(value)
        if not key:
            return ""
        lookup = self._lookup()
        if key in lookup:
            return lookup[key]
        raise CellError(
            _("“%(value)s” không có trong danh sách cho phép (%(allowed)s).")
            % {"value": clean_text(value), "allowed": "; ".join(self.labels)},
            code="invalid_choice",
        )


def show(value) -> str:
    """A value as the preview shows it: dates dd/mm/yyyy, booleans Có/Không, None as blank."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    return clean_text(value)
