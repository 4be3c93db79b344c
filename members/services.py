"""Writes to members: admission, transfers, leaving, each kept as a membership event; status
periods and discipline, the facts the review rules read. Each write announces itself through
`members.signals.member_changed` so that an open cycle follows it."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import (
    CollectiveMembership,
    DisciplineRecord,
    FactChange,
    LeadershipCollective,
    Member,
    MembershipEvent,
    SeatRole,
    StatusPeriod,
    second_head_error,
)
from members.signals import MemberChange, member_changed, member_facts_changing
from organizations.models import Organization
from organizations.services import refuse_unknown_fields

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
        "account",
    }
)


#: What a status period holds besides its member.
STATUS_PERIOD_FIELDS = ("kind", "starts_on", "ends_on", "reference", "note")
#: What a disciplinary decision holds besides its member.
DISCIPLINE_FIELDS = (
    "form",
    "decision_number",
    "decided_on",
    "counted_year",
    "violation",
    "issued_by",
    "duty_related",
    "self_remedied",
)
#: What a leadership collective and a seat in it hold.
COLLECTIVE_FIELDS = ("organization", "name", "kind", "managing_level", "formed_on", "dissolved_on")
SEAT_FIELDS = ("member", "position", "role", "starts_on", "ends_on")


def _shown(value: Any) -> Any:
    """A value as the history keeps it (JSON): dates in ISO form, related rows by name."""
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _values(instance: Any, names: Sequence[str]) -> dict[str, Any]:
    return {name: _shown(getattr(instance, name)) for name in names}


def _difference(
    old: Mapping[str, Any], new: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """What changed, as old and new values; a new or deleted record keeps all its values."""
    if not old or not new:
        return dict(old), dict(new)
    changed = [name for name in new if old.get(name) != new[name]]
    return {name: old.get(name) for name in changed}, {name: new[name] for name in changed}


def _links(record: Any) -> dict[str, Any]:
    """The member and the collective a history row is filed under."""
    if isinstance(record, Member):
        return {"member": record}
    if isinstance(record, LeadershipCollective):
        return {"collective": record}
    return {"member": record.member, "collective": getattr(record, "collective", None)}


def _history(
    *,
    subject: str,
    action: str,
    instance: Any,
    acting_user: User | None,
    old: Mapping[str, Any] | None = None,
    new: Mapping[str, Any] | None = None,
    save: bool = True,
) -> FactChange:
    """One history row: who changed which record, when, from what to what (issue #18); with
    save=False, unsaved, for a batch to insert in bulk."""
    old_values, new_values = _difference(old or {}, new or {})
    row = FactChange(
        subject=subject,
        action=action,
        record_id=instance.pk,
        label=str(instance)[:255],
        old_values=old_values,
        new_values=new_values,
        changed_by=acting_user,
        **_links(instance),
    )
    if save:
        row.save()
    return row


def _save_recorded(
    record: Any,
    *,
    subject: str,
    names: Sequence[str],
    fields: Mapping[str, Any],
    acting_user: User | None,
) -> tuple[Any, bool]:
    """Create `record` (unsaved) or correct it (locked and read again first): set `fields`,
    check, save, and record what changed of `names` in the history. Returns the saved record
    and whether anything changed."""
    old: dict[str, Any] = {}
    adding = record.pk is None
    if not adding:
        record = type(record)._default_manager.select_for_update().get(pk=record.pk)
        old = _values(record, names)
    for name, value in fields.items():
        setattr(record, name, value)
    record.full_clean()
    record.save()
    new = _values(record, names)
    if new == old:
        return record, False
    _history(
        subject=subject,
        action=FactChange.Action.CREATED if adding else FactChange.Action.UPDATED,
        instance=record,
        acting_user=acting_user,
        old=old,
        new=new,
    )
    return record, True


def _announce(member: Member, change: str, acting_user: User | None, **extra: Any) -> None:
    member_changed.send(
        sender=Member, member=member, change=change, acting_user=acting_user, **extra
    )


@contextmanager
def _facts_changing(member: Member, acting_user: User | None) -> Iterator[None]:
    """Around a write to the member's facts: tells listeners before, announces the change
    after (`member_changed`), then calls what listeners asked to be called once it is applied
    (see `members.signals.member_facts_changing`)."""
    responses = member_facts_changing.send(sender=Member, member=member, acting_user=acting_user)
    yield
    _announce(member, MemberChange.FACTS, acting_user)
    for _receiver, after in responses:
        if callable(after):
            after()


def _fact_delete(
    instance: DisciplineRecord | StatusPeriod,
    *,
    subject: str,
    names: Sequence[str],
    acting_user: User | None,
) -> None:
    """Delete one of a member's facts; its last values stay in the history."""
    with _facts_changing(instance.member, acting_user):
        _history(
            subject=subject,
            action=FactChange.Action.DELETED,
            instance=instance,
            acting_user=acting_user,
            old=_values(instance, names),
        )
        instance.delete()


def _announce_batch(
    members: Sequence[Member], change: str, acting_user: User | None, *, per_cell: bool = True
) -> None:
    """One announcement per cell for many members, or one for the whole batch of a
    registration (see `members.signals`)."""
    if not per_cell:
        if members:
            member_changed.send(
                sender=Member,
                member=None,
                members=list(members),
                change=change,
                acting_user=acting_user,
            )
        return
    by_cell: dict[int, list[Member]] = defaultdict(list)
    for member in members:
        by_cell[member.organization_id].append(member)
    for cell_members in by_cell.values():
        member_changed.send(
            sender=Member,
            member=None,
            members=cell_members,
            change=change,
            acting_user=acting_user,
        )


def _validate(member: Member) -> None:
    """Field and one-row checks in Python; the card number's uniqueness in one query."""
    _validate_fields(member)
    card = member.card_number.strip()
    if card and Member.objects.filter(card_number=card).exclude(pk=member.pk).exists():
        raise _card_taken(card)


def _validate_fields(member: Member) -> None:
    """Field and one-row checks in Python, no query.

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


class RegistrationRefused(ValidationError):
    """`members_register` refused one entry; `index` is its place in the batch."""

    def __init__(self, error: ValidationError, *, index: int) -> None:
        super().__init__(error.error_dict if hasattr(error, "error_dict") else error.error_list)
        self.error = error
        self.index = index


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
    entry = {
        "organization": organization,
        "full_name": full_name,
        "transferred_in_on": transferred_in_on,
        "transferred_from": transferred_from,
        **fields,
    }
    try:
        return members_register(entries=[entry], acting_user=acting_user)[0]
    except RegistrationRefused as refused:
        raise refused.error from None


@transaction.atomic
def members_register(
    *, entries: Sequence[Mapping[str, Any]], acting_user: User | None = None
) -> list[Member]:
    """Register many members at once (the demo, an import, one member from a form): each entry
    holds the keyword arguments of `member_create`. Each is checked as one would be, card numbers
    in one query, then members and their first events ("Kết nạp" or "Chuyển đến") are inserted
    in bulk, and each cell's newcomers are announced once, so that an open cycle follows them.

    Nothing is written unless every entry passes; RegistrationRefused names the first that
    does not (codes of `Member.clean` and card_number_taken).
    """
    members: list[Member] = []
    arrivals: list[tuple[datetime.date | None, str]] = []
    for index, entry in enumerate(entries):
        fields = dict(entry)
        arrivals.append((fields.pop("transferred_in_on", None), fields.pop("transferred_from", "")))
        member = Member(**fields)
        member.normalize()
        try:
            _validate_fields(member)
        except ValidationError as error:
            raise RegistrationRefused(error, index=index) from None
        members.append(member)
    _check_cards_free(members)
    Member.objects.bulk_create(members, batch_size=500)
    events = []
    for member, (transferred_in_on, transferred_from) in zip(members, arrivals, strict=True):
        if transferred_in_on:
            kind, occurred_on = MembershipEvent.Kind.TRANSFER_IN, transferred_in_on
        else:
            kind, occurred_on = MembershipEvent.Kind.ADMITTED, member.admitted_on
        events.append(
            MembershipEvent(
                member=member,
                kind=kind,
                occurred_on=occurred_on,
                to_organization=member.organization,
                outside_party_body=transferred_from,
                changed_by=acting_user,
            )
        )
    MembershipEvent.objects.bulk_create(events, batch_size=500)
    _announce_batch(members, MemberChange.REGISTERED, acting_user, per_cell=False)
    return members


def _check_cards_free(members: Sequence[Member]) -> None:
    """A card number is held by one member: against the database in one query, and within the
    batch."""
    seen: dict[str, int] = {}
    for index, member in enumerate(members):
        if member.card_number and member.card_number in seen:
            raise RegistrationRefused(_card_taken(member.card_number), index=index)
        if member.card_number:
            seen[member.card_number] = index
    taken = set(
        Member.objects.filter(card_number__in=list(seen)).values_list("card_number", flat=True)
    )
    if taken:
        card = min(taken, key=seen.__getitem__)
        raise RegistrationRefused(_card_taken(card), index=seen[card])


def _card_taken(card: str) -> ValidationError:
    return ValidationError(
        {"card_number": _("Số thẻ đảng viên %(card)s đã có trong hệ thống.") % {"card": card}},
        code="card_number_taken",
    )


@transaction.atomic
def member_update(*, member: Member, acting_user: User | None = None, **fields: Any) -> Member:
    """Correct a member's own fields (name, dates, posts); the admin and the import call it.

    Raises ValidationError(code="unknown_field") for a field outside MEMBER_UPDATE_FIELDS.
    """
    refuse_unknown_fields(fields, MEMBER_UPDATE_FIELDS)
    member = Member.objects.select_for_update().get(pk=member.pk)
    changed = [name for name, value in fields.items() if getattr(member, name) != value]
    if not changed:
        return member
    old = _values(member, changed)
    with _facts_changing(member, acting_user):
        for name in changed:
            setattr(member, name, fields[name])
        member.full_clean(exclude=["sort_key"])
        member.save(update_fields=[*changed, "updated_at"])
        _history(
            subject=FactChange.Subject.MEMBER,
            action=FactChange.Action.UPDATED,
            instance=member,
            acting_user=acting_user,
            old=old,
            new=_values(member, changed),
        )
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
        changed_by=acting_user,
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
            changed_by=acting_user,
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
        changed_by=acting_user,
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
    with _facts_changing(member, acting_user):
        record, _changed = _save_recorded(
            DisciplineRecord(member=member),
            subject=FactChange.Subject.DISCIPLINE,
            names=DISCIPLINE_FIELDS,
            fields={
                "form": form,
                "decision_number": decision_number.strip(),
                "decided_on": decided_on,
                "violation": violation,
                "issued_by": issued_by,
                "counted_year": counted_year or decided_on.year,
                "duty_related": duty_related,
                "self_remedied": self_remedied,
            },
            acting_user=acting_user,
        )
    return record


@transaction.atomic
def discipline_record_update(
    *, record: DisciplineRecord, acting_user: User | None = None, **fields: Any
) -> DisciplineRecord:
    """Correct a recorded disciplinary decision (a typing error in its number, date, year)."""
    with _facts_changing(record.member, acting_user):
        record, _changed = _save_recorded(
            record,
            subject=FactChange.Subject.DISCIPLINE,
            names=DISCIPLINE_FIELDS,
            fields=fields,
            acting_user=acting_user,
        )
    return record


@transaction.atomic
def discipline_record_delete(*, record: DisciplineRecord, acting_user: User | None = None) -> None:
    """Delete a disciplinary decision entered by mistake; its values stay in the history and
    the member's ratings follow (a decision resting on it is flagged for review, see
    `members.signals.member_facts_changing`)."""
    _fact_delete(
        record,
        subject=FactChange.Subject.DISCIPLINE,
        names=DISCIPLINE_FIELDS,
        acting_user=acting_user,
    )


@transaction.atomic
def status_period_record(
    *,
    member: Member,
    acting_user: User | None = None,
    period: StatusPeriod | None = None,
    **fields: Any,
) -> StatusPeriod:
    """Add (or correct) an exemption, suspension, leave or temporary attendance (DOMAIN.md §4)."""
    with _facts_changing(member, acting_user):
        period, _changed = _save_recorded(
            period or StatusPeriod(member=member),
            subject=FactChange.Subject.STATUS_PERIOD,
            names=STATUS_PERIOD_FIELDS,
            fields={**fields, "member": member},
            acting_user=acting_user,
        )
    return period


@transaction.atomic
def status_period_delete(*, period: StatusPeriod, acting_user: User | None = None) -> None:
    """Delete a status period entered by mistake; as `discipline_record_delete`."""
    _fact_delete(
        period,
        subject=FactChange.Subject.STATUS_PERIOD,
        names=STATUS_PERIOD_FIELDS,
        acting_user=acting_user,
    )


@transaction.atomic
def collective_save(
    *,
    acting_user: User | None,
    collective: LeadershipCollective | None = None,
    **fields: Any,
) -> LeadershipCollective:
    """Create a leadership collective (no `collective`) or correct one (the fields of
    COLLECTIVE_FIELDS); recorded in the history."""
    refuse_unknown_fields(fields, COLLECTIVE_FIELDS)
    collective, _changed = _save_recorded(
        collective or LeadershipCollective(),
        subject=FactChange.Subject.COLLECTIVE,
        names=COLLECTIVE_FIELDS,
        fields=fields,
        acting_user=acting_user,
    )
    return collective


def _lock_collectives(pks: set[int]) -> None:
    """Lock the collectives' rows until the transaction ends (one head at a time)."""
    if pks:
        list(LeadershipCollective.objects.select_for_update().filter(pk__in=pks).values("pk"))


