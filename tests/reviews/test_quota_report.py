import pytest
from django.core.management import CommandError, call_command

from reviews.models import Level, Rating

pytestmark = pytest.mark.django_db


def test_quota_report_lists_every_pool_and_passes_within_quota(open_cycle, capsys):
    call_command("quota_report", "--cycle", "2021")
    out = capsys.readouterr().out
    assert out.splitlines()[-1] == f"{open_cycle.pools.count()} pools, 0 over quota"


def test_quota_report_fails_when_a_pool_is_over(open_cycle, small_bloc, capsys):
    ratings = Rating.objects.filter(pool__owner=small_bloc["unit"], subject_kind="member")
    # Written behind the service's back, as a corrupted import would: the report must catch it.
    pks = list(ratings.values_list("pk", flat=True))
    from django.utils import timezone

    Rating.objects.filter(pk__in=pks[:5]).update(
        decision_level=Level.GOOD, decided_at=timezone.now()
    )
    Rating.objects.filter(pk__in=pks[5:7]).update(
        decision_level=Level.EXCELLENT, decided_at=timezone.now()
    )
    with pytest.raises(CommandError):
        call_command("quota_report", "--cycle", "2021", "--organization", small_bloc["unit"].code)
    out = capsys.readouterr().out
    assert "OVER" in out
    assert f"{small_bloc['unit'].code}" in out


def test_quota_report_refuses_an_unknown_cycle(db):
    with pytest.raises(CommandError):
        call_command("quota_report", "--cycle", "1999")
