"""In-depth review suggestions: drafted and issued by staff, explained by the target unit."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from members.models import LeadershipCollective, Member
from organizations.http import pk_or_404
from organizations.models import Role, grassroots_name_of
from organizations.widgets import PickerView, SearchSelect
from reviews.models import (
    ISSUE_TRANSITIONS,
    SUGGESTION_TRANSITIONS,
    IssueState,
    Suggestion,
    SuggestionIssue,
    SuggestionState,
)
from reviews.services import (
    issue_answer,
    issue_review,
    suggestion_draft,
    suggestion_edit,
    suggestion_issue,
)
from reviews.views.ratings import CycleMixin, error_messages

STAFF_ROLES = {Role.INSPECTION_COMMITTEE, Role.ORGANIZATION_BOARD}


def leader_label(member: Member) -> str:
    """ "Nguyễn Văn A — Giám đốc Sở — Đảng bộ Sở Tài chính": three "Giám đốc Sở" told apart by
    their grassroots unit (annotated as `unit_name` by `leaders_in`)."""
    unit = getattr(member, "unit_name", None) or member.organization.name
    return f"{member.full_name} — {member.leadership_post} — {unit}"


def collective_label(collective: LeadershipCollective) -> str:
    unit = getattr(collective, "unit_name", None) or collective.organization.name
    if unit == collective.organization.name:
        return f"{collective.name} — {unit}"
    return f"{collective.name} — {collective.organization.name} ({unit})"


def leaders_in(bloc):
    return (
        Member.objects.in_subtree(bloc)
        .current()
        .exclude(leadership_post="")
        .select_related("organization")
        .annotate(unit_name=grassroots_name_of("organization__path"))
        .order_by("sort_key", "pk")
    )


def collectives_in(bloc):
    return (
        LeadershipCollective.objects.filter(
            organization__path__startswith=bloc.path, dissolved_on__isnull=True
        )
        .select_related("organization")
        .annotate(unit_name=grassroots_name_of("organization__path"))
        .order_by("organization__path", "name", "pk")
    )


#: The targets a suggestion may name, by picker slug: (queryset of the bloc, label, search).
TARGETS = {
    "can-bo": (
        leaders_in,
        leader_label,
        ("full_name", "leadership_post", "organization__name", "unit_name"),
    ),
    "tap-the": (collectives_in, collective_label, ("name", "organization__name", "unit_name")),
}


class SuggestionDraftForm(forms.Form):
    collective = forms.ModelChoiceField(
        label=gettext_lazy("Tập thể được gợi ý"),
        queryset=LeadershipCollective.objects.none(),
        required=False,
        widget=SearchSelect(
            search_url=reverse_lazy("reviews:suggestion-targets", args=["tap-the"])
        ),
    )
    member = forms.ModelChoiceField(
        label=gettext_lazy("Cá nhân cán bộ lãnh đạo, quản lý"),
        queryset=Member.objects.none(),
        required=False,
        widget=SearchSelect(search_url=reverse_lazy("reviews:suggestion-targets", args=["can-bo"])),
    )
    title = forms.CharField(label=gettext_lazy("Trích yếu"), max_length=255)
    issues = forms.CharField(
        label=gettext_lazy("Các vấn đề gợi ý (mỗi dòng một vấn đề)"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=20000,
    )

    def __init__(self, *args, bloc, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["collective"].queryset = TARGETS["tap-the"][0](bloc)
        self.fields["member"].queryset = TARGETS["can-bo"][0](bloc)
        self.fields["member"].label_from_instance = leader_label
        self.fields["collective"].label_from_instance = collective_label

    def clean(self):
        data = super().clean()
        if bool(data.get("collective")) == bool(data.get("member")):
            raise ValidationError(_("Chọn một tập thể hoặc một cá nhân (không chọn cả hai)."))
        return data


class IssueForm(forms.Form):
    document_number = forms.CharField(label=gettext_lazy("Số văn bản"), max_length=60)
    issued_on = forms.DateField(label=gettext_lazy("Ngày ban hành (dd/mm/yyyy)"))


class AnswerForm(forms.Form):
    explanation = forms.CharField(
        label=gettext_lazy("Giải trình"), widget=forms.Textarea(attrs={"rows": 3}), max_length=10000
    )
    cause = forms.CharField(
        label=gettext_lazy("Nguyên nhân"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=5000,
        required=False,
    )
    responsibility = forms.CharField(
        label=gettext_lazy("Trách nhiệm"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=5000,
        required=False,
    )


class SuggestionMixin(CycleMixin):
    def is_staff_user(self) -> bool:
        return self.scope.covers(self.cycle.organization.path, STAFF_ROLES)

    def visible_suggestions(self):
        queryset = Suggestion.objects.filter(cycle=self.cycle).select_related(
            "collective", "member", "addressed_to"
        )
        if self.is_staff_user():
            return queryset
        return queryset.filter(self.scope.within("addressed_to__path")).exclude(
            state=SuggestionState.DRAFT
        )

    def get_suggestion(self, pk) -> Suggestion:
        return get_object_or_404(self.visible_suggestions(), pk=pk)

    def answers_for(self, suggestion) -> bool:
        roles = {Role.CLERK} if suggestion.addressed_to.depth > 1 else {Role.OFFICE}
        return self.scope.covers(suggestion.addressed_to.path, roles)


class SuggestionListView(SuggestionMixin, TemplateView):
    template_name = "reviews/suggestion_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        suggestions = (
            self.visible_suggestions()
            .annotate(
                issue_count=Count("issues"),
                waiting=Count("issues", filter=Q(issues__state__in=["awaiting", "redo"])),
                to_review=Count("issues", filter=Q(issues__state="answered")),
            )
            .order_by("state", "addressed_to__path", "pk")
        )
        context.update(
            cycle=self.cycle,
            suggestions=suggestions,
            can_draft=self.is_staff_user() and self.cycle.is_open,
        )
        return context


class SuggestionCreateView(SuggestionMixin, TemplateView):
    template_name = "reviews/suggestion_form.html"

    def check(self):
        if not self.is_staff_user() or not self.cycle.is_open:
            raise PermissionDenied(_("Bạn không có quyền thực hiện thao tác này."))

    def get(self, request, *args, **kwargs):
        self.check()
        return self.render_to_response(
            {"form": SuggestionDraftForm(bloc=self.cycle.organization), "cycle": self.cycle}
        )

    def post(self, request, *args, **kwargs):
        self.check()
        form = SuggestionDraftForm(request.POST, bloc=self.cycle.organization)
        if form.is_valid():
            data = form.cleaned_data
            try:
                suggestion = suggestion_draft(
                    cycle=self.cycle,
                    title=data["title"],
                    issues=data["issues"].splitlines(),
                    collective=data["collective"],
                    member=data["member"],
                    acting_user=request.user,
                )
            except ValidationError as error:
                for text in error_messages(error, request):
                    form.add_error(None, text)
            else:
                messages.success(request, _("Đã lưu dự thảo gợi ý kiểm điểm."))
                return redirect("reviews:suggestion", pk=suggestion.pk)
        return self.render_to_response({"form": form, "cycle": self.cycle})


class SuggestionDetailView(SuggestionMixin, TemplateView):
    template_name = "reviews/suggestion_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        suggestion = self.get_suggestion(kwargs["pk"])
        staff = self.is_staff_user() and self.cycle.is_open
        answering = self.answers_for(suggestion) and self.cycle.is_open
        issues = list(suggestion.issues.select_related("answered_by", "reviewed_by"))
        for issue in issues:
            issue.answer_form = AnswerForm(
                initial={
                    "explanation": issue.explanation,
                    "cause": issue.cause,
                    "responsibility": issue.responsibility,
                },
                prefix=f"issue{issue.pk}",
            )
        context.update(
            cycle=self.cycle,
            suggestion=suggestion,
            issues=issues,
            events=suggestion.events.select_related("changed_by", "issue"),
            can_edit=staff and suggestion.state == SuggestionState.DRAFT,
            can_review=staff
            and SUGGESTION_TRANSITIONS.allows(suggestion.state, SuggestionState.CLOSED),
            can_answer=answering
            and SUGGESTION_TRANSITIONS.allows(suggestion.state, SuggestionState.CLOSED),
            issue_form=IssueForm(),
            edit_issues="\n".join(issue.text for issue in issues),
            answerable_states={
                state
                for state in IssueState.values
                if ISSUE_TRANSITIONS.allows(state, IssueState.ANSWERED)
            },
        )
        return context


class SuggestionActView(SuggestionMixin, View):
    """POST actions: edit or issue a draft (staff), answer (target unit), review (staff)."""

    def post(self, request, pk):
        suggestion = self.get_suggestion(pk)
        action = request.POST.get("action", "")
        staff = self.is_staff_user() and self.cycle.is_open
        try:
            if action == "edit" and staff:
                suggestion_edit(
                    suggestion=suggestion,
                    title=request.POST.get("title", "")[:255],
                    issues=request.POST.get("issues", "")[:20000].splitlines(),
                    acting_user=request.user,
                )
                messages.success(request, _("Đã cập nhật dự thảo."))
            elif action == "issue" and staff:
                form = IssueForm(request.POST)
                if not form.is_valid():
                    raise ValidationError([e for errs in form.errors.values() for e in errs])
                suggestion_issue(
                    suggestion=suggestion,
                    document_number=form.cleaned_data["document_number"],
                    issued_on=form.cleaned_data["issued_on"],
                    acting_user=request.user,
                )
                messages.success(request, _("Đã ban hành gợi ý kiểm điểm."))
            elif action in ("answer", "accept", "redo"):
                issue = get_object_or_404(
                    SuggestionIssue,
                    pk=pk_or_404(request.POST.get("issue")),
                    suggestion=suggestion,
                )
                if action == "answer" and self.answers_for(suggestion) and self.cycle.is_open:
                    form = AnswerForm(request.POST, prefix=f"issue{issue.pk}")
                    if not form.is_valid():
                        raise ValidationError([e for errs in form.errors.values() for e in errs])
                    issue_answer(issue=issue, acting_user=request.user, **form.cleaned_data)
                    messages.success(request, _("Đã lưu giải trình."))
                elif action in ("accept", "redo") and staff:
                    issue_review(
                        issue=issue,
                        accept=action == "accept",
                        comment=request.POST.get("comment", "")[:5000],
                        acting_user=request.user,
                    )
                    messages.success(request, _("Đã ghi ý kiến thẩm định."))
                else:
                    raise PermissionDenied(_("Bạn không có quyền thực hiện thao tác này."))
            else:
                raise PermissionDenied(_("Bạn không có quyền thực hiện thao tác này."))
        except ValidationError as error:
            for text in error_messages(error, request):
                messages.error(request, text)
        return redirect("reviews:suggestion", pk=suggestion.pk)


class SuggestionTargetsView(SuggestionMixin, PickerView):
    """The target pickers (htmx): leaders or collectives of the bloc, for those who draft."""

    def queryset(self, request, kind):
        if kind not in TARGETS or not self.is_staff_user():
            raise Http404
        self.kind = kind
        return TARGETS[kind][0](self.cycle.organization)

    @property
    def search_fields(self):
        return TARGETS[self.kind][2]

    def label(self, item) -> str:
        return TARGETS[self.kind][1](item)
