"""Downloads of the reports: the workbook, the report as PDF or Word and (for a unit) the
dossier bundle, built by the worker as export jobs (`reports.jobs`): the request queues the job
and shows its progress; the file, once made, is kept for download. The papers of one person or
one meeting (a few pages) are still made in the request.

The views only check the right and deliver what an exporter made (STYLE.md).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from organizations.http import private_bytes_response, private_file_response
from organizations.models import Organization
from organizations.permissions import visible_organizations
from reports.bundle import unit_slug
from reports.documents import (
    build_dossier_list,
    build_minutes_document,
    build_quarter_document,
    build_rerating_document,
    build_self_review_document,
)
from reports.exports import CONTENT_TYPES
from reports.forms import DocumentFieldsForm
from reports.jobs import export_job_request, export_job_retry
from reports.letterhead import letterhead_for
from reports.models import DocumentFields, ExportJob, ExportState
from reports.permissions import (
    DOCUMENT_FORMATS,
    DOCX,
    FORMATS,
    PDF,
    XLSX,
    allowed_formats,
    may_fill_document,
)
from reports.services import document_fields_save
from reports.streaks import build_streaks_workbook
from reviews.models import QuarterAssessment, ReRating, ReviewMeeting, SelfReview
from reviews.permissions import Scope, may_read_meeting, may_read_self_review
from reviews.selectors.history import years_asked
from reviews.views.ratings import CycleMixin


class ExportView(CycleMixin, View):
    """/bao-cao/<pk>/<format>/: GET shows the user's latest files of that report (and the
    button to make one); POST queues a new one and opens its progress. 404 outside the user's
    scope, 403 for a format his role does not give (a viewer asking for the dossier bundle)."""

    def dispatch_node(self, pk: int, fmt: str) -> Organization:
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
        return node

    def get(self, request, pk: int, fmt: str):
        node = self.dispatch_node(pk, fmt)
        jobs = ExportJob.objects.filter(
            cycle=self.cycle, organization=node, fmt=fmt, requested_by=request.user
        )[:10]
        return render(
            request,
            "reports/exports.html",
            {"node": node, "fmt": fmt, "jobs": jobs, "label": FORMAT_LABELS[fmt]},
        )

    def post(self, request, pk: int, fmt: str):
        node = self.dispatch_node(pk, fmt)
        job = export_job_request(cycle=self.cycle, node=node, fmt=fmt, acting_user=request.user)
        return redirect("reports:export-job", pk=job.pk)


#: What each export is called on its pages.
FORMAT_LABELS = {
    XLSX: _("Biểu thống kê (Excel)"),
    PDF: _("Báo cáo (PDF)"),
    DOCX: _("Báo cáo (Word)"),
    "zip": _("Hồ sơ (.zip)"),
}


class ExportJobMixin(LoginRequiredMixin):
    """A job of the user's own: another user's answers 404."""

    def get_job(self, pk: int) -> ExportJob:
        return get_object_or_404(
            ExportJob.objects.select_related("cycle", "organization"),
            pk=pk,
            requested_by=self.request.user,
        )


class ExportJobView(ExportJobMixin, View):
    """The progress of one export ("Đang tạo … 40%"), polled by htmx while it runs; its file
    to download once it is made; "Tạo lại" once it has failed."""

    def get(self, request, pk: int):
        job = self.get_job(pk)
        template = "reports/_export_job.html" if request.htmx else "reports/export_job.html"
        return render(
            request,
            template,
            {
                "job": job,
                "label": FORMAT_LABELS.get(job.fmt, ""),
                "keep_days": settings.EXPORT_KEEP_DAYS,
            },
        )

    def post(self, request, pk: int):
        job = self.get_job(pk)
        try:
            export_job_retry(job=job, acting_user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("reports:export-job", pk=job.pk)


class ExportFileView(ExportJobMixin, View):
    """The file a job made, for its requester while he may still export that report."""

    def get(self, request, pk: int):
        job = self.get_job(pk)
        if job.state != ExportState.DONE or not job.file:
            raise Http404
        scope = Scope(request.user, job.cycle)
        if job.fmt not in allowed_formats(scope, job.cycle, job.organization):
            raise Http404
        return private_file_response(
            job.file, filename=job.file_name, content_type=CONTENT_TYPES[job.fmt]
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


class SelfReviewDocumentView(LoginRequiredMixin, View):
    """GET: a self-review form as PDF or Word, for those who may read it (else 404)."""

    def get(self, request, pk: int, fmt: str = PDF):
        if fmt not in DOCUMENT_FORMATS:
            raise Http404
        self_review = get_object_or_404(
            SelfReview.objects.select_related(
                "rating__cycle__organization",
                "rating__member__account",
                "rating__organization",
                "rating__collective",
                "rating__unit",
                "rating__pool__owner",
            ),
            rating_id=pk,
        )
        rating = self_review.rating
        if not may_read_self_review(Scope(request.user, rating.cycle), rating):
            raise Http404
        stem = "bao-cao-kiem-diem" if self_review.is_collective else "ban-kiem-diem"
        return private_bytes_response(
            build_self_review_document(self_review, fmt),
            filename=f"{stem}-{rating.cycle.year}-{rating.pk}.{fmt}",
            content_type=CONTENT_TYPES[fmt],
        )


class QuarterDocumentView(LoginRequiredMixin, View):
    """GET: a quarter's self-assessment (Mẫu 05) as PDF or Word, for those who may read the
    person's papers (else 404)."""

    def get(self, request, pk: int, quarter: int, fmt: str = PDF):
        if fmt not in DOCUMENT_FORMATS:
            raise Http404
        assessment = get_object_or_404(
            QuarterAssessment.objects.select_related(
                "rating__cycle__organization",
                "rating__member__account",
                "rating__unit",
                "rating__pool__owner",
            ),
            rating_id=pk,
            quarter=quarter,
        )
        rating = assessment.rating
        if not may_read_self_review(Scope(request.user, rating.cycle), rating):
            raise Http404
        return private_bytes_response(
            build_quarter_document(assessment, fmt),
            filename=f"tu-danh-gia-quy-{quarter}-{rating.cycle.year}-{rating.pk}.{fmt}",
            content_type=CONTENT_TYPES[fmt],
        )


