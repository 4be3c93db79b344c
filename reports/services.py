"""Writes of the reports app: the fields an issuer fills on a report before it goes out."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from organizations.models import Organization
from organizations.services import refuse_unknown_fields
from reports.models import DOCUMENT_FIELD_NAMES, DocumentFields, DocumentFieldsChange
from reviews.models import ReviewCycle
from reviews.permissions import unit_is_locked_path


def _shown(value: Any) -> Any:
    return value.strftime("%d/%m/%Y") if isinstance(value, datetime.date) else value


def _clean(name: str, value: Any) -> Any:
    if isinstance(value, str):
        lines = value.replace("\r\n", "\n").split("\n")
        text = "\n".join(line.strip() for line in lines if line.strip())
        return text if name in ("recipients", "proposals") else " ".join(text.split())
    return value


@transaction.atomic
def document_fields_save(
    *, cycle: ReviewCycle, organization: Organization, acting_user: User | None, **fields: Any
) -> DocumentFields:
    """Keep the number, date, signer, recipients and proposals of a node's report; each change
    is recorded (old → new). Raises ValidationError: unknown_field, cycle_not_open,
    submission_locked, too_long, and the model's own."""
    refuse_unknown_fields(fields, DOCUMENT_FIELD_NAMES)
    if not cycle.is_open:
        raise ValidationError(
            _("Kỳ đánh giá không mở: không sửa được thông tin văn bản."), code="cycle_not_open"
        )
    if organization.is_grassroots and unit_is_locked_path(cycle, organization.path):
        raise ValidationError(
            _("Báo cáo của đơn vị đã gửi hoặc đã được phê duyệt: văn bản giữ như đã gửi."),
            code="submission_locked",
        )
    document, _created = DocumentFields.objects.select_for_update().get_or_create(
        cycle=cycle, organization=organization
    )
    cleaned = {name: _clean(name, value) for name, value in fields.items()}
    for name, value in cleaned.items():
        limit = DocumentFields._meta.get_field(name).max_length
        if isinstance(value, str) and limit and len(value) > limit:
            raise ValidationError(
                {
                    name: ValidationError(
                        _("Dài quá %(limit)s ký tự."), code="too_long", params={"limit": limit}
                    )
                }
            )
    changed = [name for name, value in cleaned.items() if getattr(document, name) != value]
    if not changed:
        return document
    old = {name: _shown(getattr(document, name)) for name in changed}
    for name in changed:
        setattr(document, name, cleaned[name])
    document.updated_by = acting_user
    document.updated_at = timezone.now()
    document.full_clean()
    document.save()
    DocumentFieldsChange.objects.create(
        document=document,
        old_values=old,
        new_values={name: _shown(cleaned[name]) for name in changed},
        changed_by=acting_user,
    )
    return document
