"""An import from upload to application: the file kept privately, checked again on apply,
written all or nothing, and recorded (who, when, file name, SHA-256, counts)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members.imports.columns import MEMBER_COLUMNS, ORGANIZATION_COLUMNS
from members.imports.context import ImportContext
from members.imports.members import members_apply, members_preview
from members.imports.organizations import organizations_apply, organizations_preview
from members.imports.preview import ApplyFailed, ImportRefused, Preview
from members.imports.reader import check_file, opened, read_table
from members.models import ImportBatch, ImportKind

IMPORTERS = {
    ImportKind.ORGANIZATIONS: (ORGANIZATION_COLUMNS, organizations_preview, organizations_apply),
    ImportKind.MEMBERS: (MEMBER_COLUMNS, members_preview, members_apply),
}


#: How long a checked file's preview is kept: reloading the preview page does not parse the
#: file again. Applying always checks the file afresh against the database.
PREVIEW_CACHE_SECONDS = 10 * 60


def cached_preview(batch: ImportBatch, user, compute: Callable[[], Preview]) -> Preview:
    """The preview of a stored upload for one user, computed once and kept for a while."""
    key = f"import-preview:{batch.pk}:{batch.sha256}:{user.pk}:{int(batch.is_applied)}"
    preview = cache.get(key)
    if preview is None:
        preview = compute()
        cache.set(key, preview, PREVIEW_CACHE_SECONDS)
    return preview


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_preview(*, kind: str, data: bytes, ctx: ImportContext) -> Preview:
    """Every row checked against the file's own rows and the database; nothing is written."""
    columns, check, _apply = IMPORTERS[kind]
    try:
        with opened(data) as workbook:
            table = read_table(workbook, columns)
    except ImportRefused as refusal:
        return Preview(kind=kind, refused=refusal)
    return check(table, ctx)


def run_apply(
    preview: Preview,
    apply: Callable[[], None],
    *,
    record: Callable[[dict], ImportBatch],
) -> ImportBatch | None:
    """Apply in one transaction; a service's refusal rolls everything back and becomes an error
    of its row."""
    if not preview.ok:
        return None
    try:
        with transaction.atomic():
            apply()
            return record(preview.counts)
    except ApplyFailed as failure:
        preview.error(failure.row.ref, failure.row.row, failure.code, failure.message)
        return None


def file_apply(
    *, kind: str, data: bytes, ctx: ImportContext, batch: ImportBatch | None = None
) -> tuple[Preview, ImportBatch | None]:
    """Check the file again and write it, all rows or none; returns the preview and the batch
    (None when refused)."""
    preview = file_preview(kind=kind, data=data, ctx=ctx)
    _columns, _check, apply = IMPORTERS[kind]

    def record(counts: dict) -> ImportBatch:
        return batch_record(batch=batch, kind=kind, data=data, ctx=ctx, counts=_written(counts))

    return preview, run_apply(preview, lambda: apply(preview, ctx), record=record)


def _written(counts: dict) -> dict:
    return {key: counts[key] for key in ("added", "updated", "unchanged")}


def batch_store(*, kind: str, data: bytes, file_name: str, user, scope) -> ImportBatch:
    """Keep an upload privately under a generated name (MEDIA_ROOT/imports/<uuid>.xlsx).

    Raises ImportRefused for a file that is empty, too large, not an .xlsx workbook or a zip
    bomb: such a file is not stored.
    """
    check_file(data)
    batch = ImportBatch(
        kind=kind,
        file_name=file_name[-255:],
        size=len(data),
        sha256=sha256_of(data),
        uploaded_by=user,
        organization=scope,
    )
    batch.file.save("upload.xlsx", ContentFile(data), save=False)
    batch.full_clean()
    batch.save()
    return batch


def batch_data(batch: ImportBatch) -> bytes:
    """The stored file, refused if it no longer matches the checksum taken at upload."""
    try:
        with batch.file.open("rb") as stored:
            data = stored.read()
    except (OSError, ValueError):
        data = b""
    if sha256_of(data) != batch.sha256:
        raise ImportRefused(
            _("Tệp đã lưu không còn khớp mã kiểm tra; hãy tải tệp lên lại."), code="file_changed"
        )
    return data


def batch_record(
    *, batch: ImportBatch | None, kind: str, data: bytes, ctx: ImportContext, counts: dict
) -> ImportBatch:
    """Mark a batch applied (or create one, for the commands). Refuses a batch applied twice."""
    if batch is None:
        batch = ImportBatch(
            kind=kind,
            file_name=ctx.file_name[-255:],
            size=len(data),
            sha256=sha256_of(data),
            uploaded_by=ctx.user,
            organization=ctx.scope,
        )
    else:
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.applied_at is not None:
            raise ApplyFailed.already_applied(batch)
    batch.applied_at = timezone.now()
    batch.counts = counts
    batch.save()
    return batch


def earlier_application(batch: ImportBatch) -> ImportBatch | None:
    """The last time the same file (same checksum) was applied, if ever."""
    return (
        ImportBatch.objects.filter(kind=batch.kind, sha256=batch.sha256, applied_at__isnull=False)
        .exclude(pk=batch.pk)
        .select_related("uploaded_by")
        .order_by("-applied_at")
        .first()
    )
