"""The criteria trees of a scored cycle: read by all, edited by the Board of the cycle's party
committee (HD 43-HD/BTCTW §7.12: the committee above sets the points inside the 30 and 70)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from organizations.models import Role
from reviews.forms import CriterionFormSet
from reviews.models import PART_MAXIMUM, Criterion, CriterionScore, Framework
from reviews.services.scores import criteria_save
from reviews.views.ratings import CycleMixin, error_messages


class CriteriaView(CycleMixin, View):
    template_name = "reviews/criteria.html"

    def setup_framework(self, framework: str) -> str:
        if not self.cycle.uses_scores:
            raise Http404(_("Kỳ này không chấm điểm."))
        if framework not in Framework.values:
            raise Http404
        return framework

    def may_edit(self) -> bool:
        return self.cycle.status != "closed" and self.scope.covers(
            self.cycle.organization.path, {Role.ORGANIZATION_BOARD}
        )

    def render_page(self, request, framework, formset, status=200):
        criteria = list(
            Criterion.objects.filter(cycle=self.cycle, framework=framework).order_by("order")
        )
        totals = {
            part: sum((c.max_points for c in criteria if c.part == part), 0)
            for part in PART_MAXIMUM
        }
        return render(
            request,
            self.template_name,
            {
                "cycle": self.cycle,
                "framework": Framework(framework),
                "frameworks": Framework.choices,
                "criteria": criteria,
                "totals": totals,
                "formset": formset,
                "can_edit": self.may_edit(),
                "scored": CriterionScore.objects.filter(criterion__in=criteria).exists(),
            },
            status=status,
        )

    def get(self, request, framework):
        framework = self.setup_framework(framework)
        criteria = Criterion.objects.filter(cycle=self.cycle, framework=framework).order_by("order")
        formset = CriterionFormSet(
            initial=[
                {"code": c.code, "part": c.part, "title": c.title, "max_points": c.max_points}
                for c in criteria
            ]
        )
        return self.render_page(request, framework, formset)

    def post(self, request, framework):
        framework = self.setup_framework(framework)
        if not self.may_edit():
            raise PermissionDenied(_("Bạn không có quyền thực hiện thao tác này."))
        formset = CriterionFormSet(request.POST)
        if not formset.is_valid():
            return self.render_page(request, framework, formset, status=400)
        rows = [
            form.cleaned_data
            for form in formset.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        try:
            criteria_save(
                cycle=self.cycle, framework=framework, rows=rows, acting_user=request.user
            )
        except ValidationError as error:
            for text in error_messages(error, request):
                messages.error(request, text)
            return self.render_page(request, framework, formset, status=400)
        messages.success(request, _("Đã lưu bộ tiêu chí."))
        return redirect("reviews:criteria", framework=framework)