@transaction.atomic
def seat_save(
    *,
    collective: LeadershipCollective,
    acting_user: User | None,
    seat: CollectiveMembership | None = None,
    **fields: Any,
) -> CollectiveMembership:
    """Give a member a seat in a collective, or correct one (SEAT_FIELDS); recorded in the
    history, and the member's ratings in an open cycle follow (a leader's seat decides who
    rates him, DOMAIN.md §6). The collective's row is locked first, so two heads cannot be
    seated at once past the one-head check."""
    refuse_unknown_fields(fields, SEAT_FIELDS)
    _lock_collectives({collective.pk})
    seat, changed = _save_recorded(
        seat or CollectiveMembership(),
        subject=FactChange.Subject.SEAT,
        names=SEAT_FIELDS,
        fields={**fields, "collective": collective},
        acting_user=acting_user,
    )
    if changed:
        _announce(seat.member, MemberChange.FACTS, acting_user)
    return seat


@transaction.atomic
def seat_delete(*, seat: CollectiveMembership, acting_user: User | None) -> None:
    """Remove a seat entered by mistake (a seat that ended is given its end date instead); its
    values stay in the history and the member's ratings follow."""
    member = seat.member
    _history(
        subject=FactChange.Subject.SEAT,
        action=FactChange.Action.DELETED,
        instance=seat,
        acting_user=acting_user,
        old=_values(seat, SEAT_FIELDS),
    )
    seat.delete()
    _announce(member, MemberChange.FACTS, acting_user)


