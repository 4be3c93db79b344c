"""Guidance and difficulties (letter 897-CV/ĐUK, point 4): the Organization Board publishes the
cycle's documents and answers the units' questions; what remains goes to the Standing Board.

A question moves along QUESTION_TRANSITIONS (reviews.models.guidance); every step is a
QuestionMessage with who and when.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import Member
from organizations.models import Organization, Role, RoleAssignment
from reviews.models import (
    QUESTION_TRANSITIONS,
    GuidingDocument,
    Question,
    QuestionAttachment,
    QuestionMessage,
    QuestionState,
    ReviewCycle,
)
from reviews.services.notifications import notify
from reviews.services.transitions import state_move
from reviews.services.uploads import check_upload

#: What each action on a question moves it to (the moves allowed: QUESTION_TRANSITIONS).
ACTION_STATE = {
    "answer": QuestionState.ANSWERED,
    "ask_back": QuestionState.ASKED_BACK,
    "reply": QuestionState.OPEN,
    "close": QuestionState.CLOSED,
}
MESSAGE_KIND = {
    "answer": QuestionMessage.Kind.ANSWERED,
    "ask_back": QuestionMessage.Kind.ASKED_BACK,
    "reply": QuestionMessage.Kind.REPLIED,
    "close": QuestionMessage.Kind.CLOSED,
}
MAX_TEXT = 10_000


def _text(value: str, *, required: bool = True) -> str:
    value = value.strip()
    if required and not value:
        raise ValidationError(_("Cần nhập nội dung."), code="text_required")
    if len(value) > MAX_TEXT:
        raise ValidationError(
            _("Nội dung dài quá %(n)s ký tự.") % {"n": MAX_TEXT}, code="text_too_long"
        )
    return value


@transaction.atomic
def guiding_document_publish(
    *,
    cycle: ReviewCycle,
    title: str,
    upload: UploadedFile,
    acting_user: User | None,
    number: str = "",
    issued_on=None,
) -> GuidingDocument:
    """Publish a document for every unit of the bloc (checked like every upload)."""
    if not title.strip():
        raise ValidationError(_("Cần nhập trích yếu."), code="title_required")
    checked = check_upload(upload)
    document = GuidingDocument(
        cycle=cycle,
        title=" ".join(title.split())[:255],
        number=" ".join(number.split())[:60],
        issued_on=issued_on,
        original_name=checked.name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        published_by=acting_user,
    )
    document.file.save(checked.name, upload, save=False)
    document.save()
    return document


def guiding_document_withdraw(*, document: GuidingDocument, acting_user: User | None) -> None:
    document.withdrawn_at = timezone.now()
    document.save(update_fields=["withdrawn_at"])


def _board_users(cycle: ReviewCycle) -> list[User]:
    return [
        a.user
        for a in RoleAssignment.objects.active()
        .filter(organization=cycle.organization, role=Role.ORGANIZATION_BOARD)
        .select_related("user")
    ]


def _unit_clerks(question: Question) -> list[User]:
    return [
        a.user
        for a in RoleAssignment.objects.active()
        .filter(organization=question.unit, role=Role.CLERK)
        .select_related("user")
    ]


@transaction.atomic
def question_ask(
    *,
    cycle: ReviewCycle,
    unit: Organization,
    title: str,
    text: str,
    acting_user: User | None,
    member: Member | None = None,
    cell: Organization | None = None,
    rule: str = "",
    attachment: UploadedFile | None = None,
) -> Question:
    """A unit raises a question or a difficulty; the member or cell it concerns must be its own."""
    if not title.strip():
        raise ValidationError(_("Cần nhập tiêu đề."), code="title_required")
    body = _text(text)
    if member is not None and not member.organization.path.startswith(unit.path):
        raise ValidationError(_("Đảng viên không thuộc đơn vị."), code="member_out_of_scope")
    if cell is not None and not cell.path.startswith(unit.path):
        raise ValidationError(_("Chi bộ không thuộc đơn vị."), code="cell_out_of_scope")
    checked = check_upload(attachment) if attachment else None
    question = Question.objects.create(
        cycle=cycle,
        unit=unit,
        title=" ".join(title.split())[:255],
        member=member,
        cell=cell,
        rule=" ".join(rule.split())[:255],
        asked_by=acting_user,
    )
    QuestionMessage.objects.create(
        question=question, kind=QuestionMessage.Kind.ASKED, text=body, changed_by=acting_user
    )
    if checked and attachment:
        item = QuestionAttachment(
            question=question,
            original_name=checked.name,
            content_type=checked.content_type,
            size=checked.size,
            sha256=checked.sha256,
            uploaded_by=acting_user,
        )
        item.file.save(checked.name, attachment, save=False)
        item.save()
    notify(
        users=_board_users(cycle),
        message=_("%(unit)s hỏi: %(title)s") % {"unit": unit, "title": question.title},
        link=reverse("reviews:question", args=[question.pk]),
        cycle=cycle,
    )
    return question


def question_allows(question: Question, action: str) -> bool:
    """Whether `action` ("answer", "ask_back", "reply", "close") may be taken now."""
    return QUESTION_TRANSITIONS.allows(question.state, ACTION_STATE[action])


@transaction.atomic
def question_act(
    *,
    question: Question,
    action: str,
    acting_user: User | None,
    text: str = "",
    share: bool | None = None,
) -> Question:
    """Answer, ask back, reply or close, along QUESTION_TRANSITIONS; answering may mark the
    answer as applying to all units (it then joins the cycle's shared questions and answers).

    Raises ValidationError: transition_not_allowed, text_required.
    """
    question = Question.objects.select_for_update().get(pk=question.pk)
    if action not in ACTION_STATE or not question_allows(question, action):
        raise ValidationError(
            _("Không thể thực hiện thao tác này khi câu hỏi đang ở trạng thái “%(state)s”.")
            % {"state": question.get_state_display()},
            code="transition_not_allowed",
        )
    body = _text(text, required=action != "close")
    now = timezone.now()
    if action == "answer" and question.first_answered_at is None:
        question.first_answered_at = now
    if action == "close":
        question.closed_at = now
    QuestionMessage.objects.create(
        question=question, kind=MESSAGE_KIND[action], text=body, changed_by=acting_user
    )
    if share is not None and share != question.is_shared:
        question.is_shared = share
        if share:
            QuestionMessage.objects.create(
                question=question, kind=QuestionMessage.Kind.SHARED, changed_by=acting_user
            )
    state_move(
        question,
        machine=QUESTION_TRANSITIONS,
        to=ACTION_STATE[action],
        acting_user=acting_user,
        also=("first_answered_at", "closed_at", "is_shared"),
    )
    link = reverse("reviews:question", args=[question.pk])
    if action in ("answer", "ask_back"):
        message = (
            _("Ban Tổ chức đã trả lời: %(title)s")
            if action == "answer"
            else _("Ban Tổ chức đề nghị bổ sung thông tin: %(title)s")
        ) % {"title": question.title}
        notify(users=_unit_clerks(question), message=message, link=link, cycle=question.cycle)
    elif action == "reply":
        notify(
            users=_board_users(question.cycle),
            message=_("%(unit)s bổ sung: %(title)s")
            % {"unit": question.unit, "title": question.title},
            link=link,
            cycle=question.cycle,
        )
    return question
