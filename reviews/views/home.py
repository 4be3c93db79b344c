"""The home page: the user's organization, the cycle and its deadline, where his work stands."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView, TemplateView

from organizations.permissions import active_assignments, assignments_on
from reviews.models import Notification, Submission
from reviews.selectors import CYCLE_SESSION_KEY, cycle_for_user, cycles_for_user, progress_in_scope
from reviews.selectors.self_reviews import own_ratings
from reviews.services.notifications import notifications_mark_read


class HomeView(LoginRequiredMixin, TemplateView):
    """The user's organization, the cycle and its deadline, and where his work stands."""

    template_name = "home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        cycle = cycle_for_user(self.request.user, self.request.session.get(CYCLE_SESSION_KEY))
        assignments = list(
            assignments_on(self.request.user, cycle.reference_date)
            if cycle is not None
            else active_assignments(self.request.user)
        )
        context["assignments"] = assignments
        context["own_ratings"] = own_ratings(self.request.user)[:10]
        context["cycle"] = cycle
        if cycle is not None:
            nodes = [a.organization for a in assignments]
            if self.request.user.is_superuser and not nodes:
                nodes = [cycle.organization]
            context["progress"] = progress_in_scope(cycle, nodes)
            context["submissions"] = Submission.objects.filter(
                cycle=cycle,
                organization__in=[a.organization for a in assignments if a.role == "clerk"],
            ).select_related("organization")
        return context


class CycleChooseView(LoginRequiredMixin, View):
    """Work in another cycle (e.g. look back at 2021 while 2026 runs): kept in the session."""

    def post(self, request):
        chosen = request.POST.get("cycle", "")
        cycles = {cycle.pk: cycle for cycle in cycles_for_user(request.user)}
        if not chosen.isdigit() or int(chosen) not in cycles:
            messages.error(request, _("Không có kỳ đánh giá này."))
        else:
            request.session[CYCLE_SESSION_KEY] = int(chosen)
            messages.success(
                request, _("Đang làm việc với: %(cycle)s.") % {"cycle": cycles[int(chosen)]}
            )
        return redirect("home")


class NotificationListView(LoginRequiredMixin, ListView):
    """The user's notifications, newest first, the unread ones marked; a POST marks them read."""

    template_name = "reviews/notifications.html"
    context_object_name = "notifications"
    paginate_by = 30

    def get_queryset(self):
        return Notification.objects.filter(user=self.request.user)

    def post(self, request, *args, **kwargs):
        """ "Đánh dấu đã đọc": reading the list changes nothing; this button does."""
        count = notifications_mark_read(user=request.user)
        messages.success(
            request, _("Đã đánh dấu %(count)s thông báo là đã đọc.") % {"count": count}
        )
        return redirect("notifications")
