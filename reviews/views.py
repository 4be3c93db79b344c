from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView

from organizations.permissions import active_assignments
from reviews.selectors import cycle_for_user, progress_in_scope


class HomeView(LoginRequiredMixin, TemplateView):
    """The user's organization, the cycle and its deadline, and where his work stands."""

    template_name = "home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        assignments = list(active_assignments(self.request.user))
        cycle = cycle_for_user(self.request.user)
        context["assignments"] = assignments
        context["cycle"] = cycle
        if cycle is not None:
            nodes = [a.organization for a in assignments]
            if self.request.user.is_superuser and not nodes:
                nodes = [cycle.organization]
            context["progress"] = progress_in_scope(cycle, nodes)
        return context
