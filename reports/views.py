"""Downloads of the reports: the workbook, the report as PDF or Word and (for a unit) the
dossier bundle.

The view only checks the right and delivers the bytes an exporter made (STYLE.md). On the demo
bloc (80 units, 5,037 members, SQLite) the bloc-wide workbook takes about 3 s and the PDF about
1 s, so the file is made in the request and streamed as an attachment; a background job with a
progress page would only pay off well above that size.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views import View

from organizations.http import private_bytes_response
from organizations.models import Organization
from reports.bundle import build_bundle, unit_slug
from reports.documents import build_report, build_rerating_document
from reports.excel import build_workbook
from reports.permissions import DOCUMENT_FORMATS, DOCX, FORMATS, PDF, XLSX, allowed_formats
from reviews.models import ReRating
from reviews.views.ratings import CycleMixin

CONTENT_TYPES = {
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    PDF: "application/pdf",
    DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "zip": "application/zip",
}
FILE_STEMS = {XLSX: "bieu-thong-ke", PDF: "bao-cao", DOCX: "bao-cao", "zip": "ho-so"}


def export(cycle, node, fmt: str, **document_fields) -> bytes:
    """The file of `fmt`; `document_fields` (number, issued_on) fill the printed report."""
    if fmt == XLSX:
        return build_workbook(cycle, node)
    if fmt in DOCUMENT_FORMATS:
        return build_report(cycle, node, fmt, **document_fields)
    return build_bundle(cycle, node)


def file_name(cycle, node, fmt: str) -> str:
    return f"{FILE_STEMS[fmt]}-{cycle.year}-{unit_slug(node)}.{fmt}"


class DownloadView(CycleMixin, View):
    """GET /bao-cao/<pk>/<format>/: 404 outside the user's scope, 403 for a format his role
    does not give (a viewer asking for the dossier bundle)."""

    def get(self, request, pk: int, fmt: str):
        if fmt not in FORMATS:
            raise Http404
        node = get_object_or_404(Organization.objects.subtree_of(self.cycle.organization), pk=pk)
        formats = allowed_formats(self.scope, self.cycle, node)
        if not formats:
            raise Http404
        if fmt not in formats:
            if fmt == "zip" and not node.is_grassroots:
                raise Http404
            raise PermissionDenied(_("Bạn không có quyền thực hiện thao tác này."))
        content = export(self.cycle, node, fmt)
        return private_bytes_response(
            content, filename=file_name(self.cycle, node, fmt), content_type=CONTENT_TYPES[fmt]
        )


class ReRatingDocumentView(CycleMixin, View):
    """GET: the re-rating decision (Mẫu 03) as PDF or Word, for those who may see the rating."""

    def get(self, request, pk: int, fmt: str = PDF):
        if fmt not in DOCUMENT_FORMATS:
            raise Http404
        rerating = get_object_or_404(
            ReRating.objects.select_related(
                "rating__member", "rating__organization", "rating__collective", "rating__pool"
            ).filter(rating__in=self.scope.visible_ratings(self.cycle)),
            pk=pk,
        )
        return private_bytes_response(
            build_rerating_document(rerating, fmt),
            filename=f"quyet-dinh-xep-loai-lai-{rerating.pk}.{fmt}",
            content_type=CONTENT_TYPES[fmt],
        )
