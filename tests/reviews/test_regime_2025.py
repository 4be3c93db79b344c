"""A 2026 cycle under QĐ 366-QĐ/TW through the services: defaults, scores, peer groups, the
25% exception (issue #13)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from reviews.models import (
    Criterion,
    CriterionScore,
    CycleChange,
    Framework,
    Level,
    Pool,
    Rating,
    ShortcomingsFixed,
)
from reviews.quota import pool_quota
from reviews.services import cycle_change_status, cycle_create, cycle_update, ratings_record
from reviews.services.peer_groups import (
    peer_group_create,
    peer_groups_assign,
    quota_exception_grant,
    quota_exception_revoke,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle_2026(small_bloc):
    cycle = cycle_create(organization=small_bloc["bloc"], year=2026, title="Kỳ đánh giá năm 2026")
    return cycle_change_status(cycle=cycle, status="open")


@pytest.fixture
def clerk(db):
    return UserFactory(is_superuser=True)


def member_rating(cycle, member):
    return Rating.objects.select_related("member", "pool").get(
        cycle=cycle, member=member, subject_kind="member"
    )


def full_scores(cycle, rating, points_by_code):
    criteria = Criterion.objects.filter(cycle=cycle, framework=Framework.MEMBER)
    return {
        rating.pk: {
            c.pk: {"self_points": points_by_code[c.code], "decided_points": points_by_code[c.code]}
            for c in criteria
        }
    }


GOOD_TASKS = {
    "tasks_done_percent": Decimal(100),
    "tasks_beyond_percent": Decimal(35),
    "tasks_late_percent": Decimal(0),
    "shortcomings_fixed": ShortcomingsFixed.FIXED,
}


def test_a_new_cycle_takes_its_regimes_defaults_qd366_dieu_11_16_17(small_bloc):
    cycle = cycle_create(organization=small_bloc["bloc"], year=2026, title="Năm 2026")
    assert cycle.rule_set == "qd366_2025"
    assert (cycle.score_excellent_min, cycle.score_good_min, cycle.score_completed_min) == (
        90,
        70,
        50,
    )
    assert cycle.exception_ceiling == Decimal("0.25")
    assert cycle.finish_by == datetime.date(2026, 12, 31)
    assert cycle.special_finish_by == datetime.date(2027, 1, 15)
    assert cycle.deadline == datetime.date(2027, 2, 1)


def test_an_hd21_cycle_needs_a_deadline_typed(small_bloc):
    with pytest.raises(ValidationError) as error:
        cycle_create(organization=small_bloc["bloc"], year=2021, title="Năm 2021")
    assert error.value.error_dict["deadline"][0].code == "deadline_required"


def test_overlapping_bands_are_refused_with_nothing_saved(small_bloc):
    with pytest.raises(ValidationError) as error:
        cycle_create(
            organization=small_bloc["bloc"],
            year=2026,
            title="Năm 2026",
            score_good_min=Decimal(95),
        )
    assert "score_bands_overlap" in [e.code for e in error.value.error_dict["score_good_min"]]
    assert not small_bloc["bloc"].review_cycles.exists()


def test_an_open_cycle_keeps_its_rules_and_records_other_edits(cycle_2026, clerk):
    with pytest.raises(ValidationError) as error:
        cycle_update(cycle=cycle_2026, acting_user=clerk, score_excellent_min=Decimal(95))
    assert error.value.code == "cycle_rules_fixed"
    cycle_update(cycle=cycle_2026, acting_user=clerk, finish_by=datetime.date(2026, 12, 20))
    change = CycleChange.objects.get(cycle=cycle_2026)
    assert change.new_values == {"finish_by": "20/12/2026"}
    assert change.changed_by == clerk


def test_opening_copies_the_criteria_templates_30_and_70_qd366_dieu_10(cycle_2026):
    for framework in Framework.values:
        criteria = Criterion.objects.filter(cycle=cycle_2026, framework=framework)
        general = sum(c.max_points for c in criteria if c.part == "general")
        tasks = sum(c.max_points for c in criteria if c.part == "tasks")
        assert (general, tasks) == (30, 70)


def test_pools_are_peer_groups_each_subject_in_one(cycle_2026, small_bloc):
    pools = Pool.objects.filter(cycle=cycle_2026, owner=small_bloc["unit"])
    groups = {(p.subject_kind, p.peer_group) for p in pools}
    assert ("member", "dang-vien") in groups
    assert ("organization", "chi-bo") in groups


def test_scores_give_totals_and_the_level_they_allow_qd366_dieu_10_11(
    cycle_2026, small_bloc, clerk
):
    rating = member_rating(cycle_2026, small_bloc["members"][2])
    points = {"1": "9", "2": "9", "3": "9", "4": "45", "5": "17.9"}  # 89.9
    ratings_record(
        cycle=cycle_2026,
        changes={rating.pk: GOOD_TASKS},
        scores=full_scores(cycle_2026, rating, points),
        acting_user=clerk,
    )
    rating.refresh_from_db()
    assert rating.decided_score == Decimal("89.9")
    assert rating.self_score == Decimal("89.9")
    with pytest.raises(ValidationError) as error:
        ratings_record(
            cycle=cycle_2026,
            changes={rating.pk: {"decision_level": Level.EXCELLENT}},
            acting_user=clerk,
        )
    assert error.value.code == "rule_violation"
    points["5"] = "18"  # 90
    ratings_record(
        cycle=cycle_2026,
        changes={rating.pk: {"decision_level": Level.EXCELLENT}},
        scores=full_scores(cycle_2026, rating, points),
        acting_user=clerk,
    )
    rating.refresh_from_db()
    assert (rating.decided_score, rating.decision_level) == (Decimal(90), Level.EXCELLENT)
    assert rating.changes.filter(field="decided_score").count() == 2


def test_a_lower_score_cannot_slip_under_a_decided_level_qd366_dieu_11(
    cycle_2026, small_bloc, clerk
):
    rating = member_rating(cycle_2026, small_bloc["members"][3])
    points = {"1": "10", "2": "10", "3": "10", "4": "50", "5": "15"}
    ratings_record(
        cycle=cycle_2026,
        changes={rating.pk: {**GOOD_TASKS, "decision_level": Level.EXCELLENT}},
        scores=full_scores(cycle_2026, rating, points),
        acting_user=clerk,
    )
    points["4"] = "30"  # 75: at most HTTNV
    with pytest.raises(ValidationError) as error:
        ratings_record(
            cycle=cycle_2026,
            changes={},
            scores=full_scores(cycle_2026, rating, points),
            acting_user=clerk,
        )
    assert error.value.code == "rule_violation"
    assert CriterionScore.objects.get(rating=rating, criterion__code="4").decided_points == 50


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("10.5", "score_above_maximum"),
        ("-1", "score_negative"),
        ("8.25", "score_too_precise"),
        ("tám", "score_not_a_number"),
    ],
)
def test_bad_criterion_scores_are_refused_with_nothing_saved(
    cycle_2026, small_bloc, clerk, value, code
):
    rating = member_rating(cycle_2026, small_bloc["members"][4])
    criterion = Criterion.objects.get(cycle=cycle_2026, framework=Framework.MEMBER, code="1")
    with pytest.raises(ValidationError) as error:
        ratings_record(
            cycle=cycle_2026,
            changes={},
            scores={rating.pk: {criterion.pk: {"self_points": value}}},
            acting_user=clerk,
        )
    assert error.value.code == code
    assert not CriterionScore.objects.filter(rating=rating).exists()


def test_a_total_typed_by_hand_is_refused(cycle_2026, small_bloc, clerk):
    rating = member_rating(cycle_2026, small_bloc["members"][4])
    with pytest.raises(ValidationError) as error:
        ratings_record(
            cycle=cycle_2026, changes={rating.pk: {"decided_score": Decimal(95)}}, acting_user=clerk
        )
    assert error.value.code == "score_total_computed"


def test_scores_in_an_hd21_cycle_are_refused(open_cycle, small_bloc, clerk):
    rating = member_rating(open_cycle, small_bloc["members"][4])
    with pytest.raises(ValidationError) as error:
        ratings_record(
            cycle=open_cycle,
            changes={},
            scores={rating.pk: {1: {"self_points": 5}}},
            acting_user=clerk,
        )
    assert error.value.code == "scores_not_in_regime"


def test_peer_groups_refuse_a_subject_left_out_or_taken_twice(cycle_2026, small_bloc, clerk):
    unit = small_bloc["unit"]
    pool = Pool.objects.get(cycle=cycle_2026, owner=unit, subject_kind="member")
    other = peer_group_create(
        cycle=cycle_2026,
        owner=unit,
        subject_kind="member",
        name="Đảng viên là CCVC",
        acting_user=clerk,
    )
    ids = list(pool.ratings.values_list("pk", flat=True))
    with pytest.raises(ValidationError) as error:
        peer_groups_assign(
            cycle=cycle_2026,
            owner=unit,
            subject_kind="member",
            assignment=[(ids[0], pool.pk), (ids[0], other.pk)] + [(i, pool.pk) for i in ids[2:]],
            acting_user=clerk,
        )
    assert {e.code for e in error.value.error_list} == {"peer_group_twice", "peer_group_missing"}
    assert pool.ratings.count() == len(ids)
    moved = peer_groups_assign(
        cycle=cycle_2026,
        owner=unit,
        subject_kind="member",
        assignment=[(ids[0], other.pk)] + [(i, pool.pk) for i in ids[1:]],
        acting_user=clerk,
    )
    assert moved == 1
    assert Rating.objects.get(pk=ids[0]).pool == other
    assert Rating.objects.get(pk=ids[0]).changes.get(field="pool").new_value == "Đảng viên là CCVC"


def test_peer_groups_are_refused_under_hd21(open_cycle, small_bloc, clerk):
    with pytest.raises(ValidationError) as error:
        peer_group_create(
            cycle=open_cycle,
            owner=small_bloc["unit"],
            subject_kind="member",
            name="Nhóm",
            acting_user=clerk,
        )
    assert error.value.code == "peer_groups_not_in_regime"


def test_the_exception_raises_the_rate_in_force_up_to_the_ceiling_qd366(
    cycle_2026, small_bloc, clerk, capsys
):
    pool = Pool.objects.get(cycle=cycle_2026, owner=small_bloc["unit"], subject_kind="member")
    with pytest.raises(ValidationError) as error:
        quota_exception_grant(
            pool=pool,
            rate=Decimal("0.30"),
            reason="Đơn vị tiêu biểu",
            reference="12-QĐ/ĐU",
            acting_user=clerk,
        )
    assert error.value.code == "exception_above_ceiling"
    with pytest.raises(ValidationError) as error:
        quota_exception_grant(
            pool=pool, rate=Decimal("0.25"), reason="", reference="", acting_user=clerk
        )
    assert error.value.code == "exception_needs_reason"
    quota_exception_grant(
        pool=pool,
        rate=Decimal("0.25"),
        reason="Đơn vị tiêu biểu",
        reference="12-QĐ/ĐU",
        acting_user=clerk,
    )
    status = pool_quota(pool)
    assert (status.rate, status.exception) == (Decimal("0.25"), True)
    call_command("quota_report", "--cycle", "2026", "--organization", small_bloc["unit"].code)
    line = next(row for row in capsys.readouterr().out.splitlines() if " dang-vien " in row)
    assert "25%" in line.split()
    quota_exception_revoke(pool=pool, reason="Nhầm đơn vị", acting_user=clerk)
    assert pool_quota(pool).rate == Decimal("0.2")


def test_the_exception_is_refused_under_hd21(open_cycle, small_bloc, clerk):
    pool = Pool.objects.get(cycle=open_cycle, owner=small_bloc["unit"], subject_kind="member")
    with pytest.raises(ValidationError) as error:
        quota_exception_grant(
            pool=pool, rate=Decimal("0.25"), reason="x", reference="1", acting_user=clerk
        )
    assert error.value.code == "no_exception_in_regime"


def test_a_2026_dossier_needs_the_six_items_always_made_dieu_17_mau_04(cycle_2026, small_bloc):
    from reviews.models import DossierKind, Submission
    from reviews.rules import rule_set_for
    from reviews.services import submission_problems

    rules = rule_set_for(cycle_2026.rule_set)
    assert len(rules.dossier_kinds) == 9
    submission = Submission.objects.get(cycle=cycle_2026, organization=small_bloc["unit"])
    missing = [p for p in submission_problems(submission) if p.code == "dossier_missing"]
    assert len(missing) == 6
    assert DossierKind.RESIDENCE_COMMENTS in rules.required_dossier_kinds
    assert DossierKind.COMPLAINT not in rules.required_dossier_kinds


def test_a_leader_is_reviewed_at_his_cell_first_qd366(cycle_2026, small_bloc, clerk):
    leader = Rating.objects.get(
        cycle=cycle_2026, member=small_bloc["leader"], subject_kind="leader"
    )
    with pytest.raises(ValidationError) as error:
        ratings_record(
            cycle=cycle_2026,
            changes={leader.pk: {"decision_level": Level.COMPLETED}},
            acting_user=clerk,
        )
    assert error.value.code == "order_cell_first"
    as_member = member_rating(cycle_2026, small_bloc["leader"])
    ratings_record(
        cycle=cycle_2026, changes={as_member.pk: {"self_level": Level.GOOD}}, acting_user=clerk
    )
    ratings_record(
        cycle=cycle_2026,
        changes={leader.pk: {"decision_level": Level.COMPLETED}},
        acting_user=clerk,
    )


def test_the_head_is_rated_before_his_deputies_qd366(small_bloc, clerk):
    from members.models import ManagingLevel, SeatRole
    from tests.factories import CollectiveMembershipFactory

    head, deputy = small_bloc["members"][6], small_bloc["members"][7]
    for member, post in ((head, "Giám đốc"), (deputy, "Phó Giám đốc")):
        member.leadership_post = post
        member.managing_level = ManagingLevel.GRASSROOTS
        member.save()
    collective = small_bloc["collective"]
    # The role decides, not the title: a "Giám đốc" heads the agency's leadership.
    CollectiveMembershipFactory(
        collective=collective, member=head, position="Giám đốc", role=SeatRole.HEAD
    )
    CollectiveMembershipFactory(
        collective=collective, member=deputy, position="Phó Giám đốc", role=SeatRole.DEPUTY
    )
    cycle = cycle_change_status(
        cycle=cycle_create(organization=small_bloc["bloc"], year=2026, title="Kỳ 2026"),
        status="open",
    )
    settle = {
        r.pk: {"self_level": Level.GOOD}
        for r in Rating.objects.filter(cycle=cycle, not_rated_reason="").exclude(
            subject_kind="leader"
        )
    }
    ratings_record(cycle=cycle, changes=settle, acting_user=clerk)
    deputy_rating = Rating.objects.get(cycle=cycle, member=deputy, subject_kind="leader")
    with pytest.raises(ValidationError) as error:
        ratings_record(
            cycle=cycle,
            changes={deputy_rating.pk: {"decision_level": Level.COMPLETED}},
            acting_user=clerk,
        )
    assert error.value.code == "order_head_first"


def test_special_units_finish_by_15_january_and_are_reminded_so_qd366(cycle_2026, small_bloc):
    from django.core import mail

    from organizations.models import Role
    from organizations.services import organization_update
    from reviews.services.reminders import send_deadline_reminders
    from tests.factories import RoleAssignmentFactory

    unit = organization_update(organization=small_bloc["unit"], special_deadline=True)
    assert cycle_2026.finish_by_for(unit) == datetime.date(2027, 1, 15)
    assert cycle_2026.finish_by_for(small_bloc["cell_unit"]) == datetime.date(2026, 12, 31)
    clerk = UserFactory(email="canbo@example.vn")
    RoleAssignmentFactory(user=clerk, organization=unit, role=Role.CLERK)
    send_deadline_reminders(cycle=cycle_2026, today=datetime.date(2026, 12, 2))
    body = next(m.body for m in mail.outbox if "canbo@example.vn" in m.to)
    assert "hoàn thành trước 15/01/2027 (còn 44 ngày)" in body
    assert "gửi trước 01/02/2027" in body
