from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _


class AxesConfig(AxesAppConfig):
    """django-axes under a Vietnamese name in the admin."""

    verbose_name = _("Đăng nhập và khóa tạm")
