"""The review meeting's minutes in the browser: when, where, who chaired, who attended, the
votes the rating screen took, the conclusions (issue #14, point 2)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from members.models import Member
from organizations.models import Organization
from reviews.forms import MeetingForm
from reviews.models import ReviewMeeting
from reviews.permissions import may_read_meeting, may_write_meeting
from reviews.services.meetings import (
    Presence,
    draft_warning,
    meeting_participants,
    meeting_record,
    meeting_subjects,
)
from reviews.views.ratings import CycleMixin, error_messages


def _attendance(post) -> list[Presence]:
    """The attendance as posted: every `member` id with its `present_<id>` and `reason_<id>`."""
    presences = []
    for raw in post.getlist("member"):
        if not raw.isdigit():
            raise ValidationError(_("Điểm danh không hợp lệ."), code="attendance_invalid")
        member_id = int(raw)
        presences.append(
            Presence(
                member_id=member_id,
                present=post.get(f"present_{member_id}") == "on",
                reason=post.get(f"reason_{member_id}", "")[:255],
            )
        )
    return presences


class MeetingView(CycleMixin, View):
    """GET the minutes of a body's review meeting (a form for those who record it); POST saves."""

    template_name = "reviews/meeting.html"

    def get_organization(self, pk) -> Organization:
        organization = get_object_or_404(
            Organization.objects.subtree_of(self.cycle.organization), pk=pk
        )
        if not may_read_meeting(self.scope, organization):
            raise Http404(_("Không tìm thấy biên bản."))
        return organization

    def page(self, request, organization, *, form=None, presences=None, errors=()):
        meeting = ReviewMeeting.objects.filter(cycle=self.cycle, organization=organization).first()
        day = meeting.held_on if meeting is not None else None
        participants = meeting_participants(self.cycle, organization, day)
        stored = (
            {row.member_id: row for row in meeting.attendance.all()} if meeting is not None else {}
        )
        posted = {p.member_id: p for p in presences or []}
        lines = []
        for member in participants:
            if member.pk in posted:
                line = posted[member.pk]
                lines.append((member, line.present, line.reason))
            elif member.pk in stored:
                row = stored[member.pk]
                lines.append((member, row.present, row.absence_reason))
            else:
                lines.append((member, True, ""))
        if form is None:
            initial = {"version": meeting.version if meeting is not None else 0}
            if meeting is not None:
                initial.update(
                    held_on=meeting.held_on,
                    starts_at=meeting.starts_at,
                    place=meeting.place,
                    chair=meeting.chair_id,
                    secretary=meeting.secretary_id,
                    draft_sent_on=meeting.draft_sent_on,
                    conclusions=meeting.conclusions,
                )
            form = MeetingForm(initial=initial, participants=participants)
        subjects = meeting_subjects(meeting) if meeting is not None else []
        return render(
            request,
            self.template_name,
            {
                "cycle": self.cycle,
                "organization": organization,
                "meeting": meeting,
                "form": form,
                "lines": lines,
                "present_count": sum(1 for _m, present, _r in lines if present),
                "subjects": subjects,
                "warning": draft_warning(meeting) if meeting is not None else "",
                "may_write": may_write_meeting(self.scope, self.cycle, organization),
                "errors": list(errors),
                "history": meeting.changes.select_related("changed_by")[:20] if meeting else [],
            },
        )

    def get(self, request, pk):
        return self.page(request, self.get_organization(pk))

    def post(self, request, pk):
        organization = self.get_organization(pk)
        if not may_write_meeting(self.scope, self.cycle, organization):
            raise PermissionDenied(_("Bạn không có quyền ghi biên bản này."))
        participants = meeting_participants(self.cycle, organization)
        form = MeetingForm(request.POST, participants=participants)
        try:
            presences = _attendance(request.POST)
        except ValidationError as error:
            return self.page(request, organization, form=form, errors=error.messages)
        if not form.is_valid():
            return self.page(request, organization, form=form, presences=presences)
        data = dict(form.cleaned_data)
        version = data.pop("version")
        people = Member.objects.in_bulk([pk for pk in (data["chair"], data["secretary"]) if pk])
        data["chair"] = people.get(data["chair"]) if data["chair"] else None
        data["secretary"] = people.get(data["secretary"]) if data["secretary"] else None
        try:
            meeting_record(
                cycle=self.cycle,
                organization=organization,
                acting_user=request.user,
                attendance=presences,
                expected_version=version,
                **data,
            )
        except ValidationError as error:
            return self.page(
                request,
                organization,
                form=form,
                presences=presences,
                errors=error_messages(error, request),
            )
        messages.success(request, _("Đã ghi biên bản hội nghị."))
        return redirect("reviews:meeting", pk=organization.pk)
