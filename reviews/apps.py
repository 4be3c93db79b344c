from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    """Review cycles, ratings, proposals, decisions, pools and the quota."""

    name = "reviews"
    verbose_name = _("Kiểm điểm, xếp loại")

    def ready(self) -> None:
        from members.signals import member_changed, member_facts_changing
        from organizations.signals import organization_moving
        from reviews.receivers import (
            follow_member_change,
            refuse_moving_rated_units,
            watch_decision_basis,
        )

        member_changed.connect(follow_member_change, dispatch_uid="reviews.follow_member_change")
        member_facts_changing.connect(
            watch_decision_basis, dispatch_uid="reviews.watch_decision_basis"
        )
        organization_moving.connect(
            refuse_moving_rated_units, dispatch_uid="reviews.refuse_moving_rated_units"
        )
