"""Who imports, over which part of the tree, and reading one row's cells with their errors."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _

from members.imports.preview import Preview
from members.imports.reader import Table
from members.imports.values import CellError, is_blank
from organizations.models import GRASSROOTS_KINDS, ROOT_KINDS, Organization, Role
from organizations.permissions import active_assignments


@dataclass
class ImportContext:
    """The importer and his scope: a bloc (Organization Board), a grassroots unit (clerk), or
    None for the whole hierarchy (the management commands, run by administrators)."""

    user: User | None
    scope: Organization | None
    file_name: str = ""

    def covers(self, node: Organization) -> bool:
        return self.scope is None or node.path.startswith(self.scope.path)

    def may_change(self, node: Organization) -> bool:
        """A clerk works below his unit; the unit's own record is the Board's."""
        if not self.covers(node):
            return False
        if self.scope is not None and node.pk == self.scope.pk:
            return self.scope.kind in ROOT_KINDS
        return True


def import_scopes(user) -> list[Organization]:
    """The nodes a user may import into: blocs where he sits on the Organization Board, grassroots
    units where he is the clerk; every bloc for a superuser."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return list(Organization.objects.filter(kind__in=ROOT_KINDS))
    scopes = []
    for assignment in active_assignments(user):
        node = assignment.organization
        if (assignment.role == Role.ORGANIZATION_BOARD and node.kind in ROOT_KINDS) or (
            assignment.role == Role.CLERK and node.kind in GRASSROOTS_KINDS
        ):
            scopes.append(node)
    return list({node.pk: node for node in scopes}.values())


class RowReader:
    """One data row: each cell parsed, each failure kept with its cell reference."""

    def __init__(self, table: Table, number: int, values: tuple, preview: Preview, columns):
        self.table = table
        self.number = number
        self.values = values
        self.preview = preview
        self.labels = {column.key: column.label for column in columns}
        self.failed = False

    def ref(self, key: str) -> str:
        return self.table.ref(key, self.number)

    def raw(self, key: str):
        return self.table.get(self.values, key)

    def fail(self, key: str, code: str, message: str) -> None:
        self.failed = True
        self.preview.error(self.ref(key), self.number, code, message)

    def read(self, key: str, parse: Callable[[Any], Any], *, required: bool = False):
        value = self.raw(key)
        if is_blank(value):
            if required:
                self.fail(
                    key,
                    "required",
                    _("Cột “%(column)s” bắt buộc nhưng đang để trống.")
                    % {"column": self.labels[key]},
                )
            return None
        try:
            return parse(value)
        except CellError as error:
            self.fail(key, error.code, error.message)
            return None

    def fail_model(self, error: ValidationError, *, field_to_key: dict[str, str], first: str):
        """A model's full_clean/clean errors, each at the cell of its field."""
        if not hasattr(error, "error_dict"):
            for item in error.error_list:
                self.fail(first, item.code or "invalid", " ".join(item.messages))
            return
        for field, items in error.error_dict.items():
            key = field_to_key.get(field, field)
            if key not in self.table.columns or field == NON_FIELD_ERRORS:
                key = first
            for item in items:
                self.fail(key, item.code or "invalid", " ".join(item.messages))
