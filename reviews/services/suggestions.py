"""In-depth review suggestions (gợi ý kiểm điểm) and their explanations (letter point 2; §7).

The Inspection Committee (or the Organization Board) drafts a suggestion to a leadership
collective or a leader, listing issues one by one; once the Standing Board issues it (document
number and date) the target unit's clerk explains each issue — its cause and who is responsible —
and staff accept the explanation or ask for it again. Every step is recorded.
"""

from __future__ import annotations

import datetime

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import LeadershipCollective, Member
from organizations.models import GRASSROOTS_KINDS, Organization, Role, RoleAssignment
from reviews.models import (
    ISSUE_TRANSITIONS,
    SUGGESTION_TRANSITIONS,
    UNANSWERED_ISSUE_STATES,
    IssueState,
    ReviewCycle,
    Suggestion,
    SuggestionEvent,
    SuggestionIssue,
    SuggestionState,
)
from reviews.services.notifications import notify
from reviews.services.transitions import state_move

MAX_ISSUES = 50


def _responsible_unit(organization: Organization) -> Organization:
    """The grassroots unit at or above `organization`, or the bloc itself."""
    if organization.kind in GRASSROOTS_KINDS or organization.depth == 1:
        return organization
    unit = (
        Organization.objects.filter(
            kind__in=GRASSROOTS_KINDS, path__in=organization.ancestor_paths()
        )
        .order_by("-depth")
        .first()
    )
    return unit or organization


def _clean_issues(issues: list[str]) -> list[str]:
    cleaned = [" ".join(text.split()) for text in issues if text and text.strip()]
    if not cleaned:
        raise ValidationError(_("Cần nêu ít nhất một vấn đề gợi ý."), code="no_issues")
    if len(cleaned) > MAX_ISSUES:
        raise ValidationError(
            _("Tối đa %(n)s vấn đề trong một gợi ý.") % {"n": MAX_ISSUES}, code="too_many_issues"
        )
    return cleaned


@transaction.atomic
def suggestion_draft(
    *,
    cycle: ReviewCycle,
    title: str,
    issues: list[str],
    acting_user: User | None,
    collective: LeadershipCollective | None = None,
    member: Member | None = None,
) -> Suggestion:
    """Draft a suggestion to exactly one target; the unit that must answer is derived."""
    if (collective is None) == (member is None):
        raise ValidationError(
            _("Chọn một tập thể hoặc một cá nhân được gợi ý."), code="one_target_required"
        )
    if member is not None and not member.is_leader:
        raise ValidationError(
            _("Gợi ý kiểm điểm cá nhân dành cho cán bộ lãnh đạo, quản lý."), code="not_a_leader"
        )
    if not title.strip():
        raise ValidationError(_("Cần nhập trích yếu."), code="title_required")
    texts = _clean_issues(issues)
    led = collective.organization if collective else member.organization  # type: ignore[union-attr]
    suggestion = Suggestion.objects.create(
        cycle=cycle,
        collective=collective,
        member=member,
        addressed_to=_responsible_unit(led),
        managing_level=(collective or member).managing_level,  # type: ignore[union-attr]
        title=" ".join(title.split())[:255],
        drafted_by=acting_user,
    )
    SuggestionIssue.objects.bulk_create(
        SuggestionIssue(suggestion=suggestion, order=index, text=text)
        for index, text in enumerate(texts, start=1)
    )
    SuggestionEvent.objects.create(suggestion=suggestion, action="drafted", changed_by=acting_user)
    return suggestion


@transaction.atomic
def suggestion_edit(
    *, suggestion: Suggestion, title: str, issues: list[str], acting_user: User | None
) -> Suggestion:
    """Rewrite a draft's title and issues (a suggestion once issued is not edited)."""
    suggestion = Suggestion.objects.select_for_update().get(pk=suggestion.pk)
    if suggestion.state != SuggestionState.DRAFT:
        raise ValidationError(_("Chỉ sửa được gợi ý còn dự thảo."), code="not_draft")
    texts = _clean_issues(issues)
    suggestion.title = " ".join(title.split())[:255]
    suggestion.save(update_fields=["title"])
    suggestion.issues.all().delete()
    SuggestionIssue.objects.bulk_create(
        SuggestionIssue(suggestion=suggestion, order=index, text=text)
        for index, text in enumerate(texts, start=1)
    )
    SuggestionEvent.objects.create(suggestion=suggestion, action="edited", changed_by=acting_user)
    return suggestion


def _unit_clerks(suggestion: Suggestion) -> list[User]:
    roles = [Role.CLERK] if suggestion.addressed_to.depth > 1 else [Role.OFFICE]
    return [
        assignment.user
        for assignment in RoleAssignment.objects.active()
        .filter(organization=suggestion.addressed_to, role__in=roles)
        .select_related("user")
    ]


