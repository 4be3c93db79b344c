"""No race can leave a finalized pool over its quota (DOMAIN.md §3): real threads, PostgreSQL.

Entries are never refused for the quota; finalizing is, under the pool's lock, and a finalized
pool takes no entry. So whatever the interleaving of clerks raising HTXSNV, lowering HTTNV and
finalizing, a pool that ends finalized is within its quota.
"""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from reviews.models import Level, Rating
from reviews.quota import pool_quota
from reviews.services import cycle_prepare, pool_finalize, pool_reopen, ratings_record
from tests.factories import MemberFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="select_for_update is a no-op on SQLite; row locks are proven on PostgreSQL",
    ),
]

ROUNDS = 6


def run_together(actions) -> list[str]:
    """Start every action at once (a barrier), each in its own thread and connection."""
    barrier = threading.Barrier(len(actions))
    outcomes: list[str] = []

    def run(action):
        try:
            barrier.wait()
            action()
            outcomes.append("ok")
        except ValidationError as error:
            codes = {e.code for e in error.error_list}
            outcomes.append(",".join(sorted(c or "" for c in codes)))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_concurrent_edits_and_finalizations_never_leave_a_finalized_pool_over_quota(
    open_cycle, small_bloc
):
    for _ in range(20):
        MemberFactory(organization=small_bloc["cell"])
    cycle_prepare(cycle=open_cycle)
    ratings = list(
        Rating.objects.filter(pool__owner=small_bloc["unit"], subject_kind="member").order_by("pk")
    )
    good, candidates, rest = ratings[:10], ratings[10:22], ratings[22:]
    pool = good[0].pool
    for round_number in range(ROUNDS):
        ratings_record(
            cycle=open_cycle,
            changes={r.pk: {"decision_level": Level.GOOD} for r in good}
            | {r.pk: {"decision_level": Level.COMPLETED} for r in candidates + rest},
            acting_user=None,
        )

        def raise_excellent(rating_pk):
            return lambda: ratings_record(
                cycle=open_cycle,
                changes={rating_pk: {"decision_level": Level.EXCELLENT}},
                acting_user=None,
            )

        def lower_good(rating_pk):
            return lambda: ratings_record(
                cycle=open_cycle,
                changes={rating_pk: {"decision_level": Level.COMPLETED}},
                acting_user=None,
            )

        def finalize():
            pool_finalize(pool=pool, acting_user=None)

        actions = [raise_excellent(r.pk) for r in candidates]
        actions += [lower_good(r.pk) for r in good[: 1 + round_number % 3]]
        actions += [finalize] * 3
        outcomes = run_together(actions)

        assert len(outcomes) == len(actions)
        assert set(outcomes) <= {"ok", "pool_finalized", "quota_exceeded"}
        pool.refresh_from_db()
        status = pool_quota(pool)
        if pool.is_finalized:
            assert not status.is_over, (round_number, status)
            pool_reopen(pool=pool, acting_user=None, reason="Vòng thử tiếp theo")
        else:
            assert outcomes.count("quota_exceeded") >= 1


def test_entries_race_to_the_same_quota_without_refusal(open_cycle, small_bloc):
    """Decisions are not refused for the quota: twelve at once are all taken, and the panel
    says how many to cut."""
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
    outcomes = run_together(
        [
            (
                lambda pk=r.pk: ratings_record(
                    cycle=open_cycle,
                    changes={pk: {"decision_level": Level.EXCELLENT}},
                    acting_user=None,
                )
            )
            for r in candidates
        ]
    )
    assert outcomes == ["ok"] * len(candidates)
    status = pool_quota(good[0].pool)
    assert (status.excellent, status.allowed, status.over_by) == (12, 2, 10)
