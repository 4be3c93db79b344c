import pytest
from django.core.management import CommandError, call_command

from reviews.models import Level, Rating
from reviews.services import ratings_record

pytestmark = pytest.mark.django_db


def test_quota_report_lists_every_pool_and_passes_within_quota(open_cycle, capsys):
    call_command("quota_report", "--cycle", "2021")
    out = capsys.readouterr().out
    assert out.splitlines()[-1] == f"{open_cycle.pools.count()} pools, 0 over quota"


def test_quota_report_fails_when_a_pool_is_over(open_cycle, small_bloc, capsys):
    """Decisions over the quota are entered (it binds at finalization): the report says so."""
    ratings = list(
        Rating.objects.filter(pool__owner=small_bloc["unit"], subject_kind="member").order_by("pk")
    )
    ratings_record(
        cycle=open_cycle,
        changes={r.pk: {"decision_level": Level.GOOD} for r in ratings[:5]}
        | {r.pk: {"decision_level": Level.EXCELLENT} for r in ratings[5:7]},
        acting_user=None,
    )
    with pytest.raises(CommandError) as error:
        call_command("quota_report", "--cycle", "2021", "--organization", small_bloc["unit"].code)
    assert error.value.returncode == 1
    lines = capsys.readouterr().out.splitlines()
    over = [line for line in lines if line.endswith("OVER")]
    assert len(over) == 1
    assert over[0].split()[:7] == [small_bloc["unit"].code, "member", "-", "5", "2", "20%", "1"]


def test_quota_report_refuses_an_unknown_cycle(db):
    with pytest.raises(CommandError):
        call_command("quota_report", "--cycle", "1999")
