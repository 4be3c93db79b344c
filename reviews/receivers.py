"""What `reviews` does when another app announces a change (connected in ReviewsConfig.ready)."""

from __future__ import annotations

from members.signals import MemberChange


def follow_member_change(sender, *, member, change, acting_user=None, **extra) -> None:
    """An open cycle follows registrations, transfers and new facts (reviews.services.roster):
    a registered batch together (`members_ratings_register`), another batch (all in one cell)
    only when a cycle is open over that cell, checked once."""
    from reviews.services.roster import (
        member_ratings_follow,
        members_ratings_register,
        open_cycles_over,
    )

    members = [member] if member is not None else extra.get("members", [])
    if member is None and change == MemberChange.REGISTERED:
        members_ratings_register(members=members, acting_user=acting_user)
        return
    if member is None and (not members or not open_cycles_over(members[0].organization)):
        return
    for each in members:
        member_ratings_follow(
            member=each,
            acting_user=acting_user,
            from_organization=extra.get("from_organization")
            if change == MemberChange.TRANSFERRED
            else None,
            on=extra.get("on"),
        )


def watch_decision_basis(sender, *, member, acting_user=None, **extra):
    """Before a fact of the member changes: what his decisions rest on; returns what to call
    after the change to flag each decision whose basis went (`decision_basis_watch`)."""
    from reviews.services.roster import decision_basis_watch

    return decision_basis_watch(member=member, acting_user=acting_user)


def refuse_moving_rated_units(sender, *, organization, new_parent, **extra) -> None:
    """A node whose subtree was rated keeps its place: past reports read the tree by path
    (`Rating.unit`); the reorganization is recorded as a succession instead (DOMAIN.md §15)."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    from reviews.models import Rating

    if Rating.objects.under(organization).exists():
        raise ValidationError(
            _(
                "%(name)s đã có kết quả xếp loại: không chuyển trực thuộc được, vì báo cáo các "
                "kỳ trước phải giữ nguyên hệ thống tổ chức. Hãy lập tổ chức mới ở nơi tiếp nhận "
                "và ghi nhận sắp xếp (tổ chức tiếp nhận)."
            )
            % {"name": organization.name},
            code="rated_unit_keeps_its_place",
        )
