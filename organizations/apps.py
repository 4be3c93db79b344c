from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    """The party hierarchy and who holds which role on which node."""

    name = "organizations"
    verbose_name = _("Tổ chức đảng")