@transaction.atomic
def suggestion_issue(
    *,
    suggestion: Suggestion,
    document_number: str,
    issued_on: datetime.date,
    acting_user: User | None,
) -> Suggestion:
    """The Standing Board issues the suggestion in writing; the target unit is told."""
    suggestion = Suggestion.objects.select_for_update().get(pk=suggestion.pk)
    if not SUGGESTION_TRANSITIONS.allows(suggestion.state, SuggestionState.ISSUED):
        raise ValidationError(_("Gợi ý này đã được ban hành."), code="already_issued")
    if not document_number.strip():
        raise ValidationError(_("Cần nhập số văn bản."), code="number_required")
    suggestion.document_number = " ".join(document_number.split())[:60]
    suggestion.issued_on = issued_on
    state_move(
        suggestion,
        machine=SUGGESTION_TRANSITIONS,
        to=SuggestionState.ISSUED,
        acting_user=acting_user,
        also=("document_number", "issued_on"),
    )
    SuggestionEvent.objects.create(
        suggestion=suggestion,
        action="issued",
        changed_by=acting_user,
        comment=suggestion.document_number,
    )
    notify(
        users=_unit_clerks(suggestion),
        message=_("Có gợi ý kiểm điểm %(number)s gửi %(target)s cần giải trình.")
        % {"number": suggestion.document_number, "target": suggestion.target},
        link=reverse("reviews:suggestion", args=[suggestion.pk]),
        cycle=suggestion.cycle,
    )
    return suggestion


@transaction.atomic
def issue_answer(
    *,
    issue: SuggestionIssue,
    explanation: str,
    cause: str,
    responsibility: str,
    acting_user: User | None,
) -> SuggestionIssue:
    """The target unit explains one issue: the explanation, its cause, who is responsible."""
    issue = (
        SuggestionIssue.objects.select_for_update().select_related("suggestion").get(pk=issue.pk)
    )
    if issue.suggestion.state != SuggestionState.ISSUED:
        raise ValidationError(_("Gợi ý chưa ban hành hoặc đã hoàn thành."), code="not_issued")
    if not ISSUE_TRANSITIONS.allows(issue.state, IssueState.ANSWERED):
        raise ValidationError(_("Giải trình đã được chấp nhận."), code="already_accepted")
    if not explanation.strip():
        raise ValidationError(_("Cần nhập nội dung giải trình."), code="explanation_required")
    issue.explanation = explanation.strip()
    issue.cause = cause.strip()
    issue.responsibility = responsibility.strip()
    issue.answered_at = timezone.now()
    issue.answered_by = acting_user
    state_move(
        issue,
        machine=ISSUE_TRANSITIONS,
        to=IssueState.ANSWERED,
        acting_user=acting_user,
        also=("explanation", "cause", "responsibility", "answered_at", "answered_by"),
    )
    SuggestionEvent.objects.create(
        suggestion=issue.suggestion, issue=issue, action="answered", changed_by=acting_user
    )
    return issue


@transaction.atomic
def issue_review(
    *, issue: SuggestionIssue, accept: bool, comment: str, acting_user: User | None
) -> SuggestionIssue:
    """Staff accept an explanation, or ask for it again with a comment. When every issue is
    accepted the suggestion is complete."""
    issue = (
        SuggestionIssue.objects.select_for_update().select_related("suggestion").get(pk=issue.pk)
    )
    target = IssueState.ACCEPTED if accept else IssueState.REDO
    if not ISSUE_TRANSITIONS.allows(issue.state, target):
        raise ValidationError(_("Vấn đề này chưa có giải trình mới."), code="not_answered")
    if not accept and not comment.strip():
        raise ValidationError(_("Yêu cầu giải trình lại cần ghi ý kiến."), code="comment_required")
    issue.review_comment = comment.strip()
    issue.reviewed_at = timezone.now()
    issue.reviewed_by = acting_user
    state_move(
        issue,
        machine=ISSUE_TRANSITIONS,
        to=target,
        acting_user=acting_user,
        also=("review_comment", "reviewed_at", "reviewed_by"),
    )
    suggestion = issue.suggestion
    SuggestionEvent.objects.create(
        suggestion=suggestion,
        issue=issue,
        action="accepted" if accept else "sent_back",
        comment=issue.review_comment,
        changed_by=acting_user,
    )
    if not accept:
        notify(
            users=_unit_clerks(suggestion),
            message=_("Giải trình vấn đề %(order)s của gợi ý %(number)s cần làm lại: %(comment)s")
            % {"order": issue.order, "number": suggestion.document_number, "comment": comment},
            link=reverse("reviews:suggestion", args=[suggestion.pk]),
            cycle=suggestion.cycle,
        )
    elif not suggestion.issues.exclude(state=IssueState.ACCEPTED).exists():
        state_move(
            suggestion,
            machine=SUGGESTION_TRANSITIONS,
            to=SuggestionState.CLOSED,
            acting_user=acting_user,
        )
        SuggestionEvent.objects.create(
            suggestion=suggestion, action="closed", changed_by=acting_user
        )
    return issue


def unanswered_suggestions(*, cycle: ReviewCycle, unit: Organization):
    """Issued suggestions addressed to `unit` with an issue still waiting for its explanation."""
    return Suggestion.objects.filter(
        cycle=cycle,
        addressed_to=unit,
        state=SuggestionState.ISSUED,
        issues__state__in=UNANSWERED_ISSUE_STATES,
    ).distinct()
