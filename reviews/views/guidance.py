"""Guiding documents and questions (letter point 4): published by the Board, asked by units."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse_lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from members.models import Member
from organizations.http import pk_or_404, private_file_response
from organizations.models import MEMBER_HOLDING_KINDS, Organization, Role, under_any
from organizations.widgets import SearchSelect
from reviews.models import (
    GuidingDocument,
    Question,
    QuestionAttachment,
    QuestionMessage,
    QuestionState,
)
from reviews.services import (
    guiding_document_publish,
    guiding_document_withdraw,
    question_act,
    question_allows,
    question_ask,
)
from reviews.views.ratings import CycleMixin, error_messages


class DocumentForm(forms.Form):
    number = forms.CharField(label=gettext_lazy("Số văn bản"), max_length=60, required=False)
    issued_on = forms.DateField(label=gettext_lazy("Ngày ban hành (dd/mm/yyyy)"), required=False)
    title = forms.CharField(label=gettext_lazy("Trích yếu"), max_length=255)
    file = forms.FileField(label=gettext_lazy("Tệp (PDF, Word, Excel; tối đa 20 MB)"))


class QuestionForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=gettext_lazy("Đơn vị"), queryset=Organization.objects.none()
    )
    title = forms.CharField(label=gettext_lazy("Tiêu đề"), max_length=255)
    text = forms.CharField(
        label=gettext_lazy("Nội dung câu hỏi, khó khăn, vướng mắc"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=10000,
    )
    cell = forms.ModelChoiceField(
        label=gettext_lazy("Chi bộ liên quan"),
        queryset=Organization.objects.none(),
        required=False,
        widget=SearchSelect(
            search_url=format_lazy("{}?loai=chi-bo", reverse_lazy("organizations:picker")),
            placeholder=gettext_lazy("Gõ để tìm theo tên chi bộ…"),
        ),
    )
    member = forms.ModelChoiceField(
        label=gettext_lazy("Đảng viên liên quan"),
        queryset=Member.objects.none(),
        required=False,
        widget=SearchSelect(search_url=reverse_lazy("members:picker")),
    )
    rule = forms.CharField(
        label=gettext_lazy("Quy định liên quan"),
        max_length=255,
        required=False,
        help_text=gettext_lazy("Ví dụ: HD 21-HD/BTCTW, mục 1.3 (nghỉ ốm)."),
    )
    attachment = forms.FileField(label=gettext_lazy("Tệp đính kèm"), required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        if units.count() == 1:
            self.fields["unit"].initial = units.first()
        paths = [unit.path for unit in units]
        self.fields["cell"].queryset = Organization.objects.filter(
            under_any(paths), kind__in=list(MEMBER_HOLDING_KINDS)
        )
        self.fields["member"].queryset = (
            Member.objects.current()
            .filter(under_any(paths, "organization__path"))
            .select_related("organization")
            .order_by("sort_key")
        )
        self.fields["member"].label_from_instance = Member.label_with_cell


class GuidanceMixin(CycleMixin):
    def is_board(self) -> bool:
        return self.scope.covers(self.cycle.organization.path, {Role.ORGANIZATION_BOARD})

    def clerk_units(self):
        return Organization.objects.filter(
            path__in=self.scope.paths.get(Role.CLERK, [])
        ).grassroots()

    def visible_questions(self):
        """Questions of the user's units, and the answers shared with every unit."""
        queryset = Question.objects.filter(cycle=self.cycle).select_related("unit")
        if self.scope.covers(self.cycle.organization.path):
            return queryset
        condition = Q(is_shared=True) | self.scope.within("unit__path")
        return queryset.filter(condition)

    def sees_whole_question(self, question: Question) -> bool:
        """The asking unit (and those above it) see the whole thread, the member and the cell
        named, the attachments; other units see a shared question's title and answers only."""
        return self.scope.covers(question.unit.path)


class DocumentListView(GuidanceMixin, TemplateView):
    template_name = "reviews/documents.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            cycle=self.cycle,
            documents=self.cycle.documents.filter(withdrawn_at__isnull=True).select_related(
                "published_by"
            ),
            can_publish=self.is_board() and self.cycle.is_open,
            form=DocumentForm(),
        )
        return context

    def post(self, request):
        if not self.is_board():
            raise PermissionDenied(_("Bạn không có quyền thực hiện thao tác này."))
        if request.POST.get("withdraw"):
            document = get_object_or_404(
                self.cycle.documents.filter(withdrawn_at__isnull=True),
                pk=pk_or_404(request.POST["withdraw"]),
            )
            guiding_document_withdraw(document=document, acting_user=request.user)
            messages.success(request, _("Đã gỡ văn bản."))
            return redirect("reviews:documents")
        form = DocumentForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                guiding_document_publish(
                    cycle=self.cycle,
                    acting_user=request.user,
                    upload=form.cleaned_data["file"],
                    title=form.cleaned_data["title"],
                    number=form.cleaned_data["number"],
                    issued_on=form.cleaned_data["issued_on"],
                )
            except ValidationError as error:
                for text in error_messages(error, request):
                    messages.error(request, text)
            else:
                messages.success(request, _("Đã đăng văn bản cho các đơn vị."))
        else:
            for errors in form.errors.values():
                for text in errors:
                    messages.error(request, text)
        return redirect("reviews:documents")


