"""Writes to members: admission, transfers, leaving, each kept as a membership event; status
periods and discipline, the facts the review rules read. Each write announces itself through
`members.signals.member_changed` so that an open cycle follows it."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import DisciplineRecord, Member, MembershipEvent, StatusPeriod
from members.signals import MemberChange, member_changed
from organizations.models import Organization

#: Member fields a plain update may change (the cell changes by transfer, leaving by
#: `member_leave`).
MEMBER_UPDATE_FIELDS = frozenset(
    {
        "full_name",
        "gender",
        "date_of_birth",
        "card_number",
        "admitted_on",
        "official_on",
        "is_civil_servant",
        "outside_political_system",
        "leadership_post",
        "managing_level",
    }
)


#: What a status period holds besides its member.
STATUS_PERIOD_FIELDS = ("kind", "starts_on", "ends_on", "reference", "note")


def _announce(member: Member, change: str, acting_user: User | None, **extra: Any) -> None:
    member_changed.send(
        sender=Member, member=member, change=change, acting_user=acting_user, **extra
    )


def _validate(member: Member) -> None:
    """Field and one-row checks in Python; the card number's uniqueness in one query.

    Django's constraint validation would run one query per CheckConstraint that `clean()`
    already checks in Python (measured 21.7 s → 4.6 s for the demo's 5,000 members); the
    database still enforces every constraint.
    """
    # The cell is a saved instance handed in by the caller: checking that it exists would be a
    # query per member for nothing (the foreign key still holds in the database).
    cell_field = Member._meta.get_field("organization")
    given_cell = cell_field.is_cached(member) and not member.organization._state.adding
    member.full_clean(
        exclude=["sort_key", *(["organization"] if given_cell else [])],
        validate_constraints=False,
    )
    card = member.card_number.strip()
    if card and Member.objects.filter(card_number=card).exclude(pk=member.pk).exists():
        raise ValidationError(
            {"card_number": _("Số thẻ đảng viên %(card)s đã có trong hệ thống.") % {"card": card}},
            code="card_number_taken",
        )


@transaction.atomic
def member_create(
    *,
    organization: Organization,
    full_name: str,
    acting_user: User | None = None,
    transferred_in_on: datetime.date | None = None,
    transferred_from: str = "",
    **fields: Any,
) -> Member:
    """Register a member in a cell: admitted here, or transferred in from outside the bloc."""
    member = Member(organization=organization, full_name=full_name, **fields)
    _validate(member)
    member.save()
    if transferred_in_on:
        event = MembershipEvent(
            member=member,
            kind=MembershipEvent.Kind.TRANSFER_IN,
            occurred_on=transferred_in_on,
            to_organization=organization,
            outside_party_body=transferred_from,
            recorded_by=acting_user,
        )
    else:
        event = MembershipEvent(
            member=member,
            kind=MembershipEvent.Kind.ADMITTED,
            occurred_on=member.admitted_on,
            to_organization=organization,
            recorded_by=acting_user,
        )
    event.save()
    _announce(member, MemberChange.REGISTERED, acting_user)
    return member


@transaction.atomic
def member_update(*, member: Member, acting_user: User | None = None, **fields: Any) -> Member:
    """Correct a member's own fields (name, dates, posts); the admin and the import call it.

    Raises ValidationError(code="unknown_field") for a field outside MEMBER_UPDATE_FIELDS.
    """
    unknown = set(fields) - MEMBER_UPDATE_FIELDS
    if unknown:
        raise ValidationError(
            _("Không thể thay đổi: %(fields)s.") % {"fields": ", ".join(sorted(unknown))},
            code="unknown_field",
        )
    member = Member.objects.select_for_update().get(pk=member.pk)
    changed = [name for name, value in fields.items() if getattr(member, name) != value]
    if not changed:
        return member
    for name in changed:
        setattr(member, name, fields[name])
    member.full_clean(exclude=["sort_key"])
    member.save(update_fields=[*changed, "updated_at"])
    _announce(member, MemberChange.FACTS, acting_user)
    return member


@transaction.atomic
def member_transfer(
    *,
    member: Member,
    to_organization: Organization,
    on: datetime.date,
    acting_user: User | None = None,
    note: str = "",
) -> Member:
    """Move a member to another cell of the bloc; the old cell stays in his history."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    if member.left_on:
        raise ValidationError(_("Đảng viên đã ra khỏi Đảng bộ."), code="member_left")
    if to_organization.pk == member.organization_id:
        return member
    from_organization = member.organization
    member.organization = to_organization
    _validate(member)
    member.save(update_fields=["organization", "updated_at"])
    MembershipEvent.objects.create(
        member=member,
        kind=MembershipEvent.Kind.TRANSFER_INTERNAL,
        occurred_on=on,
        from_organization=from_organization,
        to_organization=to_organization,
        recorded_by=acting_user,
        note=note,
    )
    _announce(
        member,
        MemberChange.TRANSFERRED,
        acting_user,
        from_organization=from_organization,
        on=on,
    )
    return member


@transaction.atomic
def members_reassign(
    *,
    from_organization: Organization,
    to_organization: Organization,
    on: datetime.date,
    acting_user: User | None = None,
    note: str = "",
) -> int:
    """Move every member on the roll of a cell to its successor after a reorganization (DOMAIN.md
    §15), in bulk: one event per member ("Chuyển theo sắp xếp tổ chức"), then each change is
    announced so open cycles follow. Returns how many moved."""
    members = list(
        Member.objects.select_for_update()
        .filter(organization=from_organization, left_on__isnull=True)
        .order_by("pk")
    )
    if not members:
        return 0
    if not to_organization.holds_members:
        raise ValidationError(
            _("%(name)s không trực tiếp quản lý đảng viên.") % {"name": to_organization.name},
            code="not_a_cell",
        )
    Member.objects.filter(pk__in=[m.pk for m in members]).update(
        organization=to_organization, updated_at=timezone.now()
    )
    MembershipEvent.objects.bulk_create(
        MembershipEvent(
            member=member,
            kind=MembershipEvent.Kind.REORGANIZED,
            occurred_on=on,
            from_organization=from_organization,
            to_organization=to_organization,
            recorded_by=acting_user,
            note=note,
        )
        for member in members
    )
    for member in members:
        member.organization = to_organization
    # One announcement for the whole cell: an app that follows the members checks once
    # whether anything is open over the cell (5,000 checks saved in the demo's reorganization).
    member_changed.send(
        sender=Member,
        member=None,
        members=members,
        change=MemberChange.TRANSFERRED,
        acting_user=acting_user,
        from_organization=from_organization,
        on=on,
    )
    return len(members)


@transaction.atomic
def member_leave(
    *,
    member: Member,
    on: datetime.date,
    reason: str,
    acting_user: User | None = None,
    destination: str = "",
) -> Member:
    """A member leaves the bloc's roll: transferred out, deceased, expelled or struck off."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    member.left_on = on
    member.left_reason = reason
    _validate(member)
    member.save(update_fields=["left_on", "left_reason", "updated_at"])
    MembershipEvent.objects.create(
        member=member,
        kind=MembershipEvent.Kind.LEFT,
        occurred_on=on,
        from_organization=member.organization,
        outside_party_body=destination,
        recorded_by=acting_user,
        note=member.get_left_reason_display(),
    )
    return member


@transaction.atomic
def member_discipline(
    *,
    member: Member,
    form: str,
    decision_number: str,
    decided_on: datetime.date,
    violation: str,
    issued_by: str = "",
    counted_year: int | None = None,
    duty_related: bool = True,
    self_remedied: bool = False,
    acting_user: User | None = None,
) -> DisciplineRecord:
    """Record a disciplinary decision (counted once, in `counted_year`, default its year)."""
    record = DisciplineRecord(
        member=member,
        form=form,
        decision_number=decision_number.strip(),
        decided_on=decided_on,
        violation=violation,
        issued_by=issued_by,
        counted_year=counted_year or decided_on.year,
        duty_related=duty_related,
        self_remedied=self_remedied,
    )
    record.full_clean()
    record.save()
    _announce(member, MemberChange.FACTS, acting_user)
    return record


@transaction.atomic
def discipline_record_update(
    *, record: DisciplineRecord, acting_user: User | None = None, **fields: Any
) -> DisciplineRecord:
    """Correct a recorded disciplinary decision (a typing error in its number, date, year)."""
    record = DisciplineRecord.objects.select_for_update().get(pk=record.pk)
    for name, value in fields.items():
        setattr(record, name, value)
    record.full_clean()
    record.save()
    _announce(record.member, MemberChange.FACTS, acting_user)
    return record


@transaction.atomic
def discipline_record_delete(*, record: DisciplineRecord, acting_user: User | None = None) -> None:
    """Delete a disciplinary decision entered by mistake; the member's ratings follow."""
    member = record.member
    record.delete()
    _announce(member, MemberChange.FACTS, acting_user)


@transaction.atomic
def status_period_record(
    *,
    member: Member,
    acting_user: User | None = None,
    period: StatusPeriod | None = None,
    **fields: Any,
) -> StatusPeriod:
    """Add (or correct) an exemption, suspension, leave or temporary attendance (DOMAIN.md §4)."""
    period = period or StatusPeriod(member=member)
    period.member = member
    for name, value in fields.items():
        setattr(period, name, value)
    period.full_clean()
    period.save()
    _announce(member, MemberChange.FACTS, acting_user)
    return period


@transaction.atomic
def status_period_delete(*, period: StatusPeriod, acting_user: User | None = None) -> None:
    member = period.member
    period.delete()
    _announce(member, MemberChange.FACTS, acting_user)