def _check_seats_batch(seats: Sequence[CollectiveMembership]) -> None:
    """What `full_clean` checks of each seat, with the checks that read the database done once
    for the batch: that its collective and member exist, that it is not already recorded, and
    the table's date rule (per seat that was 4 queries: 1,000 seats at the demo's congresses).
    A seat the batch checks find at fault goes through `full_clean`, which raises Django's own
    message for it."""
    for seat in seats:
        seat.full_clean(
            exclude=["collective", "member"], validate_unique=False, validate_constraints=False
        )
    suspects = [
        seat
        for seat in seats
        if seat.collective_id is None
        or seat.member_id is None
        or (seat.ends_on is not None and seat.ends_on < seat.starts_on)
    ]
    collectives = {seat.collective_id for seat in seats}
    members = {seat.member_id for seat in seats}
    # As ForeignKey.validate looks: through the base managers.
    if LeadershipCollective._base_manager.filter(pk__in=collectives).count() != len(
        collectives
    ) or Member._base_manager.filter(pk__in=members).count() != len(members):
        suspects = list(seats)
    recorded = set(
        CollectiveMembership.objects.filter(collective_id__in=collectives, member_id__in=members)
        .order_by()
        .values_list("collective_id", "member_id", "starts_on")
    )
    suspects += [s for s in seats if (s.collective_id, s.member_id, s.starts_on) in recorded]
    for seat in suspects:
        seat.full_clean()


