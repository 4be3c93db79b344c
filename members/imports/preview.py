"""What an import shows before it writes: rows to add, to update (old → new), in error."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

ADD = "add"
UPDATE = "update"
UNCHANGED = "unchanged"


class ImportRefused(Exception):
    """The whole file is refused (not Excel, too large, no header row …); nothing is written."""

    def __init__(self, message: str, *, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True)
class RowError:
    """One refused row, with the cell the clerk must fix (e.g. "Đảng viên!D7")."""

    ref: str
    row: int
    code: str
    message: str


@dataclass(frozen=True)
class Change:
    field: str
    label: str
    old: str
    new: str


@dataclass
class PlannedRow:
    """One valid row of the file and what applying it will do."""

    row: int
    ref: str
    label: str
    action: str
    changes: list[Change] = field(default_factory=list)
    payload: Any = None


@dataclass
class Preview:
    """The outcome of checking a whole file: only a file without errors may be applied."""

    kind: str
    sheet: str = ""
    rows: list[PlannedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    refused: ImportRefused | None = None

    @property
    def ok(self) -> bool:
        return self.refused is None and not self.errors

    def of(self, action: str) -> list[PlannedRow]:
        return [row for row in self.rows if row.action == action]

    @property
    def counts(self) -> dict[str, int]:
        counts = {ADD: 0, UPDATE: 0, UNCHANGED: 0}
        for row in self.rows:
            counts[row.action] += 1
        return {
            "added": counts[ADD],
            "updated": counts[UPDATE],
            "unchanged": counts[UNCHANGED],
            "errors": len(self.errors),
        }

    def error(self, ref: str, row: int, code: str, message: str) -> None:
        self.errors.append(RowError(ref=ref, row=row, code=code, message=message))

    def error_codes(self) -> set[str]:
        codes = {error.code for error in self.errors}
        if self.refused is not None:
            codes.add(self.refused.code)
        return codes


class ApplyFailed(Exception):
    """A service refused a row while applying: the transaction is rolled back."""

    def __init__(self, row: PlannedRow, code: str, message: str):
        super().__init__(message)
        self.row = row
        self.code = code
        self.message = message

    @classmethod
    def from_validation(cls, row: PlannedRow, error) -> ApplyFailed:
        items = error.error_list if not hasattr(error, "error_dict") else error.error_dict
        if isinstance(items, dict):
            items = [item for values in items.values() for item in values]
        code = next((item.code for item in items if item.code), "refused")
        return cls(row, code, " ".join(error.messages))

    @classmethod
    def already_applied(cls, batch) -> ApplyFailed:
        row = PlannedRow(row=0, ref="", label=batch.file_name, action=UNCHANGED)
        return cls(row, "already_applied", _("Tệp này đã được áp dụng; không áp dụng lại."))
