"""Recording a review meeting's minutes (biên bản hội nghị kiểm điểm; QĐ 366-QĐ/TW; HD 43).

Attendance is checked against those who belong to the meeting: a cell's members in the cycle
(its roster of ratings), or the seats of a committee's collectives on the day. The draft
collective report goes to the participants at least 3 working days before: a later one is
warned about, not refused (the body may have had its reasons; the warning is on the page).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import CollectiveMembership, Member
from organizations.models import MEMBER_HOLDING_KINDS, Organization
from organizations.text import field_label, thousands_text
from reviews.models import (
    CONCLUSIONS_MAX_LENGTH,
    MeetingAttendance,
    Rating,
    ReviewCycle,
    ReviewMeeting,
    ReviewMeetingChange,
    SubjectKind,
)
from reviews.permissions import unit_is_locked_path

ABSENCE_REASON_MAX_LENGTH = MeetingAttendance._meta.get_field("absence_reason").max_length or 255
#: HD 43: "gửi dự thảo báo cáo kiểm điểm … cho người dự hội nghị ít nhất 3 ngày làm việc".
DRAFT_LEAD_WORKING_DAYS = 3
#: The order the minutes list the subjects in: the body itself, its collectives, then members,
#: then the leaders among them (a leader is reviewed at his cell as a member first).
SUBJECT_ORDER = {
    SubjectKind.ORGANIZATION: 0,
    SubjectKind.COLLECTIVE: 1,
    SubjectKind.MEMBER: 2,
    SubjectKind.LEADER: 3,
}
MEETING_FIELDS = (
    "held_on",
    "starts_at",
    "place",
    "chair",
    "secretary",
    "draft_sent_on",
    "conclusions",
)


@dataclass(frozen=True)
class Presence:
    """One line of the attendance as typed: the member, present or not, why not."""

    member_id: int
    present: bool
    reason: str = ""


def working_days_between(sent_on: datetime.date, held_on: datetime.date) -> int:
    """Working days (Monday to Friday) strictly between the day the draft was sent and the
    meeting day: sent on Friday for a Thursday meeting gives 3 (Monday to Wednesday), sent on
    Monday gives 2. "Ít nhất 3 ngày làm việc trước hội nghị" read strictly (interpretation):
    neither the day of sending nor the meeting day counts. Public holidays are not known to
    kiemdiem and count as working days."""
    days = 0
    day = sent_on + datetime.timedelta(days=1)
    while day < held_on:
        if day.weekday() < 5:
            days += 1
        day += datetime.timedelta(days=1)
    return days


def draft_warning(meeting: ReviewMeeting) -> str:
    """The warning shown when the draft report went out late or not at all; '' when in time."""
    if meeting.draft_sent_on is None:
        return _(
            "Chưa ghi ngày gửi dự thảo báo cáo kiểm điểm: dự thảo phải gửi người dự hội nghị "
            "ít nhất %(days)s ngày làm việc trước (HD 43-HD/BTCTW)."
        ) % {"days": DRAFT_LEAD_WORKING_DAYS}
    lead = working_days_between(meeting.draft_sent_on, meeting.held_on)
    if lead < DRAFT_LEAD_WORKING_DAYS:
        return _(
            "Dự thảo báo cáo kiểm điểm gửi ngày %(sent)s, chỉ %(lead)s ngày làm việc trước hội "
            "nghị ngày %(held)s: chưa đủ %(days)s ngày làm việc (HD 43-HD/BTCTW)."
        ) % {
            "sent": meeting.draft_sent_on.strftime("%d/%m/%Y"),
            "held": meeting.held_on.strftime("%d/%m/%Y"),
            "lead": lead,
            "days": DRAFT_LEAD_WORKING_DAYS,
        }
    return ""


def holds_members(organization: Organization) -> bool:
    return organization.kind in MEMBER_HOLDING_KINDS


def meeting_participants(
    cycle: ReviewCycle, organization: Organization, day: datetime.date | None = None
) -> list[Member]:
    """Who belongs to the meeting, in name order: a cell's members in the cycle (its roster of
    member ratings), or those holding a seat in the organization's collectives on `day`."""
    if holds_members(organization):
        ids = Rating.objects.filter(
            cycle=cycle, unit=organization, subject_kind=SubjectKind.MEMBER
        ).values("member_id")
    else:
        seats = CollectiveMembership.objects.filter(collective__organization=organization)
        seats = seats.held_on(day) if day is not None else seats.held_on(cycle.reference_date)
        ids = seats.values("member_id")
    return list(Member.objects.filter(pk__in=ids).order_by("sort_key", "pk"))


