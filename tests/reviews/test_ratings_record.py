import pytest
from django.core.exceptions import ValidationError

from members.models import DisciplineForm, Member, StatusPeriod
from members.services import member_discipline
from reviews.models import Level, Pool, Rating, RatingChange
from reviews.quota import pool_quota
from reviews.services import pool_finalize, pools_finalize, ratings_record
from tests.factories import DisciplineRecordFactory, StatusPeriodFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit_ratings(open_cycle, small_bloc):
    return list(
        Rating.objects.filter(
            cycle=open_cycle, subject_kind="member", pool__owner=small_bloc["unit"]
        ).order_by("pk")
    )


def decide(cycle, ratings, level, user=None, **extra):
    return ratings_record(
        cycle=cycle,
        changes={r.pk: {"decision_level": level, **extra} for r in ratings},
        acting_user=user,
    )


def finalize_codes(pool):
    with pytest.raises(ValidationError) as error:
        pool_finalize(pool=pool, acting_user=None)
    return error.value.error_list


def test_decision_over_quota_is_entered_and_finalizing_is_refused(open_cycle, unit_ratings):
    """DOMAIN.md §3 (revised): decisions in any order; the quota binds at finalization."""
    decide(open_cycle, unit_ratings[:2], Level.EXCELLENT)
    decide(open_cycle, unit_ratings[2:7], Level.GOOD)
    decide(open_cycle, unit_ratings[7:], Level.COMPLETED)
    pool = unit_ratings[0].pool
    status = pool_quota(pool)
    assert (status.excellent, status.good, status.allowed, status.over_by) == (2, 5, 1, 1)
    errors = [e for e in finalize_codes(pool) if e.code == "quota_exceeded"]
    assert errors[0].params["over"] == 1
    pool.refresh_from_db()
    assert not pool.is_finalized
    decide(open_cycle, unit_ratings[1:2], Level.GOOD)
    assert pool_finalize(pool=pool, acting_user=None).is_finalized


def test_first_excellent_typed_before_any_good_is_accepted(open_cycle, unit_ratings):
    """Typing the minutes from the top: one HTXSNV before any HTTNV is not refused."""
    decide(open_cycle, unit_ratings[:1], Level.EXCELLENT)
    status = pool_quota(unit_ratings[0].pool)
    assert (status.excellent, status.good, status.allowed, status.over_by) == (1, 0, 0, 1)


def test_with_fewer_than_five_good_nobody_may_be_excellent_at_finalization(
    open_cycle, unit_ratings
):
    decide(open_cycle, unit_ratings[:4], Level.GOOD)
    decide(open_cycle, unit_ratings[4:5], Level.EXCELLENT)
    decide(open_cycle, unit_ratings[5:], Level.COMPLETED)
    errors = [e for e in finalize_codes(unit_ratings[0].pool) if e.code == "quota_exceeded"]
    assert errors[0].params == {
        "excellent": 1,
        "allowed": 0,
        "rate": "20",
        "basis": 4,
        "over": 1,
        "pool": "",
    }


def test_a_finalized_pool_takes_no_edit_of_any_field(open_cycle, unit_ratings):
    decide(open_cycle, unit_ratings, Level.GOOD)
    pool = pool_finalize(pool=unit_ratings[0].pool, acting_user=None)
    assert pool.is_finalized
    for fields in (
        {"self_level": Level.EXCELLENT},
        {"proposal_level": Level.COMPLETED},
        {"votes_for": 1},
        {"decision_level": Level.COMPLETED},
        {"note": "sửa sau khi chốt"},
    ):
        with pytest.raises(ValidationError) as error:
            ratings_record(cycle=open_cycle, changes={unit_ratings[0].pk: fields}, acting_user=None)
        assert error.value.code == "pool_finalized"


def test_an_override_without_an_acting_user_is_refused(open_cycle, unit_ratings):
    rating = unit_ratings[0]
    member_discipline(
        member=rating.member,
        form=DisciplineForm.WARNING,
        decision_number="1-QĐ/UBKT",
        decided_on=open_cycle.reference_date,
        violation="Vi phạm",
    )
    with pytest.raises(ValidationError) as error:
        decide(
            open_cycle,
            [rating],
            Level.GOOD,
            override_reason="Kỷ luật đã được xóa",
            override_reference="15-QĐ/ĐUK",
        )
    assert error.value.code == "override_needs_user"


def test_votes_cannot_exceed_the_members_of_the_cell(open_cycle, unit_ratings):
    rating = unit_ratings[0]
    cell_size = Member.objects.filter(organization=rating.member.organization).count()
    with pytest.raises(ValidationError) as error:
        ratings_record(
            cycle=open_cycle,
            changes={rating.pk: {"votes_for": cell_size, "votes_against": 1}},
            acting_user=None,
        )
    assert error.value.code == "votes_exceed_members"
    rating.refresh_from_db()
    assert rating.votes_for is None
    ratings_record(
        cycle=open_cycle,
        changes={rating.pk: {"votes_for": cell_size - 1, "votes_against": 1}},
        acting_user=None,
    )
    rating.refresh_from_db()
    assert rating.votes_for + rating.votes_against == cell_size


