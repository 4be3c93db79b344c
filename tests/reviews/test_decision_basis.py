"""A fact a decision rests on never goes silently (issue #18, point 1): deleting or correcting
a disciplinary decision or a status period behind a decided level flags that decision for the
deciding body, which keeps it or changes it before the pool can be finalized."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from members.models import DisciplineForm
from members.services import (
    discipline_record_delete,
    discipline_record_update,
    member_discipline,
)
from reviews.models import Level, PoolFlag, PoolFlagKind, Rating, SubjectKind
from reviews.services import pool_finalize, pool_reopen, ratings_record
from reviews.services.roster import decision_basis_confirm
from tests.factories import RoleAssignmentFactory, UserFactory

pytestmark = pytest.mark.django_db


def rating_of(member, cycle):
    return Rating.objects.select_related("pool").get(
        cycle=cycle, member=member, subject_kind=SubjectKind.MEMBER
    )


def disciplined_and_decided(cycle, member, level=Level.NOT_COMPLETED):
    """A reprimand in the year, and the body's decision KHTNV, which the reprimand forces."""
    record = member_discipline(
        member=member,
        form=DisciplineForm.REPRIMAND,
        decision_number="7-QĐ/UBKT",
        decided_on=datetime.date(2021, 10, 4),
        violation="Vi phạm quy chế làm việc.",
    )
    rating = rating_of(member, cycle)
    ratings_record(cycle=cycle, changes={rating.pk: {"decision_level": level}}, acting_user=None)
    return record, rating_of(member, cycle)


def decide_the_rest(cycle, pool):
    """Every undecided rated subject of the pool decided HTTNV, so only the flag stops it."""
    ratings_record(
        cycle=cycle,
        changes={
            r.pk: {"decision_level": Level.GOOD}
            for r in pool.ratings.filter(not_rated_reason="", decision_level="")
        },
        acting_user=None,
    )


def basis_flags(pool):
    return PoolFlag.objects.unresolved().filter(pool=pool, kind=PoolFlagKind.BASIS_REMOVED)


def test_deleting_the_discipline_behind_a_khtnv_decision_flags_it(open_cycle, small_bloc):
    member = small_bloc["members"][3]
    record, rating = disciplined_and_decided(open_cycle, member)
    discipline_record_delete(record=record)
    flag = basis_flags(rating.pool).get()
    assert flag.member == member
    assert "Không hoàn thành nhiệm vụ" in flag.message
    assert "kỷ luật" in flag.message.lower()
    # The decision itself stays: the body decides, the system does not guess.
    assert rating_of(member, open_cycle).decision_level == Level.NOT_COMPLETED


def test_correcting_the_year_out_of_the_cycle_also_flags_it(open_cycle, small_bloc):
    member = small_bloc["members"][3]
    record, rating = disciplined_and_decided(open_cycle, member)
    discipline_record_update(record=record, counted_year=2019)
    assert basis_flags(rating.pool).count() == 1


def test_a_correction_that_keeps_the_basis_flags_nothing(open_cycle, small_bloc):
    member = small_bloc["members"][3]
    record, rating = disciplined_and_decided(open_cycle, member)
    discipline_record_update(record=record, decision_number="8-QĐ/UBKT")
    assert not basis_flags(rating.pool).exists()


def test_a_decision_the_fact_did_not_bind_is_not_flagged(open_cycle, small_bloc):
    """An HTNV decided over a reprimand was an override, not the reprimand's consequence;
    a plain HTTNV decision with no limit rests on nothing that can go."""
    member = small_bloc["members"][3]
    other = small_bloc["members"][4]
    rating = rating_of(other, open_cycle)
    ratings_record(
        cycle=open_cycle, changes={rating.pk: {"decision_level": Level.GOOD}}, acting_user=None
    )
    record = member_discipline(
        member=member,
        form=DisciplineForm.REPRIMAND,
        decision_number="7-QĐ/UBKT",
        decided_on=datetime.date(2021, 10, 4),
        violation="Vi phạm quy chế làm việc.",
    )
    discipline_record_delete(record=record)  # member had no decision yet
    assert not PoolFlag.objects.filter(kind=PoolFlagKind.BASIS_REMOVED).exists()


def test_the_flag_blocks_finalizing_until_the_body_keeps_or_changes_the_decision(
    open_cycle, small_bloc
):
    member = small_bloc["members"][3]
    record, rating = disciplined_and_decided(open_cycle, member)
    pool = rating.pool
    decide_the_rest(open_cycle, pool)
    discipline_record_delete(record=record)
    with pytest.raises(ValidationError) as refused:
        pool_finalize(pool=pool, acting_user=None)
    assert "decision_basis_removed" in {e.code for e in refused.value.error_list}
    clerk = UserFactory()
    decision_basis_confirm(flag=basis_flags(pool).get(), acting_user=clerk)
    assert not basis_flags(pool).exists()
    assert PoolFlag.objects.get(kind=PoolFlagKind.BASIS_REMOVED).resolved_by == clerk
    pool_finalize(pool=pool, acting_user=None)


def test_changing_the_decision_answers_the_flag(open_cycle, small_bloc):
    member = small_bloc["members"][3]
    record, rating = disciplined_and_decided(open_cycle, member)
    discipline_record_delete(record=record)
    ratings_record(
        cycle=open_cycle, changes={rating.pk: {"decision_level": Level.GOOD}}, acting_user=None
    )
    assert not basis_flags(rating.pool).exists()


def test_on_a_finalized_pool_reopening_does_not_answer_it_by_itself(open_cycle, small_bloc):
    member = small_bloc["members"][3]
    record, rating = disciplined_and_decided(open_cycle, member)
    pool = rating.pool
    decide_the_rest(open_cycle, pool)
    pool_finalize(pool=pool, acting_user=None)
    discipline_record_delete(record=record)
    assert basis_flags(pool).count() == 1
    pool_reopen(pool=pool, acting_user=None, reason="Xem lại quyết định kỷ luật đã hủy")
    assert basis_flags(pool).count() == 1


@pytest.fixture
def removed_basis(open_cycle, small_bloc):
    """A KHTNV decided on a discipline record that is then deleted: the rating and its flag."""
    record, rating = disciplined_and_decided(open_cycle, small_bloc["members"][3])
    discipline_record_delete(record=record)
    return rating, basis_flags(rating.pool).get()


def test_the_deciding_body_keeps_the_decision_from_the_pool_screen(
    client, removed_basis, small_bloc
):
    rating, flag = removed_basis
    clerk = UserFactory()
    RoleAssignmentFactory(user=clerk, organization=small_bloc["unit"], role="clerk")
    client.force_login(clerk)
    page = client.get(reverse("reviews:pool", args=[rating.pool_id]))
    assert "Giữ nguyên quyết định" in page.content.decode()
    response = client.post(
        reverse("reviews:pool-confirm-decision", args=[rating.pool_id]), {"flag": flag.pk}
    )
    assert response.status_code == 302
    assert not basis_flags(rating.pool).exists()


def test_someone_who_does_not_decide_cannot_keep_it(client, removed_basis, small_bloc):
    rating, flag = removed_basis
    outsider = UserFactory()
    RoleAssignmentFactory(user=outsider, organization=small_bloc["cell_unit"], role="clerk")
    client.force_login(outsider)
    response = client.post(
        reverse("reviews:pool-confirm-decision", args=[rating.pool_id]), {"flag": flag.pk}
    )
    assert response.status_code in (403, 404)
    assert basis_flags(rating.pool).exists()
