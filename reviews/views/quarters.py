"""Quarterly evaluation in the browser: Q1–Q3 of one person's year, his self-assessment (Mẫu
05) and his manager's assessment, with each quarter's deadline (KL 198-KL/TW)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from reviews.models import QUARTERS, Level, QuarterAssessment
from reviews.permissions import (
    may_assess_quarter,
)
from reviews.selectors.quarters import INDIVIDUAL_KINDS
from reviews.services.quarters import quarter_assess, quarter_self_assess
from reviews.views.ratings import error_messages
from reviews.views.self_reviews import RatingPapersMixin


def _version(value: str) -> int | None:
    return int(value) if value.isdigit() else None


class QuartersView(RatingPapersMixin, TemplateView):
    """GET the person's Q1–Q3; POST `quarter` with `part` = self or manager."""

    template_name = "reviews/quarters.html"
    not_found = _("Không tìm thấy đánh giá quý.")
    subject_kinds = INDIVIDUAL_KINDS

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = {row.quarter: row for row in QuarterAssessment.objects.filter(rating=self.rating)}
        assesses = self.rating.is_reviewed and may_assess_quarter(self.scope, self.rating)
        context.update(
            rating=self.rating,
            cycle=self.rating.cycle,
            quarters=[
                (
                    quarter,
                    rows.get(quarter) or QuarterAssessment(rating=self.rating, quarter=quarter),
                )
                for quarter in QUARTERS
            ],
            writes=self.may_write,
            assesses=assesses,
            level_choices=Level.choices,
            errors=kwargs.get("errors", {}),
        )
        return context

    def post(self, request, pk):
        quarter = request.POST.get("quarter", "")
        part = request.POST.get("part", "")
        if not quarter.isdigit() or int(quarter) not in QUARTERS or part not in ("self", "manager"):
            raise Http404
        quarter = int(quarter)
        allowed = self.may_write if part == "self" else may_assess_quarter(self.scope, self.rating)
        if not allowed or not self.rating.is_reviewed:
            raise PermissionDenied(_("Bạn không có quyền ghi đánh giá quý này."))
        version = _version(request.POST.get("version", ""))
        try:
            if part == "self":
                quarter_self_assess(
                    rating=self.rating,
                    quarter=quarter,
                    tasks=request.POST.get("tasks", ""),
                    results=request.POST.get("results", ""),
                    self_level=request.POST.get("self_level", ""),
                    acting_user=request.user,
                    expected_version=version,
                )
            else:
                quarter_assess(
                    rating=self.rating,
                    quarter=quarter,
                    level=request.POST.get("manager_level", ""),
                    comment=request.POST.get("manager_comment", ""),
                    acting_user=request.user,
                    expected_version=version,
                )
        except ValidationError as error:
            context = self.get_context_data(errors={quarter: error_messages(error, request)})
            return self.render_to_response(context)
        messages.success(request, _("Đã ghi đánh giá quý %(q)s.") % {"q": quarter})
        return redirect(f"{request.path}#quy-{quarter}")