class DocumentFieldsView(CycleMixin, View):
    """The number, date, signer, recipients and proposals of a node's report, filled by the
    Board (any report) or the unit's clerk (his unit's) before export, and kept with it."""

    template_name = "reports/document_fields.html"

    def get_node(self, pk: int) -> Organization:
        node = get_object_or_404(Organization.objects.subtree_of(self.cycle.organization), pk=pk)
        if not may_fill_document(self.scope, self.cycle, node):
            raise Http404
        return node

    def render_page(self, request, node, form):
        self.defaults_shown(node, form)
        stored = DocumentFields.objects.filter(cycle=self.cycle, organization=node).first()
        changes = stored.changes.select_related("changed_by")[:20] if stored else []
        labels = {name: DocumentFields._meta.get_field(name).verbose_name for name in form.fields}
        return render(
            request,
            self.template_name,
            {
                "cycle": self.cycle,
                "node": node,
                "form": form,
                "stored": stored,
                "changes": changes,
                "labels": labels,
                "formats": DOCUMENT_FORMATS,
            },
        )

    def get(self, request, pk: int):
        node = self.get_node(pk)
        stored = DocumentFields.objects.filter(cycle=self.cycle, organization=node).first()
        return self.render_page(request, node, DocumentFieldsForm(instance=stored))

    def defaults_shown(self, node, form) -> None:
        """What a blank field prints, as its placeholder (the letterhead's own)."""
        head = letterhead_for(node, bloc=self.cycle.organization)
        form.fields["number"].widget.attrs["placeholder"] = head.document_number("…")
        form.fields["signer_position"].widget.attrs["placeholder"] = head.signer_position
        form.fields["recipients"].widget.attrs["placeholder"] = "\n".join(head.recipients)

    def post(self, request, pk: int):
        node = self.get_node(pk)
        form = DocumentFieldsForm(request.POST)
        if form.is_valid():
            try:
                document_fields_save(
                    cycle=self.cycle,
                    organization=node,
                    acting_user=request.user,
                    **form.cleaned_data,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Đã lưu thông tin văn bản."))
                return redirect("reports:document-fields", pk=node.pk)
        return self.render_page(request, node, form)


class MinutesDocumentView(LoginRequiredMixin, View):
    """GET: a review meeting's minutes as PDF or Word, for those who may read them (else 404)."""

    def get(self, request, pk: int, fmt: str = PDF):
        if fmt not in DOCUMENT_FORMATS:
            raise Http404
        meeting = get_object_or_404(
            ReviewMeeting.objects.select_related(
                "cycle__organization", "organization", "chair", "secretary"
            ),
            pk=pk,
        )
        if not may_read_meeting(Scope(request.user, meeting.cycle), meeting.organization):
            raise Http404
        return private_bytes_response(
            build_minutes_document(meeting, fmt),
            filename=f"bien-ban-hoi-nghi-{meeting.cycle.year}-{unit_slug(meeting.organization)}.{fmt}",
            content_type=CONTENT_TYPES[fmt],
        )


class DossierListView(CycleMixin, View):
    """GET: a unit's dossier list (Mẫu 04) as PDF or Word, for those who download its report."""

    def get(self, request, pk: int, fmt: str = PDF):
        if fmt not in DOCUMENT_FORMATS:
            raise Http404
        unit = get_object_or_404(Organization.objects.subtree_of(self.cycle.organization), pk=pk)
        if not unit.is_grassroots or fmt not in allowed_formats(self.scope, self.cycle, unit):
            raise Http404
        return private_bytes_response(
            build_dossier_list(self.cycle, unit, fmt),
            filename=f"danh-muc-ho-so-{self.cycle.year}-{unit_slug(unit)}.{fmt}",
            content_type=CONTENT_TYPES[fmt],
        )


class ExcellentStreaksExportView(CycleMixin, View):
    """GET: the members of a unit "Hoàn thành xuất sắc nhiệm vụ" N years running, as Excel."""

    def get(self, request, pk: int):
        nodes = visible_organizations(request.user).filter(
            path__startswith=self.cycle.organization.path
        )
        unit = get_object_or_404(nodes, pk=pk)
        years = years_asked(self.cycle, request.GET.get("nam", ""))
        return private_bytes_response(
            build_streaks_workbook(self.cycle, unit, years=years),
            filename=f"xuat-sac-{years}-nam-{self.cycle.year}-{unit_slug(unit)}.xlsx",
            content_type=CONTENT_TYPES[XLSX],
        )
