"""No race can break the quota (issue "rating entry and the quota", point 5): real threads."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from reviews.models import Level, Rating
from reviews.quota import pool_quota
from reviews.services import ratings_record

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="select_for_update is a no-op on SQLite; row locks are proven on PostgreSQL",
    ),
]


def test_concurrent_excellent_decisions_never_exceed_the_quota(open_cycle, small_bloc):
    from reviews.services import cycle_prepare
    from tests.factories import MemberFactory

    for _ in range(20):
        MemberFactory(organization=small_bloc["cell"])
    cycle_prepare(cycle=open_cycle)
    ratings = list(
        Rating.objects.filter(pool__owner=small_bloc["unit"], subject_kind="member").order_by("pk")
    )
    good, candidates = ratings[:10], ratings[10:22]
    ratings_record(
        cycle=open_cycle,
        changes={r.pk: {"decision_level": Level.GOOD} for r in good},
        acting_user=None,
    )
    barrier = threading.Barrier(len(candidates))
    outcomes: list[str] = []

    def decide(rating_pk):
        try:
            barrier.wait()
            ratings_record(
                cycle=open_cycle,
                changes={rating_pk: {"decision_level": Level.EXCELLENT}},
                acting_user=None,
            )
            outcomes.append("ok")
        except ValidationError as error:
            outcomes.append(error.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=decide, args=(r.pk,)) for r in candidates]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    status = pool_quota(good[0].pool)
    assert status.allowed == 2
    assert status.excellent == 2
    assert outcomes.count("ok") == 2
    assert outcomes.count("quota_exceeded") == len(candidates) - 2
