"""QĐ 366-QĐ/TW and HD 43-HD/BTCTW as pure functions: each test names its article."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest

from members.models import StatusPeriod
from reviews.models import Level, NotRatedReason, ShortcomingsFixed
from reviews.quota import allowed_excellent
from reviews.rules import rule_set_for, rule_set_for_year
from reviews.rules.base import (
    CollectiveFacts,
    MemberFacts,
    OrganizationFacts,
    RuleContext,
    TaskFacts,
)

RULES = rule_set_for("qd366_2025")
DEFAULTS = RULES.defaults(2026)
CONTEXT = RuleContext(
    year=2026,
    reference_date=datetime.date(2026, 12, 31),
    score_bands=(
        (DEFAULTS["score_excellent_min"], Level.EXCELLENT),
        (DEFAULTS["score_good_min"], Level.GOOD),
        (DEFAULTS["score_completed_min"], Level.COMPLETED),
    ),
    tasks_beyond_min_percent=DEFAULTS["tasks_beyond_min_percent"],
    tasks_late_max_percent=DEFAULTS["tasks_late_max_percent"],
    unit_tasks_trigger_percent=DEFAULTS["unit_tasks_trigger_percent"],
)
EXCELLENT_TASKS = {
    "done_percent": Decimal(100),
    "beyond_percent": Decimal(30),
    "late_percent": Decimal(0),
    "shortcomings_fixed": ShortcomingsFixed.FIXED,
}


def member(score, *, admitted=datetime.date(2010, 1, 1), periods=(), disciplines=(), **tasks):
    values = {**EXCELLENT_TASKS, **tasks}
    return MemberFacts(
        admitted_on=admitted,
        is_civil_servant=True,
        status_periods=tuple(periods),
        disciplines_in_year=tuple(disciplines),
        tasks=TaskFacts(score=Decimal(score) if score is not None else None, **values),
    )


def leader(score=95, **facts):
    tasks = {**EXCELLENT_TASKS, **facts.pop("tasks", {})}
    return MemberFacts(
        admitted_on=datetime.date(2005, 1, 1),
        is_civil_servant=True,
        status_periods=(),
        disciplines_in_year=tuple(facts.pop("disciplines", ())),
        as_leader=True,
        tasks=TaskFacts(score=Decimal(score), **tasks),
        **facts,
    )


def best(facts) -> str:
    return RULES.member_eligibility(facts, context=CONTEXT).max_level


def test_the_years_in_force_pick_their_regime_dieu_10():
    assert rule_set_for_year(2021) == "hd21_2019"
    assert rule_set_for_year(2024) == "qd124_2023"
    assert rule_set_for_year(2026) == "qd366_2025"


@pytest.mark.parametrize(
    ("score", "level"),
    [
        ("90", Level.EXCELLENT),
        ("89.9", Level.GOOD),
        ("70", Level.GOOD),
        ("69.9", Level.COMPLETED),
        ("50", Level.COMPLETED),
        ("49.9", Level.NOT_COMPLETED),
    ],
)
def test_score_bands_dieu_11(score, level):
    """QĐ 366 Điều 11: HTXSNV ≥ 90; HTTNV 70 to under 90; HTNV 50 to under 70; KHTNV under 50."""
    assert best(member(score)) == level


def test_under_50_points_forces_not_completed_dieu_11():
    verdict = RULES.member_eligibility(member("49.9"), context=CONTEXT)
    assert verdict.forced_level == Level.NOT_COMPLETED
    assert [limit.code for limit in verdict.limits] == ["score_below_completed"]
    assert verdict.limits[0].source == "QĐ 366-QĐ/TW, Điều 11"


def test_no_score_yet_sets_no_limit_but_says_so_dieu_10():
    verdict = RULES.member_eligibility(member(None), context=CONTEXT)
    assert verdict.limits == ()
    assert "Chưa chấm điểm" in verdict.score_explanation


@pytest.mark.parametrize(("beyond", "level"), [("30", Level.EXCELLENT), ("29.9", Level.GOOD)])
def test_excellent_needs_30_percent_beyond_requirement_dieu_11(beyond, level):
    assert best(member("95", beyond_percent=Decimal(beyond))) == level


def test_excellent_needs_last_years_shortcomings_fixed_dieu_11():
    facts = member("95", shortcomings_fixed=ShortcomingsFixed.IN_PROGRESS)
    verdict = RULES.member_eligibility(facts, context=CONTEXT)
    assert verdict.max_level == Level.GOOD
    assert "excellent_conditions_unmet" in [limit.code for limit in verdict.limits]


def test_excellent_needs_beyond_share_recorded_dieu_11():
    assert best(member("95", beyond_percent=None)) == Level.GOOD


def test_good_needs_every_task_on_time_dieu_11():
    assert best(member("85", late_percent=Decimal("0.1"))) == Level.COMPLETED


@pytest.mark.parametrize(("late", "level"), [("20", Level.COMPLETED), ("21", Level.NOT_COMPLETED)])
def test_completed_allows_at_most_20_percent_late_dieu_11(late, level):
    assert best(member("75", late_percent=Decimal(late))) == level


def test_completed_needs_every_task_done_dieu_11():
    verdict = RULES.member_eligibility(member("75", done_percent=Decimal("99")), context=CONTEXT)
    assert verdict.forced_level == Level.NOT_COMPLETED
    assert "completed_conditions_unmet" in [limit.code for limit in verdict.limits]


def test_member_with_more_than_half_tasks_undone_is_not_completed_dieu_11():
    verdict = RULES.member_eligibility(member("60", done_percent=Decimal("49.9")), context=CONTEXT)
    assert "tasks_mostly_not_done" in [limit.code for limit in verdict.limits]


def discipline(*, duty_related=True, self_remedied=False):
    return SimpleNamespace(duty_related=duty_related, self_remedied=self_remedied)


def test_duty_related_discipline_forces_not_completed_for_a_member_dieu_11():
    verdict = RULES.member_eligibility(member("95", disciplines=[discipline()]), context=CONTEXT)
    assert verdict.forced_level == Level.NOT_COMPLETED
    assert "disciplined_duty_related" in [limit.code for limit in verdict.limits]


def test_discipline_not_tied_to_duties_does_not_force_a_member_dieu_11():
    verdict = RULES.member_eligibility(
        member("95", disciplines=[discipline(duty_related=False)]), context=CONTEXT
    )
    assert verdict.forced_level == ""


def test_breaking_what_members_may_not_do_forces_not_completed_dieu_11():
    facts = MemberFacts(**{**member("95").__dict__, "broke_prohibitions": True})
    assert RULES.member_eligibility(facts, context=CONTEXT).forced_level == Level.NOT_COMPLETED


def test_any_discipline_forces_a_leader_dieu_11():
    verdict = RULES.member_eligibility(
        leader(disciplines=[discipline(duty_related=False)]), context=CONTEXT
    )
    assert "leader_disciplined" in [limit.code for limit in verdict.limits]


@pytest.mark.parametrize(("done", "forced"), [("70", ""), ("69.9", Level.NOT_COMPLETED)])
def test_leader_whose_unit_is_under_70_percent_is_not_completed_dieu_11(done, forced):
    facts = leader(score=80, tasks={"done_percent": Decimal(done)})
    verdict = RULES.member_eligibility(facts, context=CONTEXT)
    assert ("unit_tasks_under_trigger" in [limit.code for limit in verdict.limits]) == bool(forced)


@pytest.mark.parametrize(("share", "forced"), [("50", False), ("50.1", True)])
def test_leader_with_over_half_low_confidence_votes_is_not_completed_dieu_11(share, forced):
    verdict = RULES.member_eligibility(
        leader(confidence_low_percent=Decimal(share)), context=CONTEXT
    )
    assert (verdict.forced_level == Level.NOT_COMPLETED) == forced


def test_leader_with_over_half_overseen_units_failing_is_not_completed_dieu_11():
    verdict = RULES.member_eligibility(
        leader(overseen_not_completed_percent=Decimal("60")), context=CONTEXT
    )
    assert "overseen_units_not_completed" in [limit.code for limit in verdict.limits]


def test_member_admitted_under_six_months_is_not_reviewed_dieu_5():
    verdict = RULES.member_eligibility(
        member("95", admitted=datetime.date(2026, 8, 1)), context=CONTEXT
    )
    assert verdict.not_rated_reason == NotRatedReason.NEW_MEMBER
    assert not verdict.is_reviewed


def test_long_sick_leave_has_no_cap_under_qd366_hd43_muc7():
    sick = SimpleNamespace(
        kind=StatusPeriod.Kind.SICK_LEAVE,
        covers=lambda day: False,
        overlap_days=lambda *args, **kwargs: 200,
    )
    assert best(member("95", periods=[sick])) == Level.EXCELLENT


def test_collective_of_fewer_than_three_is_reviewed_with_the_committee_hd43_muc7():
    facts = CollectiveFacts(formed_on=datetime.date(2020, 1, 1), member_count=2)
    verdict = RULES.collective_eligibility(facts, context=CONTEXT)
    assert verdict.not_rated_reason == NotRatedReason.WITH_COMMITTEE


def test_collective_personnel_wrongdoing_forces_not_completed_dieu_11():
    facts = CollectiveFacts(
        formed_on=datetime.date(2020, 1, 1),
        member_count=5,
        personnel_wrongdoing=True,
        tasks=TaskFacts(score=Decimal(95), **EXCELLENT_TASKS),
    )
    assert RULES.collective_eligibility(facts, context=CONTEXT).forced_level == Level.NOT_COMPLETED


def test_organization_with_a_disciplined_member_below_cannot_be_excellent_dieu_11():
    facts = OrganizationFacts(
        founded_on=datetime.date(2000, 1, 1),
        below_disciplined=True,
        tasks=TaskFacts(score=Decimal(95), **EXCELLENT_TASKS),
    )
    assert RULES.organization_eligibility(facts, context=CONTEXT).max_level == Level.GOOD


@pytest.mark.parametrize(("good", "at_20", "at_25"), [(4, 0, 1), (5, 1, 1), (10, 2, 2), (20, 4, 5)])
def test_the_25_percent_exception_allows_more_at_each_size_qd366(good, at_20, at_25):
    """QĐ 366: up to 25% for outstanding units, rounded down (interpretation)."""
    assert allowed_excellent(basis_count=good, rate=Decimal("0.20")) == at_20
    assert allowed_excellent(basis_count=good, rate=Decimal("0.25")) == at_25


def test_qd124_waives_the_forced_level_for_a_self_remedied_violation():
    """QĐ 124-QĐ/TW: "disciplined ⇒ KHTNV" waived when the violation was self-detected and
    remedied; the waived year is capped at HTNV (interpretation)."""
    rules = rule_set_for("qd124_2023")
    context = RuleContext(year=2024, reference_date=datetime.date(2024, 12, 31))
    waived = MemberFacts(
        admitted_on=datetime.date(2010, 1, 1),
        is_civil_servant=False,
        status_periods=(),
        disciplines_in_year=(discipline(self_remedied=True),),
    )
    verdict = rules.member_eligibility(waived, context=context)
    assert verdict.forced_level == ""
    assert verdict.max_level == Level.COMPLETED
    forced = MemberFacts(**{**waived.__dict__, "disciplines_in_year": (discipline(),)})
    assert rules.member_eligibility(forced, context=context).forced_level == Level.NOT_COMPLETED


def test_score_limits_are_remembered_per_facts_and_language():
    """A pure function remembered (issue #16): the same facts give the same limits, each call its
    own list; another language gives its own sentences, never the cached Vietnamese ones."""
    from django.utils import translation

    from reviews.rules.scores import _score_limits, score_limits

    facts = TaskFacts(score=Decimal("75.5"), done_percent=Decimal(100), late_percent=Decimal(5))
    with translation.override("vi"):
        first, explanation = score_limits(facts, CONTEXT)
        hits = _score_limits.cache_info().hits
        second, again = score_limits(facts, CONTEXT)
        assert _score_limits.cache_info().hits == hits + 1
        unscored = score_limits(TaskFacts(), CONTEXT)[1]
    assert first
    assert (first, explanation) == (second, again)
    assert first is not second
    first.clear()
    assert score_limits(facts, CONTEXT)[0] == second
    with translation.override("en"):
        misses = _score_limits.cache_info().misses
        english = score_limits(TaskFacts(), CONTEXT)[1]
        assert _score_limits.cache_info().misses == misses + 1  # its own entry
        assert english == translation.gettext(
            "Chưa chấm điểm: chưa xác định được mức xếp loại theo điểm."
        )
    assert unscored == "Chưa chấm điểm: chưa xác định được mức xếp loại theo điểm."
