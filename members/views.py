from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.generic import DetailView, ListView

from members.forms import MemberFilterForm
from members.names import normalize_name
from members.permissions import visible_members
from organizations.permissions import visible_organizations
from organizations.widgets import PickerView

STATUS_FILTERS = {
    "chinh-thuc": Q(official_on__isnull=False, left_on__isnull=True),
    "du-bi": Q(official_on__isnull=True, left_on__isnull=True),
    "da-ra": Q(left_on__isnull=False),
}


class MemberListView(LoginRequiredMixin, ListView):
    """Members in the user's scope, sorted the Vietnamese way, with search and filters."""

    template_name = "members/list.html"
    context_object_name = "members"
    paginate_by = 50

    def get_queryset(self):
        queryset = visible_members(self.request.user).select_related("organization")
        query = normalize_name(self.request.GET.get("q", ""))
        if query:
            queryset = queryset.filter(Q(full_name__icontains=query) | Q(card_number=query))
        unit = self.request.GET.get("to_chuc", "")
        if unit.isdigit():
            node = visible_organizations(self.request.user).filter(pk=int(unit)).first()
            queryset = (
                queryset.filter(organization__path__startswith=node.path)
                if node
                else queryset.none()
            )
        status = self.request.GET.get("tinh_trang", "")
        queryset = queryset.filter(STATUS_FILTERS.get(status, Q(left_on__isnull=True)))
        return queryset.order_by("sort_key", "pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter_form"] = MemberFilterForm(
            {"to_chuc": self.request.GET.get("to_chuc", "")},
            units=visible_organizations(self.request.user).grassroots(),
        )
        context["query"] = self.request.GET.get("q", "")
        context["unit"] = self.request.GET.get("to_chuc", "")
        context["status"] = self.request.GET.get("tinh_trang", "")
        params = self.request.GET.copy()
        params.pop("page", None)
        context["querystring"] = params.urlencode()
        return context


class MemberDetailView(LoginRequiredMixin, DetailView):
    """One member: identity, party life, status periods, discipline and ratings with history."""

    template_name = "members/detail.html"
    context_object_name = "member"

    def get_object(self, queryset=None):
        return get_object_or_404(
            visible_members(self.request.user).select_related("organization"), pk=self.kwargs["pk"]
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        member = self.object
        context["today"] = timezone.localdate()
        context["events"] = member.events.select_related("from_organization", "to_organization")
        context["periods"] = member.status_periods.all()
        context["disciplines"] = member.discipline_records.all()
        context["ratings"] = member.ratings.select_related("cycle", "pool__owner").prefetch_related(
            "changes__changed_by"
        )
        return context


class MemberPickerView(PickerView):
    """Options for a member picker: members in the user's scope, by name, card or cell; each
    named with his cell so that namesakes are told apart."""

    search_fields = ("full_name", "card_number", "organization__name")

    def queryset(self, request):
        return (
            visible_members(request.user)
            .current()
            .select_related("organization")
            .order_by("sort_key", "pk")
        )

    def label(self, item) -> str:
        return item.label_with_cell()
