"""Deadline reminders to the clerks of units that have not submitted (issue point 4)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db.models import Count, Exists, OuterRef
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from organizations.models import Organization, Role, RoleAssignment
from reviews.models import (
    Notification,
    QuarterAssessment,
    Rating,
    ReviewCycle,
    Submission,
    SubmissionState,
    quarter_deadline,
)
from reviews.selectors.quarters import INDIVIDUAL_KINDS


@dataclass(frozen=True)
class RemindersSent:
    units: int
    messages: int


def send_deadline_reminders(*, cycle: ReviewCycle, today: datetime.date) -> RemindersSent:
    """Mail (and notify on the site) every clerk of a unit still drafting or returned."""
    pending = list(
        Submission.objects.filter(
            cycle=cycle,
            state__in=[SubmissionState.DRAFT, SubmissionState.RETURNED, SubmissionState.REOPENED],
        ).select_related("organization")
    )
    clerks = (
        RoleAssignment.objects.active()
        .filter(role=Role.CLERK, organization__in=[s.organization_id for s in pending])
        .select_related("user")
    )
    by_unit: dict[int, list] = {}
    for assignment in clerks:
        by_unit.setdefault(assignment.organization_id, []).append(assignment.user)
    mails, notes = [], []
    for submission in pending:
        unit = submission.organization
        days = cycle.days_left(today, unit)
        if days >= 0:
            when = ngettext("còn %(days)s ngày", "còn %(days)s ngày", days) % {"days": days}
        else:
            when = ngettext("đã quá hạn %(days)s ngày", "đã quá hạn %(days)s ngày", -days) % {
                "days": -days
            }
        if cycle.finish_by:
            # QĐ 366: finish by 31/12 (special units 15/01), the dossier up by 01/02.
            message = _(
                "Nhắc hạn: kiểm điểm, xếp loại năm %(year)s của %(unit)s phải hoàn thành trước "
                "%(finish)s (%(when)s); báo cáo, hồ sơ gửi trước %(deadline)s."
            ) % {
                "year": cycle.year,
                "unit": unit,
                "finish": cycle.finish_by_for(unit).strftime("%d/%m/%Y"),
                "when": when,
                "deadline": cycle.deadline.strftime("%d/%m/%Y"),
            }
        else:
            message = _(
                "Nhắc hạn: báo cáo kiểm điểm, xếp loại năm %(year)s của %(unit)s chưa được gửi; "
                "hạn nộp %(deadline)s (%(when)s)."
            ) % {
                "year": cycle.year,
                "unit": unit,
                "deadline": cycle.deadline.strftime("%d/%m/%Y"),
                "when": when,
            }
        for user in by_unit.get(submission.organization_id, []):
            if not user.is_active:
                continue
            notes.append(Notification(user=user, message=message[:500]))
            if user.email:
                mails.append((message[:120], message, settings.DEFAULT_FROM_EMAIL, [user.email]))
    Notification.objects.bulk_create(notes)
    sent = send_mass_mail(mails, fail_silently=False) if mails else 0
    return RemindersSent(units=len(pending), messages=sent)


def send_quarter_reminders(
    *, cycle: ReviewCycle, quarter: int, today: datetime.date
) -> RemindersSent:
    """Mail (and notify) the clerks of the grassroots units whose people are not yet assessed
    for the quarter, with its deadline (the 15th of its last month, KL 198-KL/TW)."""
    deadline = quarter_deadline(cycle.year, quarter)
    assessed = QuarterAssessment.objects.filter(rating=OuterRef("pk"), quarter=quarter).exclude(
        manager_level=""
    )
    waiting = (
        Rating.objects.filter(cycle=cycle, subject_kind__in=INDIVIDUAL_KINDS, not_rated_reason="")
        .exclude(Exists(assessed))
        .values("unit__path")
        .annotate(n=Count("pk"))
    )
    # A grassroots unit is the level right below the bloc.
    step = len(cycle.organization.path) + Organization.steplen
    by_unit: dict[str, int] = {}
    for row in waiting:
        unit_path = row["unit__path"][:step]
        by_unit[unit_path] = by_unit.get(unit_path, 0) + row["n"]
    clerks = (
        RoleAssignment.objects.active()
        .filter(role=Role.CLERK, organization__path__in=list(by_unit))
        .select_related("user", "organization")
    )
    days = (deadline - today).days
    when = (
        ngettext("còn %(days)s ngày", "còn %(days)s ngày", days) % {"days": days}
        if days >= 0
        else ngettext("đã quá hạn %(days)s ngày", "đã quá hạn %(days)s ngày", -days)
        % {"days": -days}
    )
    mails, notes = [], []
    for assignment in clerks:
        user, unit = assignment.user, assignment.organization
        if not user.is_active:
            continue
        message = _(
            "Nhắc hạn đánh giá quý %(quarter)s/%(year)s: %(count)s người của %(unit)s chưa được "
            "đánh giá; hạn %(deadline)s (%(when)s)."
        ) % {
            "quarter": quarter,
            "year": cycle.year,
            "count": by_unit[unit.path],
            "unit": unit,
            "deadline": deadline.strftime("%d/%m/%Y"),
            "when": when,
        }
        notes.append(Notification(user=user, message=message[:500]))
        if user.email:
            mails.append((message[:120], message, settings.DEFAULT_FROM_EMAIL, [user.email]))
    Notification.objects.bulk_create(notes)
    sent = send_mass_mail(mails, fail_silently=False) if mails else 0
    return RemindersSent(units=len(by_unit), messages=sent)
