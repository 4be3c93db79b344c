from django.views.generic import TemplateView


class HomeView(TemplateView):
    template_name = "home.html"


class OrganizationTreeView(TemplateView):
    template_name = "organizations/tree.html"


class OrganizationDetailView(TemplateView):
    template_name = "organizations/detail.html"
