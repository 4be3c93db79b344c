import pytest

from reviews.models import Level, Rating
from reviews.quota import propose_keep
from reviews.services import ratings_record

pytestmark = pytest.mark.django_db


def test_ranking_keeps_the_best_supported_candidates(open_cycle, small_bloc):
    ratings = list(
        Rating.objects.filter(pool__owner=small_bloc["unit"], subject_kind="member").order_by("pk")
    )
    # 8 proposed good; 4 proposed excellent with different vote shares and self-ratings.
    changes = {
        r.pk: {"proposal_level": Level.GOOD, "decision_level": Level.GOOD} for r in ratings[:8]
    }
    shares = [(4, 1), (5, 0), (5, 0), (2, 2)]  # within the cells' sizes
    selfs = [Level.EXCELLENT, Level.GOOD, Level.EXCELLENT, Level.EXCELLENT]
    for rating, (yes, no), own in zip(ratings[8:12], shares, selfs, strict=True):
        changes[rating.pk] = {
            "proposal_level": Level.EXCELLENT,
            "votes_for": yes,
            "votes_against": no,
            "self_level": own,
        }
    ratings_record(cycle=open_cycle, changes=changes, acting_user=None)
    proposal = propose_keep(ratings[0].pool)
    # 4 candidates, 8 good: keeping 2 makes 10 good → 2 allowed.
    assert proposal.allowed == 2
    assert proposal.keep == [ratings[10].pk, ratings[9].pk]
    assert proposal.cut == [ratings[8].pk, ratings[11].pk]


def test_no_cut_needed_when_candidates_fit(open_cycle, small_bloc):
    ratings = list(
        Rating.objects.filter(pool__owner=small_bloc["unit"], subject_kind="member").order_by("pk")
    )
    ratings_record(
        cycle=open_cycle,
        changes={r.pk: {"decision_level": Level.GOOD} for r in ratings[:10]},
        acting_user=None,
    )
    ratings_record(
        cycle=open_cycle,
        changes={ratings[10].pk: {"proposal_level": Level.EXCELLENT}},
        acting_user=None,
    )
    proposal = propose_keep(ratings[0].pool)
    assert not proposal.needs_cut
    assert proposal.keep == [ratings[10].pk]
