"""The task register of one rating (issue #15, point 1): tasks with due dates, completion,
quality, "beyond what was required" and evidence; the shares the rules read follow."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from organizations.http import pk_or_404, private_file_response
from reviews.forms import TaskItemForm
from reviews.models import TaskEvidence, TaskItem
from reviews.services.tasks import (
    task_evidence_attach,
    task_evidence_remove,
    task_item_add,
    task_item_remove,
    task_item_update,
)
from reviews.views.ratings import error_messages
from reviews.views.self_reviews import RatingPapersMixin


class TasksView(RatingPapersMixin, TemplateView):
    """GET the register; POST `action` = add, done (mark a task done), remove, attach (a file
    as evidence) or detach (take a file off)."""

    template_name = "reviews/tasks.html"
    not_found = _("Không tìm thấy sổ nhiệm vụ.")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            rating=self.rating,
            cycle=self.rating.cycle,
            items=list(
                TaskItem.objects.filter(rating=self.rating)
                .select_related("updated_by")
                .prefetch_related(
                    Prefetch("files", queryset=TaskEvidence.objects.present(), to_attr="shown")
                )
            ),
            form=kwargs.get("form") or TaskItemForm(),
            writes=self.may_write,
            errors=kwargs.get("errors", []),
        )
        return context

    def post(self, request, pk):
        if not self.may_write:
            raise PermissionDenied(_("Bạn không có quyền sửa sổ nhiệm vụ này."))
        action = request.POST.get("action", "")
        form = None
        try:
            if action == "add":
                form = TaskItemForm(request.POST)
                if not form.is_valid():
                    return self.render_to_response(self.get_context_data(form=form))
                task_item_add(rating=self.rating, acting_user=request.user, **form.cleaned_data)
                messages.success(request, _("Đã thêm nhiệm vụ."))
            elif action == "attach":
                item = get_object_or_404(
                    TaskItem.objects, pk=pk_or_404(request.POST.get("item")), rating=self.rating
                )
                upload = forms.FileField(
                    error_messages={"required": _("Hãy chọn tệp minh chứng.")}
                ).clean(request.FILES.get("file"))
                task_evidence_attach(item=item, upload=upload, acting_user=request.user)
                messages.success(request, _("Đã đính kèm tệp minh chứng."))
            elif action == "detach":
                evidence = get_object_or_404(
                    TaskEvidence.objects.present(),
                    pk=pk_or_404(request.POST.get("file")),
                    task__rating=self.rating,
                    task__removed_at__isnull=True,
                )
                task_evidence_remove(evidence=evidence, acting_user=request.user)
                messages.success(request, _("Đã gỡ tệp minh chứng."))
            elif action in ("done", "remove"):
                item = get_object_or_404(
                    TaskItem.objects, pk=pk_or_404(request.POST.get("item")), rating=self.rating
                )
                if action == "remove":
                    task_item_remove(item=item, acting_user=request.user)
                    messages.success(request, _("Đã gỡ nhiệm vụ."))
                else:
                    form = TaskItemForm(request.POST, instance=item)
                    if not form.is_valid():
                        return self.render_to_response(
                            self.get_context_data(errors=[str(e) for e in form.errors.values()])
                        )
                    task_item_update(
                        item=item,
                        acting_user=request.user,
                        done_on=form.cleaned_data["done_on"],
                        quality=form.cleaned_data["quality"],
                        beyond_requirement=form.cleaned_data["beyond_requirement"],
                        evidence=form.cleaned_data["evidence"],
                    )
                    messages.success(request, _("Đã cập nhật nhiệm vụ."))
            else:
                raise Http404
        except ValidationError as error:
            kept = {"form": form} if action == "add" else {}  # the typed task stays on the page
            return self.render_to_response(
                self.get_context_data(errors=error_messages(error, request), **kept)
            )
        return redirect("reviews:tasks", pk=self.rating.pk)


class TaskEvidenceDownloadView(RatingPapersMixin, View):
    """A task's evidence file, for those who read the rating's papers."""

    not_found = _("Không tìm thấy sổ nhiệm vụ.")

    def get(self, request, pk, file_pk):
        evidence = get_object_or_404(
            TaskEvidence.objects.present(),
            pk=file_pk,
            task__rating=self.rating,
            task__removed_at__isnull=True,
        )
        return private_file_response(
            evidence.file, filename=evidence.original_name, content_type=evidence.content_type
        )
