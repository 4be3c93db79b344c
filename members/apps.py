from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    """Party members, their membership history, status periods and discipline."""

    name = "members"
    verbose_name = _("Đảng viên")
