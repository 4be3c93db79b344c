"""A unit's submission: its checklist, dossier, history, and the Board's approve or return."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from organizations.http import private_file_response
from organizations.models import Role
from reviews.models import (
    SUBMISSION_TRANSITIONS,
    DossierItem,
    DossierKind,
    Pool,
    ReviewMeeting,
    Submission,
    SubmissionState,
)
from reviews.permissions import may_read_meeting
from reviews.quota import quotas_by_pool
from reviews.rules import rule_set_for
from reviews.selectors.dossier import dossier_lines
from reviews.services import (
    dossier_item_add,
    dossier_item_remove,
    submission_change_state,
    submission_problems,
)
from reviews.services.meetings import meeting_bodies
from reviews.views.ratings import CycleMixin, error_messages


class DossierUploadForm(forms.Form):
    """An item of the dossier; the kinds offered are the cycle's regime's (Mẫu 04 under QĐ 366)
    and "other"."""

    kind = forms.ChoiceField(
        label=gettext_lazy("Loại tài liệu"),
        choices=DossierKind.choices,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    title = forms.CharField(
        label=gettext_lazy("Tên tài liệu"),
        max_length=255,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )
    file = forms.FileField(
        label=gettext_lazy("Tệp (PDF, Word, Excel, ảnh; tối đa 20 MB)"),
        max_length=255,
        widget=forms.ClearableFileInput(
            attrs={
                "class": "form-control form-control-sm",
                "accept": ".pdf,.doc,.docx,.xls,.xlsx,.odt,.ods,.jpg,.jpeg,.png",
            }
        ),
    )

    def __init__(self, *args, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        if kinds:
            self.fields["kind"].choices = [
                (kind, DossierKind(kind).label) for kind in (*kinds, DossierKind.OTHER)
            ]


class SubmissionMixin(CycleMixin):
    def visible_submissions(self):
        queryset = Submission.objects.filter(cycle=self.cycle).select_related(
            "organization", "cycle"
        )
        return queryset.filter(self.scope.within("organization__path"))

    def get_submission(self, pk) -> Submission:
        return get_object_or_404(self.visible_submissions(), pk=pk)

    def is_clerk(self, submission) -> bool:
        return self.scope.covers(submission.organization.path, {Role.CLERK})

    def is_board(self, submission) -> bool:
        return self.scope.covers(submission.organization.path, {Role.ORGANIZATION_BOARD})


class SubmissionView(SubmissionMixin, TemplateView):
    """Read-only drill-down for anyone who sees the unit; actions for its clerk and the Board."""

    template_name = "reviews/submission.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        submission = self.get_submission(kwargs["pk"])
        pools = list(
            Pool.objects.filter(cycle=self.cycle, owner=submission.organization).select_related(
                "cycle", "owner"
            )
        )
        quotas = quotas_by_pool(pools)
        editable = self.cycle.is_open and not submission.is_locked
        items = list(submission.dossier_items.present().select_related("uploaded_by"))
        rules = rule_set_for(self.cycle.rule_set)
        unit = submission.organization
        meetings = {
            meeting.organization_id: meeting
            for meeting in ReviewMeeting.objects.filter(
                cycle=self.cycle, organization__path__startswith=unit.path
            )
        }
        reads_minutes = may_read_meeting(self.scope, unit)
        checklist = dossier_lines(self.cycle, unit)
        context.update(
            cycle=self.cycle,
            submission=submission,
            pools=[(pool, quotas[pool.pk]) for pool in pools],
            problems=submission_problems(submission) if not submission.is_locked else [],
            items=items,
            checklist=checklist,
            # The minutes a user may open (else their links would answer 404).
            readable_minutes={
                meeting.pk
                for line in checklist
                for meeting in line.meetings
                if may_read_meeting(self.scope, meeting.organization)
            },
            meeting_bodies=[
                (body, meetings.get(body.pk)) for body in meeting_bodies(self.cycle, unit)
            ]
            if reads_minutes
            else [],
            transitions=submission.transitions.select_related("changed_by"),
            can_submit=self.is_clerk(submission) and editable,
            can_upload=self.is_clerk(submission) and editable,
            can_review=self.is_board(submission)
            and SUBMISSION_TRANSITIONS.allows(submission.state, SubmissionState.APPROVED),
            can_reopen=self.is_board(submission)
            and SUBMISSION_TRANSITIONS.allows(submission.state, SubmissionState.REOPENED),
            upload_form=DossierUploadForm(kinds=rules.dossier_kinds),
        )
        return context


ACTIONS = {
    "submit": (SubmissionState.SUBMITTED, "clerk", gettext_lazy("Đã gửi báo cáo.")),
    "approve": (SubmissionState.APPROVED, "board", gettext_lazy("Đã phê duyệt báo cáo.")),
    "return": (SubmissionState.RETURNED, "board", gettext_lazy("Đã trả lại báo cáo.")),
    "reopen": (SubmissionState.REOPENED, "board", gettext_lazy("Đã mở lại báo cáo.")),
}


class SubmissionActView(SubmissionMixin, View):
    """POST: submit (clerk), approve, return or reopen with a comment (Organization Board)."""

    def post(self, request, pk):
        submission = self.get_submission(pk)
        action = ACTIONS.get(request.POST.get("action", ""))
        if action is None:
            raise Http404
        state, who, done = action
        allowed = self.is_clerk(submission) if who == "clerk" else self.is_board(submission)
        if not allowed or (who == "clerk" and not self.cycle.is_open):
            raise PermissionDenied(_("Bạn không có quyền thực hiện thao tác này."))
        comment = request.POST.get("comment", "")[:2000]
        if state == SubmissionState.REOPENED and not SUBMISSION_TRANSITIONS.allows(
            submission.state, state
        ):
            messages.error(request, _("Chỉ mở lại báo cáo đã phê duyệt."))
            return redirect("reviews:submission", pk=submission.pk)
        try:
            submission_change_state(
                submission=submission, state=state, acting_user=request.user, comment=comment
            )
        except ValidationError as error:
            for text in error_messages(error, request):
                messages.error(request, text)
        else:
            messages.success(request, str(done))
        return redirect("reviews:submission", pk=submission.pk)


class DossierUploadView(SubmissionMixin, View):
    def post(self, request, pk):
        submission = self.get_submission(pk)
        if not self.is_clerk(submission) or not self.cycle.is_open:
            raise PermissionDenied(_("Bạn không có quyền thực hiện thao tác này."))
        form = DossierUploadForm(
            request.POST, request.FILES, kinds=rule_set_for(self.cycle.rule_set).dossier_kinds
        )
        if not form.is_valid():
            for errors in form.errors.values():
                for text in errors:
                    messages.error(request, text)
            return redirect("reviews:submission", pk=submission.pk)
        try:
            dossier_item_add(
                submission=submission,
                kind=form.cleaned_data["kind"],
                title=form.cleaned_data["title"],
                upload=form.cleaned_data["file"],
                acting_user=request.user,
            )
        except ValidationError as error:
            for text in error_messages(error, request):
                messages.error(request, text)
        else:
            messages.success(request, _("Đã đính kèm tài liệu."))
        return redirect("reviews:submission", pk=submission.pk)


class DossierItemMixin(SubmissionMixin):
    def get_item(self, pk) -> DossierItem:
        item = get_object_or_404(DossierItem.objects.present().select_related("submission"), pk=pk)
        self.get_submission(item.submission_id)  # 404 outside the user's scope
        return item


class DossierDownloadView(DossierItemMixin, View):
    """Only those who see the unit may download; always as an attachment."""

    def get(self, request, pk):
        item = self.get_item(pk)
        return private_file_response(
            item.file,
            filename=item.original_name,
            content_type=item.content_type,
        )


class DossierRemoveView(DossierItemMixin, View):
    def post(self, request, pk):
        item = self.get_item(pk)
        if not self.is_clerk(item.submission):
            raise PermissionDenied(_("Bạn không có quyền thực hiện thao tác này."))
        try:
            dossier_item_remove(item=item, acting_user=request.user)
        except ValidationError as error:
            for text in error_messages(error, request):
                messages.error(request, text)
        else:
            messages.success(request, _("Đã gỡ tài liệu khỏi hồ sơ."))
        return redirect("reviews:submission", pk=item.submission_id)
