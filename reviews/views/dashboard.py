"""The Organization Board's dashboard: every grassroots unit's progress against the deadline."""

from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from organizations.models import GrassrootsType, Organization, Role
from organizations.replica import ReplicaReadsMixin
from reviews.models import Rating, SubmissionState
from reviews.permissions import may_read_self_review
from reviews.selectors.history import level_trend
from reviews.selectors.progress import (
    level_totals,
    pending_flags,
    questions_overview,
    units_progress,
)
from reviews.selectors.quarters import personnel_flags, quarters_overview
from reviews.views.ratings import CycleMixin

DASHBOARD_ROLES = {
    Role.ORGANIZATION_BOARD,
    Role.INSPECTION_COMMITTEE,
    Role.OFFICE,
    Role.VIEWER,
}
SORTS = {
    "ten": lambda row: row.unit.path,
    "trang-thai": lambda row: (row.state, row.unit.path),
    "gui-luc": lambda row: (
        row.submission.submitted_at is None if row.submission else True,
        row.submission.submitted_at.timestamp()
        if row.submission and row.submission.submitted_at
        else 0,
    ),
    "ty-le": lambda row: -(row.excellent_share_of_good or 0),
}


PENDING_FLAGS_SHOWN = 50
#: Units per page of the table and the chart (a province lists a thousand).
UNITS_PER_PAGE = 50


class DashboardView(CycleMixin, ReplicaReadsMixin, TemplateView):
    """Every unit: state, time, late flag, counts and shares per level, quota per pool. Read
    from the replica when there is one (it may lag a moment behind the last save)."""

    template_name = "reviews/dashboard.html"

    def check_access(self) -> None:
        if not self.scope.covers(self.cycle.organization.path, DASHBOARD_ROLES):
            raise PermissionDenied(_("Bạn không có quyền thực hiện thao tác này."))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        bloc = self.cycle.organization
        units = list(
            Organization.objects.subtree_of(bloc)
            .grassroots()
            .filter(Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=self.cycle.reference_date))
        )
        everything = units_progress(self.cycle, units)
        rows = everything
        state = self.request.GET.get("trang_thai", "")
        if state in SubmissionState.values:
            rows = [row for row in rows if row.state == state]
        unit_type = self.request.GET.get("loai_hinh", "")
        if unit_type in GrassrootsType.values:
            rows = [row for row in rows if row.unit.grassroots_type == unit_type]
        if self.request.GET.get("tre_han"):
            rows = [row for row in rows if row.submission and row.submission.is_late]
        today = timezone.localdate()
        for row in everything:
            row.overdue = row.is_overdue(today=today, deadline=self.cycle.deadline)
        if self.request.GET.get("qua_han"):
            rows = [row for row in rows if row.overdue]
        if self.request.GET.get("vuot"):
            rows = [row for row in rows if row.any_over]
        sort = self.request.GET.get("sap_xep", "ten")
        rows = sorted(rows, key=SORTS.get(sort, SORTS["ten"]))
        # The totals read every unit; the table and the chart show a page of them.
        page = Paginator(rows, UNITS_PER_PAGE).get_page(self.request.GET.get("page"))
        rows = list(page.object_list)
        states = dict.fromkeys(SubmissionState.values, 0)
        for row in everything:
            states[row.state] += 1
        totals = level_totals(everything)
        flags = list(pending_flags(self.cycle))
        rated = sum(v for k, v in totals.items() if k != "not_rated")
        filters = {
            "trang_thai": state,
            "loai_hinh": unit_type,
            "tre_han": self.request.GET.get("tre_han", ""),
            "vuot": self.request.GET.get("vuot", ""),
            "qua_han": self.request.GET.get("qua_han", ""),
            "sap_xep": sort,
        }
        context.update(
            cycle=self.cycle,
            rows=rows,
            page_obj=page,
            querystring=urlencode({key: value for key, value in filters.items() if value}),
            total_units=len(everything),
            state_counts=[
                (value, label, states[value]) for value, label in SubmissionState.choices
            ],
            overdue_count=sum(1 for row in everything if row.overdue),
            late_count=sum(1 for row in everything if row.submission and row.submission.is_late),
            over_count=sum(1 for row in everything if row.any_over),
            totals=totals,
            rated_total=rated,
            distribution=_distribution(totals, rated),
            chart_rows=[row for row in rows if row.member_quota and row.member_quota.good],
            rate_percent=float(self.cycle.quota_rate) * 100,
            filters=filters,
            questions=questions_overview(self.cycle),
            pending_flags=flags[:PENDING_FLAGS_SHOWN],
            pending_flag_count=len(flags),
            states=SubmissionState.choices,
            unit_types=GrassrootsType.choices,
            quarters=quarters_overview(self.cycle) if self.cycle.uses_scores else None,
            trend=level_trend(bloc),
            personnel_flags=[
                (flag, may_read_self_review(self.scope, flag.rating))  # else the link is a 404
                for flag in personnel_flags(
                    self.cycle, Rating.objects.filter(cycle=self.cycle).under(bloc)
                )
            ],
        )
        return context


def _distribution(totals: dict[str, int], rated: int) -> list[dict]:
    """Stacked-bar segments for the bloc's member levels (percent of those rated)."""
    segments = [
        ("excellent", _("Hoàn thành xuất sắc"), "#1b5e20"),
        ("good", _("Hoàn thành tốt"), "#43a047"),
        ("completed", _("Hoàn thành"), "#f9a825"),
        ("not_completed", _("Không hoàn thành"), "#c62828"),
        ("undecided", _("Chưa quyết định"), "#9e9e9e"),
    ]
    result, offset = [], 0.0
    for key, label, color in segments:
        share = 100 * totals[key] / rated if rated else 0
        result.append(
            {
                "key": key,
                "label": label,
                "color": color,
                "count": totals[key],
                "share": share,
                "offset": offset,
            }
        )
        offset += share
    return result
