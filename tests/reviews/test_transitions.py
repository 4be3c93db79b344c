"""One transition mechanism: a StateMachine next to each state enum, `state_move` to use it."""

import pytest
from django.core.exceptions import ValidationError

from reviews.models import (
    CYCLE_TRANSITIONS,
    ISSUE_TRANSITIONS,
    POOL_TRANSITIONS,
    QUESTION_TRANSITIONS,
    SUBMISSION_TRANSITIONS,
    SUGGESTION_TRANSITIONS,
    CycleStatus,
    CycleTransition,
    StateMachine,
    SubmissionState,
)
from reviews.services.transitions import state_move
from tests.factories import ReviewCycleFactory, UserFactory

MACHINES = [
    CYCLE_TRANSITIONS,
    POOL_TRANSITIONS,
    SUBMISSION_TRANSITIONS,
    SUGGESTION_TRANSITIONS,
    ISSUE_TRANSITIONS,
    QUESTION_TRANSITIONS,
]


@pytest.mark.parametrize("machine", MACHINES, ids=lambda m: m.states.__name__)
def test_every_state_is_known_to_its_machine(machine):
    named = {state for targets in machine.moves.values() for state in targets} | set(machine.moves)
    assert named == set(machine.states.values)


def test_a_machine_refuses_an_unknown_state_when_declared():
    with pytest.raises(ValueError, match="unknown states"):
        StateMachine(CycleStatus, {CycleStatus.DRAFT: {"published"}}, noun="kỳ")


def test_a_refused_move_names_both_states():
    with pytest.raises(ValidationError) as refused:
        SUBMISSION_TRANSITIONS.check(SubmissionState.DRAFT, SubmissionState.APPROVED)
    assert refused.value.code == "transition_not_allowed"
    assert "Đang nhập" in str(refused.value)
    assert "Đã phê duyệt" in str(refused.value)


@pytest.mark.django_db
def test_state_move_saves_the_state_and_records_from_to_who_and_why():
    cycle = ReviewCycleFactory(status=CycleStatus.DRAFT)
    user = UserFactory()
    old = state_move(
        cycle,
        machine=CYCLE_TRANSITIONS,
        to=CycleStatus.OPEN,
        acting_user=user,
        reason="Bắt đầu",
        record=CycleTransition,
    )
    assert old == CycleStatus.DRAFT
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.OPEN
    record = cycle.transitions.get()
    assert (record.from_state, record.to_state, record.changed_by, record.reason) == (
        "draft",
        "open",
        user,
        "Bắt đầu",
    )
    assert record.get_to_state_display() == "Đang diễn ra"
