from django.views.generic import TemplateView


class MemberListView(TemplateView):
    template_name = "members/list.html"


class MemberDetailView(TemplateView):
    template_name = "members/detail.html"
