from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """Decided results turned into tables and documents (Excel, PDF, dossier bundles)."""

    name = "reports"
    verbose_name = _("Báo cáo")
