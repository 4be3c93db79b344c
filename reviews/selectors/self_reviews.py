"""Reads for the self-review forms (HD 43-HD/BTCTW, Mẫu 01/2A/2B/2C; HD 21-HD/BTCTW)."""

from __future__ import annotations

from django.db.models import QuerySet

from reviews.models import (
    NOT_REVIEWED_REASONS,
    Rating,
    SubjectKind,
    SuggestionIssue,
    SuggestionState,
)


def suggested_issues(rating: Rating) -> QuerySet[SuggestionIssue]:
    """The issues of the suggestions issued to the subject in its cycle, in order: section IV
    of the form answers them one by one (HD 43, phần A.IV; letter 897-CV/ĐUK, point 2)."""
    if rating.subject_kind in (SubjectKind.MEMBER, SubjectKind.LEADER):
        target = {"suggestion__member_id": rating.member_id}
    elif rating.subject_kind == SubjectKind.COLLECTIVE:
        target = {"suggestion__collective_id": rating.collective_id}
    else:
        return SuggestionIssue.objects.none()
    return (
        SuggestionIssue.objects.filter(
            suggestion__cycle_id=rating.cycle_id,
            suggestion__state__in=[SuggestionState.ISSUED, SuggestionState.CLOSED],
            **target,
        )
        .select_related("suggestion__addressed_to")
        .order_by("suggestion__issued_on", "suggestion_id", "order")
    )


def own_ratings(user) -> QuerySet[Rating]:
    """The ratings of the member whose account this is, newest cycle first (his own forms)."""
    if not getattr(user, "is_authenticated", False):
        return Rating.objects.none()
    return (
        Rating.objects.filter(member__account=user)
        .exclude(not_rated_reason__in=list(NOT_REVIEWED_REASONS))
        .select_related("cycle", "member", "unit", "self_review")
        .order_by("-cycle__year", "-cycle_id", "subject_kind")
    )