def meeting_bodies(cycle: ReviewCycle, unit: Organization) -> list[Organization]:
    """The bodies of a grassroots unit that hold a review meeting: the unit itself, then each
    cell with members in the cycle (a chi bộ cơ sở is both)."""
    cells = Rating.objects.filter(
        cycle=cycle, unit__path__startswith=unit.path, subject_kind=SubjectKind.MEMBER
    ).values("unit_id")
    below = Organization.objects.filter(pk__in=cells).exclude(pk=unit.pk).order_by("path")
    return [unit, *below]


def meeting_subjects(meeting: ReviewMeeting) -> list[Rating]:
    """The ratings reviewed at the meeting, with the votes the rating screen took: a cell's
    members, or the organization itself and the collectives it leads."""
    ratings = Rating.objects.filter(cycle=meeting.cycle, unit=meeting.organization)
    ratings = ratings.select_related("member", "organization", "collective")
    return sorted(
        ratings,
        key=lambda r: (SUBJECT_ORDER[r.subject_kind], r.member.sort_key if r.member else "", r.pk),
    )


def _refuse_outsiders(
    presences: Sequence[Presence], participants: Iterable[Member], organization: Organization
) -> None:
    allowed = {member.pk for member in participants}
    outsiders = [p.member_id for p in presences if p.member_id not in allowed]
    if outsiders:
        names = ", ".join(
            Member.objects.filter(pk__in=outsiders)
            .order_by("sort_key")
            .values_list("full_name", flat=True)
        ) or ", ".join(str(pk) for pk in outsiders)
        raise ValidationError(
            _("%(names)s không thuộc %(body)s: không ghi điểm danh được.")
            % {"names": names, "body": organization.name},
            code="attendance_outsider",
        )


