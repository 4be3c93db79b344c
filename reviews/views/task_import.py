"""A pool's task register in Excel (issue #15, point 1): download, upload, preview, apply."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from members.import_views import preview_context, read_upload, xlsx_response
from members.imports import (
    IMPORT_MAX_BYTES,
    ImportRefused,
    Preview,
    batch_data,
    batch_store,
    cached_preview,
)
from members.models import ImportBatch, ImportKind
from reviews.models import Pool
from reviews.permissions import may_read_any_self_review
from reviews.task_import import tasks_apply, tasks_preview, tasks_template
from reviews.views.ratings import CycleMixin
from reviews.views.roundtrip import RatingSheetUploadForm


class TaskRegisterUploadForm(RatingSheetUploadForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].label = gettext_lazy(
            "Sổ nhiệm vụ đã điền (.xlsx, tối đa %(mb)s MB)"
        ) % {"mb": IMPORT_MAX_BYTES // (1024 * 1024)}


class TaskRegisterMixin(CycleMixin):
    def get_register_pool(self, pk) -> Pool:
        """A pool of a cycle with a task register (QĐ 366) the user sees; else 404."""
        pool = self.get_pool(pk)
        if not pool.cycle.uses_scores:
            raise PermissionDenied(_("Kỳ đánh giá này không dùng sổ theo dõi nhiệm vụ."))
        return pool

    def require_editor(self) -> None:
        if not (self.scope.can_edit_anything() and self.cycle.is_open):
            raise PermissionDenied(_("Bạn không có quyền thực hiện thao tác này."))

    def get_batch(self, pool_pk, pk) -> tuple[ImportBatch, Pool]:
        """The user's own upload of a task register, for a pool of its unit."""
        pool = self.get_register_pool(pool_pk)
        batch = get_object_or_404(
            ImportBatch.objects.select_related("organization"),
            pk=pk,
            kind=ImportKind.TASKS,
            uploaded_by=self.request.user,
            organization=pool.owner,
        )
        return batch, pool


class TaskRegisterDownloadView(TaskRegisterMixin, View):
    """The pool's register, rows limited to those whose register the user reads; a 404 for one
    who reads none (a viewer, the inspection committee), as on the register's page."""

    def get(self, request, pk):
        pool = self.get_register_pool(pk)
        if not may_read_any_self_review(self.scope, pool):
            raise Http404(_("Không tìm thấy sổ nhiệm vụ."))
        data = tasks_template(pool=pool, scope=self.scope)
        return xlsx_response(data, f"so-nhiem-vu-{pool.owner.code}-{self.cycle.year}.xlsx")


class TaskRegisterUploadView(TaskRegisterMixin, View):
    template_name = "imports/tasks_upload.html"

    def get(self, request, pk):
        pool = self.get_register_pool(pk)
        self.require_editor()
        return self.render(pool, TaskRegisterUploadForm())

    def post(self, request, pk):
        pool = self.get_register_pool(pk)
        self.require_editor()
        form = TaskRegisterUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                batch = batch_store(
                    kind=ImportKind.TASKS,
                    data=read_upload(upload),
                    file_name=upload.name,
                    user=request.user,
                    scope=pool.owner,
                )
            except ImportRefused as refusal:
                form.add_error("file", refusal.message)
            else:
                return redirect("reviews:task-import-preview", pool_pk=pool.pk, pk=batch.pk)
        return self.render(pool, form, status=400)

    def render(self, pool, form, status=200):
        context = {"pool": pool, "cycle": self.cycle, "form": form}
        return render(self.request, self.template_name, context, status=status)


class TaskImportPreviewView(TaskRegisterMixin, View):
    template_name = "imports/preview.html"

    def get(self, request, pool_pk, pk):
        batch, pool = self.get_batch(pool_pk, pk)

        def compute():
            try:
                data = batch_data(batch)
            except ImportRefused as refusal:
                return Preview(kind=batch.kind, refused=refusal)
            return tasks_preview(data=data, pool=pool, scope=self.scope, user=request.user)

        return self.show(batch, pool, cached_preview(batch, request.user, compute))

    def show(self, batch, pool, preview, status=200):
        context = preview_context(
            preview,
            batch,
            pool=pool,
            cycle=self.cycle,
            apply_url=reverse("reviews:task-import-apply", args=[pool.pk, batch.pk]),
            restart_url=reverse("reviews:task-register-upload", args=[pool.pk]),
            back_url=reverse("reviews:pool", args=[pool.pk]),
        )
        return render(self.request, self.template_name, context, status=status)


class TaskImportApplyView(TaskImportPreviewView):
    def get(self, request, pool_pk, pk):
        return redirect("reviews:task-import-preview", pool_pk=pool_pk, pk=pk)

    def post(self, request, pool_pk, pk):
        batch, pool = self.get_batch(pool_pk, pk)
        self.require_editor()
        if batch.is_applied:
            messages.info(request, _("Tệp này đã được áp dụng."))
            return redirect("reviews:task-import-preview", pool_pk=pool.pk, pk=batch.pk)
        try:
            data = batch_data(batch)
        except ImportRefused as refusal:
            return self.show(batch, pool, Preview(kind=batch.kind, refused=refusal), status=400)
        preview, applied = tasks_apply(
            data=data, pool=pool, scope=self.scope, user=request.user, batch=batch
        )
        if applied is None:
            return self.show(batch, pool, preview, status=400)
        messages.success(
            request,
            _("Đã nhập sổ nhiệm vụ từ tệp %(name)s: thêm %(added)s, cập nhật %(updated)s.")
            % {"name": batch.file_name, **applied.counts},
        )
        return redirect("reviews:pool", pk=pool.pk)
