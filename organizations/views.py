from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.generic import ListView, TemplateView

from organizations.models import MEMBER_HOLDING_KINDS, Organization, OrganizationKind
from organizations.permissions import visible_organizations
from organizations.text import normalize_name
from organizations.widgets import PickerView


class OrganizationTreeView(LoginRequiredMixin, ListView):
    """The part of the hierarchy the user may see, in tree order, with member counts."""

    template_name = "organizations/tree.html"
    context_object_name = "organizations"
    paginate_by = 200

    def get_queryset(self):
        queryset = visible_organizations(self.request.user).annotate(
            member_count=Count("members", filter=Q(members__left_on__isnull=True))
        )
        query = normalize_name(self.request.GET.get("q", ""))
        if query:
            queryset = queryset.filter(Q(name__icontains=query) | Q(code__iexact=query))
        kind = self.request.GET.get("loai", "")
        if kind in OrganizationKind.values:
            queryset = queryset.filter(kind=kind)
        return queryset.order_by("path")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["query"] = self.request.GET.get("q", "")
        context["kind"] = self.request.GET.get("loai", "")
        context["kinds"] = OrganizationKind.choices
        return context


class OrganizationDetailView(LoginRequiredMixin, TemplateView):
    """One node: its registry fields, its children, its members count and its history."""

    template_name = "organizations/detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        organization = get_object_or_404(visible_organizations(self.request.user), pk=kwargs["pk"])
        visible_paths = set(visible_organizations(self.request.user).values_list("path", flat=True))
        context["organization"] = organization
        context["ancestors"] = [
            node
            for node in Organization.objects.get_ancestors(organization)
            if node.path in visible_paths
        ]
        context["children"] = Organization.objects.get_children(organization).annotate(
            member_count=Count("members", filter=Q(members__left_on__isnull=True))
        )
        context["member_count"] = Organization.objects.subtree_of(organization).aggregate(
            n=Count("members", filter=Q(members__left_on__isnull=True))
        )["n"]
        context["changes"] = organization.changes.select_related("changed_by")[:20]
        return context


class UnitPickerView(PickerView):
    """Options for a unit picker: the grassroots units (or, with ?loai=chi-bo, the cells) the
    user may see, found by name or code."""

    search_fields = ("name", "code")

    def queryset(self, request):
        nodes = visible_organizations(request.user).active_on(timezone.localdate())
        if request.GET.get("loai") == "chi-bo":
            return nodes.filter(kind__in=list(MEMBER_HOLDING_KINDS))
        return nodes.grassroots()