@transaction.atomic
def meeting_record(
    *,
    cycle: ReviewCycle,
    organization: Organization,
    acting_user: User | None,
    attendance: Sequence[Presence],
    expected_version: int | None = None,
    **fields,
) -> ReviewMeeting:
    """Record (or correct) the minutes of a body's review meeting and its attendance.

    Raises ValidationError: cycle_not_open, submission_locked, organization_outside_cycle,
    stale_meeting, attendance_outsider, attendance_incomplete, attendance_duplicate,
    absence_needs_reason, absence_reason_too_long, chair_not_present, draft_after_meeting,
    conclusions_too_long, and the model's own (a date, the place).
    """
    if not cycle.is_open:
        raise ValidationError(
            _("Kỳ đánh giá không mở: không ghi được biên bản."), code="cycle_not_open"
        )
    if unit_is_locked_path(cycle, organization.path):
        raise ValidationError(
            _("Báo cáo của đơn vị đã gửi hoặc đã được phê duyệt: không sửa được biên bản."),
            code="submission_locked",
        )
    unknown = set(fields) - set(MEETING_FIELDS)
    if unknown:
        raise ValidationError(
            _("Không thể thay đổi: %(fields)s.") % {"fields": ", ".join(sorted(unknown))},
            code="unknown_field",
        )
    if not organization.path.startswith(cycle.organization.path):
        raise ValidationError(
            _("Tổ chức không thuộc kỳ đánh giá này."), code="organization_outside_cycle"
        )
    stored = (
        ReviewMeeting.objects.select_for_update(of=("self",))
        .filter(cycle=cycle, organization=organization)
        .order_by()
        .first()
    )
    # A page opened before any minutes existed posts version 0: minutes recorded meanwhile
    # by someone else are not overwritten silently.
    stored_version = stored.version if stored is not None else 0
    if expected_version is not None and stored_version != expected_version:
        raise ValidationError(
            _("Biên bản vừa được sửa ở nơi khác. Tải lại trang trước khi sửa tiếp."),
            code="stale_meeting",
        )
    conclusions = str(fields.get("conclusions", "")).replace("\r\n", "\n").strip()
    if len(conclusions) > CONCLUSIONS_MAX_LENGTH:
        raise ValidationError(
            _("Kết luận dài %(length)s ký tự, vượt giới hạn %(limit)s ký tự.")
            % {
                "length": thousands_text(len(conclusions)),
                "limit": thousands_text(CONCLUSIONS_MAX_LENGTH),
            },
            code="conclusions_too_long",
        )
    fields["conclusions"] = conclusions
    fields["place"] = " ".join(str(fields.get("place", "")).split())
    seen: set[int] = set()
    for presence in attendance:
        if presence.member_id in seen:
            raise ValidationError(
                _("Một đảng viên được điểm danh hai lần."), code="attendance_duplicate"
            )
        seen.add(presence.member_id)
    held_on, sent_on = fields.get("held_on"), fields.get("draft_sent_on")
    if held_on is not None and sent_on is not None and sent_on > held_on:
        raise ValidationError(
            _("Ngày gửi dự thảo báo cáo không thể sau ngày họp."), code="draft_after_meeting"
        )
    participants = meeting_participants(cycle, organization, held_on)
    _refuse_outsiders(attendance, participants, organization)
    names = {member.pk: member.full_name for member in participants}
    missing = [member.full_name for member in participants if member.pk not in seen]
    if missing:
        raise ValidationError(
            _("Chưa điểm danh: %(names)s.") % {"names": ", ".join(missing)},
            code="attendance_incomplete",
        )
    for presence in attendance:
        reason = presence.reason.strip()
        if not presence.present and not reason:
            raise ValidationError(
                _("Cần ghi lý do vắng mặt của %(name)s.") % {"name": names[presence.member_id]},
                code="absence_needs_reason",
            )
        if len(reason) > ABSENCE_REASON_MAX_LENGTH:
            raise ValidationError(
                _("Lý do vắng mặt của %(name)s dài quá %(limit)s ký tự.")
                % {"name": names[presence.member_id], "limit": ABSENCE_REASON_MAX_LENGTH},
                code="absence_reason_too_long",
            )
    present = {p.member_id for p in attendance if p.present}
    for role in ("chair", "secretary"):
        person = fields.get(role)
        if person is not None and person.pk not in present:
            raise ValidationError(
                _("%(role)s phải là người có mặt tại hội nghị.")
                % {"role": field_label(ReviewMeeting, role).capitalize()},
                code="chair_not_present",
            )
    created = stored is None
    meeting = ReviewMeeting(cycle=cycle, organization=organization) if stored is None else stored
    changed = [
        name for name in MEETING_FIELDS if name in fields and getattr(meeting, name) != fields[name]
    ]
    for name in changed:
        setattr(meeting, name, fields[name])
    old_attendance = (
        {}
        if created
        else {row.member_id: (row.present, row.absence_reason) for row in meeting.attendance.all()}
    )
    new_attendance = {
        p.member_id: (p.present, p.reason.strip() if not p.present else "") for p in attendance
    }
    if old_attendance != new_attendance:
        changed.append("attendance")
    if not changed and not created:
        return meeting
    meeting.version = 1 if created else meeting.version + 1
    meeting.updated_by = acting_user
    meeting.updated_at = timezone.now()
    meeting.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            meeting.save()
    except IntegrityError:  # two first saves at the same moment: the other one won
        raise ValidationError(
            _("Biên bản vừa được sửa ở nơi khác. Tải lại trang trước khi sửa tiếp."),
            code="stale_meeting",
        ) from None
    if "attendance" in changed:
        meeting.attendance.all().delete()
        MeetingAttendance.objects.bulk_create(
            MeetingAttendance(
                meeting=meeting, member_id=member_id, present=present_, absence_reason=reason
            )
            for member_id, (present_, reason) in new_attendance.items()
        )
    ReviewMeetingChange.objects.create(meeting=meeting, fields=changed, changed_by=acting_user)
    return meeting
