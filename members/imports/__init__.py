"""Bringing real data in from Excel: templates, a checked preview, an all-or-nothing apply.

- `reader`: the file checks (size, type, zip bomb) and finding the data by its header row;
- `values`: one cell in either Unicode form, dates, card numbers, numbers stored as text;
- `organizations`, `members`: checking rows against the file and the database, and applying
  them through the services;
- `templates`: the downloadable workbooks; `batches`: upload, preview, apply and record.
"""

from members.imports.batches import (
    batch_data,
    batch_record,
    batch_store,
    cached_preview,
    earlier_application,
    file_apply,
    file_preview,
    run_apply,
    sha256_of,
)
from members.imports.context import ImportContext, import_scopes
from members.imports.preview import (
    ADD,
    UNCHANGED,
    UPDATE,
    ApplyFailed,
    Change,
    ImportRefused,
    PlannedRow,
    Preview,
    RowError,
)
from members.imports.reader import IMPORT_MAX_BYTES
from members.imports.templates import members_template, organizations_template

__all__ = [
    "ADD",
    "IMPORT_MAX_BYTES",
    "UNCHANGED",
    "UPDATE",
    "ApplyFailed",
    "Change",
    "ImportContext",
    "ImportRefused",
    "PlannedRow",
    "Preview",
    "RowError",
    "batch_data",
    "batch_record",
    "batch_store",
    "cached_preview",
    "earlier_application",
    "file_apply",
    "file_preview",
    "import_scopes",
    "members_template",
    "organizations_template",
    "run_apply",
    "sha256_of",
]
