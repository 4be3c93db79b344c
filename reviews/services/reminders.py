"""Deadline reminders to the clerks of units that have not submitted (issue point 4)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mass_mail
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from organizations.models import Role, RoleAssignment
from reviews.models import Notification, ReviewCycle, Submission, SubmissionState


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
