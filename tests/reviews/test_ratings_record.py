import pytest
from django.core.exceptions import ValidationError

from members.models import DisciplineForm, StatusPeriod
from reviews.models import Level, Rating, RatingChange
from reviews.quota import pool_quota
from reviews.services import ratings_record
from tests.factories import DisciplineRecordFactory, StatusPeriodFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit_ratings(open_cycle, small_bloc):
    return list(
        Rating.objects.filter(
            cycle=open_cycle, subject_kind="member", pool__owner=small_bloc["unit"]
        ).order_by("pk")
    )


def decide(cycle, ratings, level, **extra):
    return ratings_record(
        cycle=cycle,
        changes={r.pk: {"decision_level": level, **extra} for r in ratings},
        acting_user=None,
    )


def test_decision_raising_excellent_above_quota_is_refused(open_cycle, unit_ratings):
    decide(open_cycle, unit_ratings[:5], Level.GOOD)
    decide(open_cycle, unit_ratings[5:6], Level.EXCELLENT)
    with pytest.raises(ValidationError) as error:
        decide(open_cycle, unit_ratings[6:7], Level.EXCELLENT)
    assert error.value.code == "quota_exceeded"
    assert error.value.params == {"excellent": 2, "allowed": 1, "rate": "20", "basis": 5}
    status = pool_quota(unit_ratings[0].pool)
    assert (status.excellent, status.good, status.allowed, status.is_over) == (1, 5, 1, False)


def test_with_fewer_than_five_good_nobody_may_be_excellent(open_cycle, unit_ratings):
    decide(open_cycle, unit_ratings[:4], Level.GOOD)
    with pytest.raises(ValidationError) as error:
        decide(open_cycle, unit_ratings[4:5], Level.EXCELLENT)
    assert error.value.code == "quota_exceeded"


def test_decision_breaking_a_hard_rule_needs_an_override(open_cycle, unit_ratings):
    rating = unit_ratings[0]
    DisciplineRecordFactory(member=rating.member, form=DisciplineForm.WARNING)
    with pytest.raises(ValidationError) as error:
        decide(open_cycle, [rating], Level.GOOD)
    assert error.value.code == "rule_violation"
    with pytest.raises(ValidationError) as error:
        decide(open_cycle, [rating], Level.GOOD, override_reason="Kỷ luật đã được xóa")
    assert error.value.code == "override_incomplete"
    decide(
        open_cycle,
        [rating],
        Level.GOOD,
        override_reason="Quyết định kỷ luật đã bị hủy",
        override_reference="15-QĐ/ĐUK",
    )
    rating.refresh_from_db()
    assert rating.has_override
    assert rating.override_at is not None


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
