"""What `reviews` does when another app announces a change (connected in ReviewsConfig.ready)."""

from __future__ import annotations

from members.signals import MemberChange


def follow_member_change(sender, *, member, change, acting_user=None, **extra) -> None:
    """An open cycle follows registrations, transfers and new facts (reviews.services.roster)."""
    from reviews.services.roster import member_ratings_follow

    member_ratings_follow(
        member=member,
        acting_user=acting_user,
        from_organization=extra.get("from_organization")
        if change == MemberChange.TRANSFERRED
        else None,
        on=extra.get("on"),
    )
