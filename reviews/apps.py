from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    """Review cycles, ratings, proposals, decisions, pools and the quota."""

    name = "reviews"
    verbose_name = _("Kiểm điểm, xếp loại")
