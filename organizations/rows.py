"""`rows_insert`: many rows of one model written with one prepared statement, in every app.

For the write paths whose volume makes Django's per-value preparation in `bulk_create` the
cost: the history of ratings and the criterion scores (200,000 rows when the demo is built,
85 µs a row through `bulk_create`, under 10 µs here), the ratings a cycle opens with. Rows are
plain mappings by attribute name (`rating_id`, not `rating`), already checked by the service
that writes them; no `save()`, no signals, no primary keys returned.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db import connection, models, transaction
from django.db.models.constants import OnConflict
from django.utils import timezone

#: Field types whose Python values the database drivers take as they are.
_PLAIN_TYPES = frozenset(
    {
        "AutoField",
        "BigAutoField",
        "BigIntegerField",
        "BooleanField",
        "CharField",
        "EmailField",
        "ForeignKey",
        "IntegerField",
        "OneToOneField",
        "PositiveBigIntegerField",
        "PositiveIntegerField",
        "PositiveSmallIntegerField",
        "SlugField",
        "SmallAutoField",
        "SmallIntegerField",
        "TextField",
    }
)

#: Rows per statement on PostgreSQL (one multi-row VALUES, bound by the driver).
_BATCH = 1000


def rows_insert(
    model: type[models.Model],
    rows: Iterable[Mapping[str, Any] | models.Model],
    *,
    unique: Sequence[str] = (),
    update: Sequence[str] = (),
) -> int:
    """Insert `rows` (attribute name → value, or unsaved instances of `model`) into its table
    and return how many.

    A concrete field a row leaves out takes its default; an empty `auto_now`/`auto_now_add`
    field takes the same `timezone.now()` for every row; the primary key is the database's
    unless a row gives one. With `unique` and `update` (field names), a row that meets an
    existing one on `unique` updates its `update` columns instead (`ON CONFLICT … DO UPDATE`,
    on SQLite and PostgreSQL alike).
    """
    rows = list(rows)
    mappings = [row if isinstance(row, Mapping) else vars(row) for row in rows]
    if not mappings:
        return 0
    meta = model._meta
    now = timezone.now()
    attnames = {field.attname for field in meta.concrete_fields}
    for row in rows:
        if isinstance(row, Mapping) and not row.keys() <= attnames:
            # `{"changed_by": user}` would otherwise be dropped and stored as NULL.
            raise ValueError(f"not columns of {model.__name__}: {sorted(row.keys() - attnames)}")
    given_pks = [row.get(meta.pk.attname) is not None for row in mappings]
    if any(given_pks) and not all(given_pks):
        raise ValueError("either every row gives its primary key or none does")
    pk_given = all(given_pks)
    fields = [field for field in meta.concrete_fields if pk_given or not field.primary_key]
    stamped = [
        bool(getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False))
        for field in fields
    ]
    defaults = [
        now if is_stamped else None if field.primary_key else field.get_default()
        for field, is_stamped in zip(fields, stamped, strict=True)
    ]
    # A value the driver cannot take as it is is prepared once per distinct value: the rows
    # of one call share their timestamps and repeat a few scores.
    prepared_by_column: list[dict[Any, Any] | None] = [
        None if field.get_internal_type() in _PLAIN_TYPES else {} for field in fields
    ]
    # A row is read column by column with its default; then the few columns that need more (a
    # timestamp to stamp, a value the driver cannot take as it is) are fixed in place.
    defaulted = [(field.attname, default) for field, default in zip(fields, defaults, strict=True)]
    special = [
        (index, field, is_stamped, known)
        for index, (field, is_stamped, known) in enumerate(
            zip(fields, stamped, prepared_by_column, strict=True)
        )
        if is_stamped or known is not None
    ]
    prepared: list[list[Any]] = []
    for row in mappings:
        get = row.get
        values = [get(attname, default) for attname, default in defaulted]
        for index, field, is_stamped, known in special:
            value = values[index]
            if is_stamped and value is None:
                value = now
            values[index] = value if known is None else prepare_once(field, value, known)
        prepared.append(values)
    quote = connection.ops.quote_name
    head = (
        f"INSERT INTO {quote(meta.db_table)} "  # noqa: S608 - identifiers from the model's meta
        f"({', '.join(quote(field.column) for field in fields)}) VALUES "
    )
    suffix = ""
    if unique:
        suffix = " " + connection.ops.on_conflict_suffix_sql(
            fields,
            OnConflict.UPDATE,
            [_column(model, name) for name in update],
            [_column(model, name) for name in unique],
        )
    marks = "(" + ", ".join(["%s"] * len(fields)) + ")"
    # The batches stand or fall together, as bulk_create's do.
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            # The driver loops in C over one prepared statement: the fastest way in.
            cursor.executemany(head + marks + suffix, prepared)
        else:
            for start in range(0, len(prepared), _BATCH):
                batch = prepared[start : start + _BATCH]
                cursor.execute(
                    head + ", ".join([marks] * len(batch)) + suffix,
                    [value for values in batch for value in values],
                )
    return len(mappings)


def _column(model: type[models.Model], name: str) -> str:
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field):
        raise TypeError(f"{name} is not a column of {model.__name__}")
    return field.column


def prepare_once(field: models.Field, value: Any, known: dict[Any, Any]) -> Any:
    """`field.get_db_prep_save(value)`, remembered in `known` (one dict per column and call)
    for a hashable value, by type and value: True, 1 and 1.0 are equal in Python and prepared
    apart. A batch repeats few distinct scores, dates and timestamps."""
    key = (type(value), value)
    try:
        return known[key]
    except KeyError:
        result = known[key] = field.get_db_prep_save(value, connection)
        return result
    except TypeError:  # unhashable (a JSON value): prepared each time
        return field.get_db_prep_save(value, connection)