class DocumentDownloadView(GuidanceMixin, View):
    def get(self, request, pk):
        document = get_object_or_404(
            GuidingDocument.objects.filter(cycle=self.cycle, withdrawn_at__isnull=True), pk=pk
        )
        return private_file_response(
            document.file,
            filename=document.original_name,
            content_type=document.content_type,
        )


class QuestionListView(GuidanceMixin, TemplateView):
    template_name = "reviews/questions.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        questions = self.visible_questions()
        state = self.request.GET.get("trang_thai", "")
        own = questions
        if not self.scope.covers(self.cycle.organization.path):
            own = questions.filter(self.scope.within("unit__path"))
        if state in QuestionState.values:
            own = own.filter(state=state)
        context.update(
            cycle=self.cycle,
            questions=own.order_by("state", "asked_at"),
            shared=questions.filter(is_shared=True)
            .prefetch_related(
                Prefetch(
                    "messages",
                    queryset=QuestionMessage.objects.filter(
                        kind=QuestionMessage.Kind.ANSWERED
                    ).order_by("changed_at", "pk"),
                    to_attr="answers",
                )
            )
            .order_by("-first_answered_at"),
            can_ask=self.clerk_units().exists() and self.cycle.is_open,
            states=QuestionState.choices,
            state=state,
        )
        return context


class QuestionCreateView(GuidanceMixin, TemplateView):
    template_name = "reviews/question_form.html"

    def units(self):
        units = self.clerk_units()
        if not units.exists() or not self.cycle.is_open:
            raise PermissionDenied(_("Bạn không có quyền thực hiện thao tác này."))
        return units

    def get(self, request):
        return self.render_to_response({"form": QuestionForm(units=self.units())})

    def post(self, request):
        form = QuestionForm(request.POST, request.FILES, units=self.units())
        if form.is_valid():
            data = form.cleaned_data
            try:
                question = question_ask(
                    cycle=self.cycle,
                    unit=data["unit"],
                    title=data["title"],
                    text=data["text"],
                    member=data["member"],
                    cell=data["cell"],
                    rule=data["rule"],
                    attachment=data["attachment"],
                    acting_user=request.user,
                )
            except ValidationError as error:
                for text in error_messages(error, request):
                    form.add_error(None, text)
            else:
                messages.success(request, _("Đã gửi câu hỏi tới Ban Tổ chức."))
                return redirect("reviews:question", pk=question.pk)
        return self.render_to_response({"form": form})


class QuestionDetailView(GuidanceMixin, TemplateView):
    template_name = "reviews/question_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        question = get_object_or_404(self.visible_questions(), pk=kwargs["pk"])
        own = self.scope.covers(question.unit.path, {Role.CLERK})
        board = self.is_board()
        open_cycle = self.cycle.is_open
        whole = self.sees_whole_question(question)
        thread = question.messages.select_related("changed_by")
        if not whole:
            thread = thread.filter(kind=QuestionMessage.Kind.ANSWERED)
        context.update(
            question=question,
            whole=whole,
            thread=thread,
            attachments=question.attachments.all() if whole else [],
            can_answer=board and open_cycle and question_allows(question, "answer"),
            can_reply=own and open_cycle and question_allows(question, "reply"),
            can_close=(own or board) and open_cycle and question_allows(question, "close"),
        )
        return context

    def post(self, request, pk):
        question = get_object_or_404(self.visible_questions(), pk=pk)
        action = request.POST.get("action", "")
        own = self.scope.covers(question.unit.path, {Role.CLERK})
        board = self.is_board()
        allowed = {
            "answer": board,
            "ask_back": board,
            "reply": own,
            "close": own or board,
        }.get(action, False)
        if not allowed or not self.cycle.is_open:
            raise PermissionDenied(_("Bạn không có quyền thực hiện thao tác này."))
        try:
            question_act(
                question=question,
                action=action,
                text=request.POST.get("text", "")[:10000],
                share=bool(request.POST.get("share")) if action == "answer" else None,
                acting_user=request.user,
            )
        except ValidationError as error:
            for text in error_messages(error, request):
                messages.error(request, text)
        else:
            messages.success(request, _("Đã ghi nhận."))
        return redirect("reviews:question", pk=question.pk)


class AttachmentDownloadView(GuidanceMixin, View):
    def get(self, request, pk):
        attachment = get_object_or_404(QuestionAttachment.objects.select_related("question"), pk=pk)
        question = get_object_or_404(self.visible_questions(), pk=attachment.question_id)
        if not self.sees_whole_question(question):
            raise Http404
        return private_file_response(
            attachment.file,
            filename=attachment.original_name,
            content_type=attachment.content_type,
        )
