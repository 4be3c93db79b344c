"""The rating sheet's round trip: download the unit's sheet, upload it filled, preview, apply."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from members.import_views import (
    EMPTY_FILE_MESSAGE,
    preview_context,
    read_upload,
    xlsx_response,
)
from members.imports import (
    IMPORT_MAX_BYTES,
    ImportRefused,
    Preview,
    batch_data,
    batch_store,
    cached_preview,
)
from members.models import ImportBatch, ImportKind
from reviews.models import Pool, SubjectKind
from reviews.roundtrip import rating_apply, rating_preview, rating_sheet
from reviews.views.ratings import CycleMixin


class RatingSheetUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Bảng xếp loại đã điền (.xlsx, tối đa %(mb)s MB)")
        % {"mb": IMPORT_MAX_BYTES // (1024 * 1024)},
        max_length=255,
        error_messages={"empty": EMPTY_FILE_MESSAGE},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("Tệp lớn hơn %(mb)s MB.") % {"mb": IMPORT_MAX_BYTES // (1024 * 1024)},
                code="file_too_large",
            )
        return upload


class RoundTripMixin(CycleMixin):
    def get_member_pool(self, pk) -> Pool:
        """A member pool the user sees; another unit's pool is a 404."""
        return get_object_or_404(
            self.scope.visible_pools(self.cycle), pk=pk, subject_kind=SubjectKind.MEMBER
        )

    def require_editor(self) -> None:
        if not self.scope.can_edit_anything():
            raise PermissionDenied(_("Bạn không có quyền thực hiện thao tác này."))

    def get_batch(self, pk) -> tuple[ImportBatch, Pool]:
        batch = get_object_or_404(
            ImportBatch.objects.select_related("organization"),
            pk=pk,
            kind=ImportKind.RATINGS,
            uploaded_by=self.request.user,
        )
        pool = get_object_or_404(
            self.scope.visible_pools(self.cycle),
            owner=batch.organization,
            subject_kind=SubjectKind.MEMBER,
        )
        return batch, pool


class RatingSheetDownloadView(RoundTripMixin, View):
    def get(self, request, pk):
        pool = self.get_member_pool(pk)
        data = rating_sheet(pool=pool, scope=self.scope, user=request.user)
        return xlsx_response(data, f"xep-loai-{pool.owner.code}-{self.cycle.year}.xlsx")


class RatingSheetUploadView(RoundTripMixin, View):
    template_name = "imports/ratings_upload.html"

    def get(self, request, pk):
        pool = self.get_member_pool(pk)
        self.require_editor()
        return self.render(pool, RatingSheetUploadForm())

    def post(self, request, pk):
        pool = self.get_member_pool(pk)
        self.require_editor()
        form = RatingSheetUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                batch = batch_store(
                    kind=ImportKind.RATINGS,
                    data=read_upload(upload),
                    file_name=upload.name,
                    user=request.user,
                    scope=pool.owner,
                )
            except ImportRefused as refusal:
                form.add_error(
                    "file",
                    forms.ValidationError(refusal.message, code=refusal.code),
                )
            else:
                return redirect("reviews:rating-import-preview", pk=batch.pk)
        return self.render(pool, form, status=400)

    def render(self, pool, form, status=200):
        context = {"pool": pool, "cycle": self.cycle, "form": form}
        return render(self.request, self.template_name, context, status=status)


class RatingImportPreviewView(RoundTripMixin, View):
    template_name = "imports/preview.html"

    def get(self, request, pk):
        batch, pool = self.get_batch(pk)

        def compute():
            try:
                data = batch_data(batch)
            except ImportRefused as refusal:
                return Preview(kind=batch.kind, refused=refusal)
            return rating_preview(data=data, pool=pool, scope=self.scope, user=request.user)

        return self.show(batch, pool, cached_preview(batch, request.user, compute))

    def show(self, batch, pool, preview, status=200):
        context = preview_context(
            preview,
            batch,
            pool=pool,
            cycle=self.cycle,
            apply_url=reverse("reviews:rating-import-apply", args=[batch.pk]),
            restart_url=reverse("reviews:rating-sheet-upload", args=[pool.pk]),
            back_url=reverse("reviews:pool", args=[pool.pk]),
        )
        return render(self.request, self.template_name, context, status=status)


class RatingImportApplyView(RatingImportPreviewView):
    def get(self, request, pk):
        return redirect("reviews:rating-import-preview", pk=pk)

    def post(self, request, pk):
        batch, pool = self.get_batch(pk)
        self.require_editor()
        if batch.is_applied:
            messages.info(request, _("Tệp này đã được áp dụng."))
            return redirect("reviews:rating-import-preview", pk=batch.pk)
        try:
            data = batch_data(batch)
        except ImportRefused as refusal:
            preview = Preview(kind=batch.kind, refused=refusal)
            return self.show(batch, pool, preview, status=400)
        preview, applied = rating_apply(
            data=data, pool=pool, scope=self.scope, user=request.user, batch=batch
        )
        if applied is None:
            return self.show(batch, pool, preview, status=400)
        messages.success(
            request,
            _("Đã cập nhật kết quả xếp loại của %(count)s đảng viên từ tệp %(name)s.")
            % {"count": applied.counts.get("updated", 0), "name": batch.file_name},
        )
        return redirect("reviews:pool", pk=pool.pk)
