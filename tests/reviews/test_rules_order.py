"""The order rules as pure checks (reviews.rules.order; docs/rules.md): each at its edge, by
the seat's role, with its own code and the source the rule set gives it."""

import pytest

from members.models import SeatRole
from reviews.rules.hd21 import HD21RuleSet
from reviews.rules.order import (
    LeaderOrder,
    OrderRule,
    Progress,
    SeatOrder,
    order_refusal,
    settled_before,
)
from reviews.rules.qd366 import QD366RuleSet

UNIT_BODY, BLOC = 1, 2
QD366 = QD366RuleSet.order_rules
HD21 = HD21RuleSet.order_rules


def progress(owner=UNIT_BODY, *, rated=True, decided=False, proposed=False, self_rated=False):
    return Progress(
        owner_id=owner,
        is_rated=rated,
        decided=decided,
        proposed=proposed,
        self_rated=self_rated,
    )


def leader(*seats, as_member=None):
    return LeaderOrder(leader="Nguyễn Văn A", owner_id=UNIT_BODY, as_member=as_member, seats=seats)


def seat(role=SeatRole.MEMBER, **ratings):
    return SeatOrder(collective="Ban Chấp hành", unit="Đảng bộ Sở", role=role, **ratings)


def test_same_body_waits_for_the_decision_another_body_for_the_self_rating():
    assert not settled_before(progress(self_rated=True), UNIT_BODY)
    assert settled_before(progress(decided=True), UNIT_BODY)
    assert not settled_before(progress(BLOC), UNIT_BODY)
    assert settled_before(progress(BLOC, self_rated=True), UNIT_BODY)
    assert settled_before(None, UNIT_BODY)
    assert settled_before(progress(rated=False), UNIT_BODY)


def test_collective_first_refuses_with_its_code_and_source():
    refusal = order_refusal(HD21, leader(seat(collective_rating=progress())))
    assert refusal.code == OrderRule.COLLECTIVE_FIRST.code == "order_collective_first"
    assert refusal.messages[0].endswith("(HD 21-HD/BTCTW)")
    assert order_refusal(HD21, leader(seat(collective_rating=progress(decided=True)))) is None


@pytest.mark.parametrize(
    ("role", "code"), [(SeatRole.HEAD, "order_unit_first"), (SeatRole.MEMBER, None)]
)
def test_unit_first_binds_the_head_by_role(role, code):
    refusal = order_refusal(QD366, leader(seat(role, unit_rating=progress(BLOC))))
    assert (refusal.code if refusal else None) == code
    assert (
        order_refusal(QD366, leader(seat(role, unit_rating=progress(BLOC, self_rated=True))))
        is None
    )


@pytest.mark.parametrize(("rules", "code"), [(QD366, "order_head_first"), (HD21, None)])
def test_head_first_binds_the_deputy_only_where_the_rule_set_has_it(rules, code):
    refusal = order_refusal(rules, leader(seat(SeatRole.DEPUTY, head_rating=progress())))
    assert (refusal.code if refusal else None) == code
    if refusal:
        assert "QĐ 366-QĐ/TW" in refusal.messages[0]


def test_head_first_waits_for_nothing_when_the_collective_has_no_head_rating():
    assert order_refusal(QD366, leader(seat(SeatRole.DEPUTY))) is None


@pytest.mark.parametrize(
    ("as_member", "refused"),
    [
        (progress(), True),
        (progress(self_rated=True), False),
        (progress(proposed=True), False),
        (progress(rated=False), False),
        (None, False),
    ],
)
def test_cell_first_under_qd366_only(as_member, refused):
    refusal = order_refusal(QD366, leader(as_member=as_member))
    assert (refusal is not None) == refused
    if refused:
        assert refusal.code == "order_cell_first"
    assert order_refusal(HD21, leader(as_member=as_member)) is None