@transaction.atomic
def seats_add(
    *, seats: Sequence[CollectiveMembership], acting_user: User | None
) -> list[CollectiveMembership]:
    """Seat many members at once (a collective elected at a congress): each seat checked as
    `seat_save` checks it, inserted in bulk, each recorded in the history, and the members'
    ratings in an open cycle follow."""
    heads: list[CollectiveMembership] = []
    _lock_collectives({seat.collective_id for seat in seats if seat.role == SeatRole.HEAD})
    _check_seats_batch(seats)
    for seat in seats:
        if seat.role == SeatRole.HEAD:
            other = next(
                (h for h in heads if h.collective_id == seat.collective_id and seat.overlaps(h)),
                None,
            )
            if other is not None:
                raise second_head_error(other)
            heads.append(seat)
    created = CollectiveMembership.objects.bulk_create(seats, batch_size=500)
    FactChange.objects.bulk_create(
        _history(
            subject=FactChange.Subject.SEAT,
            action=FactChange.Action.CREATED,
            instance=seat,
            acting_user=acting_user,
            new=_values(seat, SEAT_FIELDS),
            save=False,
        )
        for seat in created
    )
    _announce_batch([seat.member for seat in created], MemberChange.FACTS, acting_user)
    return created


@transaction.atomic
def collectives_dissolve(
    *, collectives: Sequence[LeadershipCollective], on: datetime.date, acting_user: User | None
) -> None:
    """End collectives on `on` (a reorganization, a new term): every seat still held ends the
    day before; each change is recorded in the history and the members' ratings follow."""
    collectives = [c for c in collectives if c.dissolved_on is None]
    if not collectives:
        return
    last_day = on - datetime.timedelta(days=1)
    seats = list(
        CollectiveMembership.objects.filter(
            collective__in=collectives, ends_on__isnull=True
        ).select_related("member", "collective")
    )
    LeadershipCollective.objects.filter(pk__in=[c.pk for c in collectives]).update(dissolved_on=on)
    CollectiveMembership.objects.filter(pk__in=[s.pk for s in seats]).update(ends_on=last_day)
    history = [
        _history(
            subject=FactChange.Subject.COLLECTIVE,
            action=FactChange.Action.UPDATED,
            instance=collective,
            acting_user=acting_user,
            old={"dissolved_on": None},
            new={"dissolved_on": on.isoformat()},
            save=False,
        )
        for collective in collectives
    ]
    history += [
        _history(
            subject=FactChange.Subject.SEAT,
            action=FactChange.Action.UPDATED,
            instance=seat,
            acting_user=acting_user,
            old={"ends_on": None},
            new={"ends_on": last_day.isoformat()},
            save=False,
        )
        for seat in seats
    ]
    FactChange.objects.bulk_create(history, batch_size=500)
    for collective in collectives:
        collective.dissolved_on = on
    _announce_batch([seat.member for seat in seats], MemberChange.FACTS, acting_user)