def test_decision_breaking_a_hard_rule_needs_an_override(open_cycle, unit_ratings):
    rating = unit_ratings[0]
    user = UserFactory()
    DisciplineRecordFactory(member=rating.member, form=DisciplineForm.WARNING)
    with pytest.raises(ValidationError) as error:
        decide(open_cycle, [rating], Level.GOOD)
    assert error.value.code == "rule_violation"
    with pytest.raises(ValidationError) as error:
        decide(open_cycle, [rating], Level.GOOD, user=user, override_reason="Kỷ luật đã được xóa")
    assert error.value.code == "override_incomplete"
    decide(
        open_cycle,
        [rating],
        Level.GOOD,
        user=user,
        override_reason="Quyết định kỷ luật đã bị hủy",
        override_reference="15-QĐ/ĐUK",
    )
    rating.refresh_from_db()
    assert rating.has_override
    assert rating.override_at is not None
    assert rating.override_by == user


def test_every_change_is_kept_with_who_and_why(open_cycle, unit_ratings):
    clerk = UserFactory()
    ratings_record(
        cycle=open_cycle,
        changes={unit_ratings[0].pk: {"self_level": Level.GOOD, "proposal_level": Level.GOOD}},
        acting_user=clerk,
        reason="Hội nghị chi bộ",
    )
    changes = RatingChange.objects.filter(rating=unit_ratings[0])
    assert {(c.field, c.old_value, c.new_value) for c in changes} == {
        ("self_level", "", "HTTNV"),
        ("proposal_level", "", "HTTNV"),
    }
    assert {c.changed_by for c in changes} == {clerk}
    assert {c.reason for c in changes} == {"Hội nghị chi bộ"}


def test_stale_version_is_refused(open_cycle, unit_ratings):
    rating = unit_ratings[0]
    decide(open_cycle, [rating], Level.GOOD)
    with pytest.raises(ValidationError) as error:
        ratings_record(
            cycle=open_cycle,
            changes={rating.pk: {"decision_level": Level.COMPLETED}},
            acting_user=None,
            expected_versions={rating.pk: rating.version},
        )
    assert error.value.code == "stale_rating"


def test_subject_not_rated_takes_no_level(open_cycle, small_bloc):
    member = small_bloc["members"][1]
    StatusPeriodFactory(member=member, kind=StatusPeriod.Kind.SUSPENDED)
    rating = Rating.objects.get(member=member, subject_kind="member")
    with pytest.raises(ValidationError) as error:
        decide(open_cycle, [rating], Level.GOOD)
    assert error.value.code == "not_rated_subject"


def test_the_history_names_every_choice_not_its_code():
    """A level, a not-rated reason and how far last year's shortcomings were fixed read by
    their names on the history page (a code like "in_progress" is never shown)."""
    from reviews.models import Level, NotRatedReason, RatingChange, ShortcomingsFixed

    for field, code, label in (
        ("decision_level", Level.GOOD, Level.GOOD.label),
        ("not_rated_reason", NotRatedReason.EXEMPT, NotRatedReason.EXEMPT.label),
        ("shortcomings_fixed", ShortcomingsFixed.IN_PROGRESS, ShortcomingsFixed.IN_PROGRESS.label),
    ):
        change = RatingChange(field=field, old_value="", new_value=code)
        assert change.new_label == label
        assert change.old_label == ""
    assert RatingChange(field="note", new_value="in_progress").new_label == "in_progress"
    assert RatingChange(field="removed_field", new_value="x").field_label == "removed_field"


def test_a_units_pools_are_finalized_together_or_not_at_all(
    open_cycle, small_bloc, unit_ratings, django_assert_max_num_queries
):
    """`pools_finalize`: every pool's problems, each named by its pool, and nothing finalized;
    once they are solved, all at once, the rules read once for all the pools."""
    pools = list(Pool.objects.filter(cycle=open_cycle, owner=small_bloc["unit"]).order_by("pk"))
    others = list(
        Rating.objects.filter(pool__in=pools).exclude(subject_kind="member").order_by("pk")
    )
    assert len(pools) >= 2
    assert others
    decide(open_cycle, unit_ratings, Level.GOOD)
    with pytest.raises(ValidationError) as error:
        pools_finalize(pools=pools, acting_user=None)
    undecided = [e for e in error.value.error_list if e.code == "undecided"]
    labels = {pool.pk: pool.label for pool in pools}
    assert [e.message.split(":")[0] for e in undecided] == [
        labels[pk] for pk in sorted({r.pool_id for r in others})
    ]
    assert not Pool.objects.filter(pk__in=labels, state="finalized").exists()
    decide(open_cycle, others, Level.COMPLETED)
    with django_assert_max_num_queries(16 + 3 * len(pools)):
        finalized = pools_finalize(pools=pools, acting_user=None)
    assert [pool.pk for pool in finalized] == sorted(labels)
    assert all(pool.is_finalized for pool in finalized)
    assert Pool.objects.filter(pk__in=labels, state="finalized").count() == len(pools)
    assert pools_finalize(pools=pools, acting_user=None) == finalized  # already: nothing to do
