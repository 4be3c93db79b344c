"""History across cycles (issue #15, point 4): a member's and a unit's results in every cycle,
and the members rated "Hoàn thành xuất sắc nhiệm vụ" N years running."""

from urllib.parse import urlencode

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404
from django.views.generic import TemplateView

from members.permissions import visible_members
from organizations.permissions import assignments_on, visible_organizations
from reviews.models import Level, SubjectKind
from reviews.selectors.history import (
    excellent_streak,
    excellent_streaks,
    level_trend,
    member_history,
    unit_history,
    years_asked,
)
from reviews.views.ratings import CycleMixin

STREAKS_PER_PAGE = 50


class MemberHistoryView(LoginRequiredMixin, TemplateView):
    """A member's level (and score) in every cycle, through his transfers."""

    template_name = "reviews/member_history.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        member = get_object_or_404(
            visible_members(self.request.user).select_related("organization"), pk=kwargs["pk"]
        )
        lines = member_history(member)
        as_member = [
            (line.year, line.level)
            for line in lines
            if line.rating.subject_kind == SubjectKind.MEMBER
        ]
        context.update(member=member, lines=lines, streak=excellent_streak(as_member))
        return context


class UnitHistoryView(LoginRequiredMixin, TemplateView):
    """An organization's own level in every cycle, through merges and renames."""

    template_name = "reviews/unit_history.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        organization = get_object_or_404(visible_organizations(self.request.user), pk=kwargs["pk"])
        lines = unit_history(organization)
        context.update(
            organization=organization,
            lines=lines,
            trend=level_trend(organization),
            streak=excellent_streak((line.year, line.level) for line in lines),
        )
        return context


class ExcellentStreaksView(CycleMixin, TemplateView):
    """The members of a unit rated "Hoàn thành xuất sắc nhiệm vụ" N years running up to the
    cycle (N: the cycle's setting, or ?nam=), for commendation; with an Excel export."""

    template_name = "reviews/excellent_streaks.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        nodes = visible_organizations(self.request.user).filter(
            path__startswith=self.cycle.organization.path
        )
        chosen = self.request.GET.get("don_vi", "")
        if chosen.isdigit():
            unit = get_object_or_404(nodes, pk=int(chosen))
        else:
            # The highest node the user's roles cover in the cycle (the bloc for the Board).
            roots = [
                a.organization
                for a in assignments_on(self.request.user, self.cycle.reference_date)
                if a.organization.path.startswith(self.cycle.organization.path)
            ]
            top = min(roots, key=lambda node: node.depth, default=self.cycle.organization)
            unit = get_object_or_404(nodes, pk=top.pk)
        years = years_asked(self.cycle, self.request.GET.get("nam", ""))
        context.update(
            cycle=self.cycle,
            unit=unit,
            years=years,
            **self.paged(excellent_streaks(self.cycle, unit, years=years), unit, years),
            excellent=Level.EXCELLENT.label,
        )
        return context

    def paged(self, streaks, unit, years) -> dict:
        """A page of the list (a province's list runs to thousands); the export has them all."""
        page = Paginator(streaks, STREAKS_PER_PAGE).get_page(self.request.GET.get("page"))
        return {
            "streaks": page.object_list,
            "page_obj": page,
            "first_number": page.start_index(),
            "querystring": urlencode({"don_vi": unit.pk, "nam": years}),
        }
