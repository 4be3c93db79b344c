"""Screens of the Excel import: templates, upload, the checked preview, apply.

The Organization Board imports for its bloc, a clerk for his grassroots unit. An upload is kept
privately (`ImportBatch`) and checked again from the stored file when applied: nothing the
browser sends back is trusted.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from members.imports import (
    IMPORT_MAX_BYTES,
    ImportContext,
    ImportRefused,
    Preview,
    batch_data,
    batch_store,
    cached_preview,
    earlier_application,
    file_apply,
    file_preview,
    import_scopes,
    members_template,
    organizations_template,
)
from members.models import ImportBatch, ImportKind
from organizations.http import private_bytes_response

KIND_SLUGS = {"to-chuc": ImportKind.ORGANIZATIONS, "dang-vien": ImportKind.MEMBERS}
SLUG_OF = {kind: slug for slug, kind in KIND_SLUGS.items()}
TEMPLATES = {ImportKind.ORGANIZATIONS: organizations_template, ImportKind.MEMBERS: members_template}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: Rows of each kind listed on the preview page (all are checked and counted).
PREVIEW_LIMIT = 300
EMPTY_FILE_MESSAGE = gettext_lazy("Tệp rỗng: không có dữ liệu để nhập.")


def xlsx_response(data: bytes, filename: str) -> HttpResponse:
    return private_bytes_response(data, filename=filename, content_type=XLSX)


class UploadForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Loại dữ liệu"),
        choices=[(k, label) for k, label in ImportKind.choices if k in TEMPLATES],
    )
    scope = forms.TypedChoiceField(label=gettext_lazy("Phạm vi"), coerce=int)
    file = forms.FileField(
        label=gettext_lazy("Tệp Excel (.xlsx, tối đa %(mb)s MB)")
        % {"mb": IMPORT_MAX_BYTES // (1024 * 1024)},
        max_length=255,
        error_messages={"empty": EMPTY_FILE_MESSAGE},
    )

    def __init__(self, *args, scopes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scope"].choices = [(node.pk, node.name) for node in scopes]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("Tệp lớn hơn %(mb)s MB; hãy chia nhỏ tệp.")
                % {"mb": IMPORT_MAX_BYTES // (1024 * 1024)},
                code="file_too_large",
            )
        return upload


def read_upload(upload) -> bytes:
    """The uploaded bytes; never more than the limit plus one byte is read."""
    upload.seek(0)
    return upload.read(IMPORT_MAX_BYTES + 1)


class ImportMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.scopes = import_scopes(request.user)
        if not self.scopes:
            raise PermissionDenied(_("Bạn không có quyền thực hiện thao tác này."))
        return super().dispatch(request, *args, **kwargs)

    def get_batch(self, pk) -> ImportBatch:
        """The user's own upload, still inside a scope he may import into; else 404."""
        return get_object_or_404(
            ImportBatch.objects.select_related("organization", "uploaded_by"),
            pk=pk,
            uploaded_by=self.request.user,
            kind__in=list(TEMPLATES),
            organization__in=self.scopes,
        )


class ImportStartView(ImportMixin, View):
    """Templates to download and the upload form."""

    template_name = "imports/start.html"

    def get(self, request):
        kind = KIND_SLUGS.get(request.GET.get("loai", ""), ImportKind.MEMBERS)
        form = UploadForm(scopes=self.scopes, initial={"kind": kind})
        return self.render(form)

    def post(self, request):
        form = UploadForm(request.POST, request.FILES, scopes=self.scopes)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            scope = next(n for n in self.scopes if n.pk == form.cleaned_data["scope"])
            try:
                batch = batch_store(
                    kind=form.cleaned_data["kind"],
                    data=read_upload(upload),
                    file_name=upload.name,
                    user=request.user,
                    scope=scope,
                )
            except ImportRefused as refusal:
                form.add_error(
                    "file",
                    forms.ValidationError(refusal.message, code=refusal.code),
                )
            else:
                return redirect("members:import-preview", pk=batch.pk)
        return self.render(form, status=400)

    def render(self, form, status=200):
        recent = ImportBatch.objects.filter(
            uploaded_by=self.request.user, kind__in=list(TEMPLATES)
        ).select_related("organization")[:10]
        return render(
            self.request,
            self.template_name,
            {"form": form, "scopes": self.scopes, "recent": recent, "slugs": SLUG_OF},
            status=status,
        )


class TemplateDownloadView(ImportMixin, View):
    def get(self, request, kind):
        if kind not in KIND_SLUGS:
            raise Http404
        scope_id = request.GET.get("pham_vi", "")
        scope = next((n for n in self.scopes if str(n.pk) == scope_id), self.scopes[0])
        data = TEMPLATES[KIND_SLUGS[kind]](scope)
        return xlsx_response(data, f"mau-nhap-{kind}-{scope.code}.xlsx")


def preview_context(preview, batch, **extra) -> dict:
    return {
        "preview": preview,
        "batch": batch,
        "counts": preview.counts,
        "added": preview.of("add")[:PREVIEW_LIMIT],
        "updated": preview.of("update")[:PREVIEW_LIMIT],
        "limit": PREVIEW_LIMIT,
        "errors": sorted(preview.errors, key=lambda e: (e.row, e.ref)),
        "earlier": earlier_application(batch),
        **extra,
    }


class ImportPreviewView(ImportMixin, View):
    """The checked file: rows to add, to update (old → new) and in error, with their cells."""

    template_name = "imports/preview.html"

    def get(self, request, pk):
        batch = self.get_batch(pk)
        return self.show(batch, self.check(batch))

    def context(self, batch) -> ImportContext:
        return ImportContext(
            user=self.request.user, scope=batch.organization, file_name=batch.file_name
        )

    def check(self, batch):
        def compute():
            try:
                data = batch_data(batch)
            except ImportRefused as refusal:
                return Preview(kind=batch.kind, refused=refusal)
            return file_preview(kind=batch.kind, data=data, ctx=self.context(batch))

        return cached_preview(batch, self.request.user, compute)

    def show(self, batch, preview, status=200):
        context = preview_context(
            preview,
            batch,
            apply_url=reverse("members:import-apply", args=[batch.pk]),
            restart_url=reverse("members:import") + f"?loai={SLUG_OF[batch.kind]}",
        )
        return render(self.request, self.template_name, context, status=status)


class ImportApplyView(ImportPreviewView):
    """POST: check the stored file again and write it all, or nothing."""

    def get(self, request, pk):
        return redirect("members:import-preview", pk=pk)

    def post(self, request, pk):
        batch = self.get_batch(pk)
        if batch.is_applied:
            messages.info(request, _("Tệp này đã được áp dụng."))
            return redirect("members:import-preview", pk=batch.pk)
        try:
            data = batch_data(batch)
        except ImportRefused as refusal:
            return self.show(batch, Preview(kind=batch.kind, refused=refusal), status=400)
        preview, applied = file_apply(
            kind=batch.kind, data=data, ctx=self.context(batch), batch=batch
        )
        if applied is None:
            return self.show(batch, preview, status=400)
        counts = applied.counts
        messages.success(
            request,
            _(
                "Đã áp dụng tệp %(name)s: thêm %(added)s, cập nhật %(updated)s, "
                "không đổi %(unchanged)s."
            )
            % {"name": batch.file_name, **counts},
        )
        return redirect("members:import-preview", pk=batch.pk)
