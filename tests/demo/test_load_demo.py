"""`manage.py load_demo`: a small demo bloc built once for the module, then inspected."""

import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from demo.year_2021 import ACCOUNT_SPECS, BLOC_CODE, DEMO_PASSWORD
from members.models import (
    CollectiveKind,
    DisciplineForm,
    DisciplineRecord,
    LeadershipCollective,
    ManagingLevel,
    Member,
    MembershipEvent,
    StatusPeriod,
)
from organizations.models import GRASSROOTS_KINDS, Organization, OrganizationKind, Role
from reviews.models import (
    Level,
    NotRatedReason,
    Pool,
    PoolState,
    Rating,
    ReviewCycle,
    SubjectKind,
    Submission,
    SubmissionState,
    SubmissionTransition,
)
from reviews.quota import pool_quota
from reviews.selectors import eligibilities
from reviews.services import pool_problems

pytestmark = pytest.mark.django_db
SCALE = 0.05


@pytest.fixture(scope="module")
def demo_output(django_db_setup, django_db_blocker, tmp_path_factory):
    """Build the demo once for the module, inside a transaction rolled back at the end."""
    media = tmp_path_factory.mktemp("media")
    fast_hasher = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media, PASSWORD_HASHERS=fast_hasher),
        transaction.atomic(),
    ):
        out = StringIO()
        call_command("load_demo", scale=SCALE, stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def cycle(demo_output):
    return ReviewCycle.objects.get(organization__code=BLOC_CODE, year=2021)


def verdicts(ratings, cycle):
    ratings = list(ratings.select_related("member", "organization", "collective"))
    return list(zip(ratings, eligibilities(ratings, cycle=cycle), strict=True))


def limit_codes(ratings, cycle):
    return {limit.code for _, verdict in verdicts(ratings, cycle) for limit in verdict.limits}


def test_demo_builds_a_sound_bloc_tree(demo_output):
    bloc = Organization.objects.get(code=BLOC_CODE)
    assert bloc.kind == OrganizationKind.BLOC
    assert bloc.depth == 1
    assert not any(Organization.objects.find_problems())
    kinds = set(Organization.objects.subtree_of(bloc).values_list("kind", flat=True))
    assert kinds == set(OrganizationKind.values)
    units = Organization.objects.grassroots()
    assert units.count() >= 7
    assert set(units.values_list("grassroots_type", flat=True)) <= {"04", "05", "06a", "06b"}
    assert Member.objects.exclude(organization__kind__in=["cell", "grassroots_cell"]).count() == 0
    assert Member.objects.count() >= 250
    assert Member.objects.exclude(card_number="").values("card_number").distinct().count() == (
        Member.objects.exclude(card_number="").count()
    )


def test_newly_formed_unit_and_cell_are_reviewed_but_not_rated(cycle):
    newly_formed = Rating.objects.filter(
        cycle=cycle, not_rated_reason=NotRatedReason.NEWLY_FORMED
    ).values_list("organization__kind", flat=True)
    assert OrganizationKind.CELL in newly_formed
    assert set(newly_formed) & set(GRASSROOTS_KINDS)


def test_every_special_case_of_the_rules_is_present(cycle):
    members = Rating.objects.filter(cycle=cycle, subject_kind=SubjectKind.MEMBER)
    reasons = set(members.values_list("not_rated_reason", flat=True))
    assert {NotRatedReason.NEW_MEMBER, NotRatedReason.EXEMPT, NotRatedReason.SUSPENDED} <= reasons
    probationary_rated = members.filter(member__official_on__isnull=True, not_rated_reason="")
    assert probationary_rated.exists()
    assert Member.objects.filter(official_on__isnull=True, card_number="").exists()
    assert StatusPeriod.objects.filter(kind=StatusPeriod.Kind.MATERNITY_LEAVE).exists()
    assert MembershipEvent.objects.filter(
        kind=MembershipEvent.Kind.TRANSFER_IN, occurred_on__year=2021
    ).exists()
    assert MembershipEvent.objects.filter(kind=MembershipEvent.Kind.TRANSFER_INTERNAL).exists()
    forms = set(DisciplineRecord.objects.counted_in_year(2021).values_list("form", flat=True))
    assert {DisciplineForm.REPRIMAND, DisciplineForm.WARNING} <= forms
    assert members.filter(civil_service_level=Level.NOT_COMPLETED).exists()
    codes = limit_codes(members, cycle)
    assert {
        "long_sick_leave",
        "disciplined_in_year",
        "civil_service_not_completed",
        "civil_service_not_excellent",
    } <= codes


def test_leaders_and_collectives_are_present(cycle):
    levels = set(
        Member.objects.exclude(leadership_post="").values_list("managing_level", flat=True)
    )
    assert levels == set(ManagingLevel.values)
    board = LeadershipCollective.objects.get(
        kind=CollectiveKind.STANDING_BOARD, organization__code=BLOC_CODE
    )
    assert board.managing_level == ManagingLevel.PROVINCE
    assert board.memberships.count() == 9
    bloc = Organization.objects.get(code=BLOC_CODE)
    committees = LeadershipCollective.objects.filter(
        kind=CollectiveKind.PARTY_COMMITTEE, organization__path__startswith=bloc.path
    )
    units = Organization.objects.filter(
        kind=OrganizationKind.GRASSROOTS_COMMITTEE, path__startswith=bloc.path
    )
    assert set(committees.values_list("organization", flat=True)) == set(
        units.values_list("pk", flat=True)
    )
    for committee in committees:
        assert committee.managing_level == ManagingLevel.DISTRICT
        assert 5 <= committee.memberships.count() <= 9
    assert Rating.objects.filter(cycle=cycle, subject_kind=SubjectKind.LEADER).exists()


def test_every_pool_is_within_quota(cycle):
    pools = Pool.objects.filter(cycle=cycle).select_related("cycle")
    assert pools.exists()
    assert not [pool for pool in pools if pool_quota(pool).is_over]


def test_decisions_respect_the_rules(cycle):
    decided = Rating.objects.filter(cycle=cycle).exclude(decision_level="")
    assert decided.filter(subject_kind=SubjectKind.MEMBER).exists()
    assert not decided.exclude(override_reason="").exists()
    assert not [
        rating
        for rating, verdict in verdicts(decided, cycle)
        if not verdict.allows(rating.decision_level)
    ]
    # Whatever stops a pool from being finalized is only a decision still to be made.
    for pool in Pool.objects.filter(cycle=cycle).select_related("cycle"):
        assert {problem.code for problem in pool_problems(pool)} <= {"undecided"}


def test_units_are_at_every_stage_of_the_cycle(cycle):
    submissions = Submission.objects.filter(cycle=cycle)
    states = set(submissions.values_list("state", flat=True))
    assert states == set(SubmissionState.values)
    assert submissions.filter(is_late=True).exists()
    returned = SubmissionTransition.objects.filter(
        submission__cycle=cycle, to_state=SubmissionState.RETURNED
    )
    assert returned.exists()
    assert not returned.filter(reason="").exists()
    for submission in submissions.exclude(state=SubmissionState.DRAFT):
        assert submission.dossier_items.present().count() >= 3
        assert not Pool.objects.filter(
            cycle=cycle, owner=submission.organization, state=PoolState.OPEN
        ).exists()
    # Sở Tài chính, the clerk's unit: cell proposals made, no decision yet.
    stc = Rating.objects.filter(
        cycle=cycle, subject_kind=SubjectKind.MEMBER, pool__owner__code="STC"
    )
    assert stc.exclude(proposal_level="").exists()
    assert not stc.exclude(decision_level="").exists()
    submitted = submissions.get(organization__code="STC")
    assert submitted.state == SubmissionState.DRAFT
    assert Pool.objects.filter(cycle=cycle, owner__code=BLOC_CODE, state=PoolState.OPEN).exists()


def test_demo_accounts_exist_with_their_roles(demo_output):
    users = get_user_model().objects
    admin = users.get(username="admin")
    assert admin.is_superuser
    assert admin.is_staff
    validate_password(DEMO_PASSWORD, admin)
    for spec in ACCOUNT_SPECS:
        user = users.get(username=spec.username)
        assert user.check_password(DEMO_PASSWORD)
        assert user.first_name
        assert user.last_name
        assert spec.username in demo_output
        if spec.role:
            assert user.role_assignments.filter(role=spec.role, is_active=True).exists()
    secretaries = users.get(username="bithu.chibo").role_assignments.order_by("pk")
    assert [a.role for a in secretaries] == [Role.CELL_SECRETARY, Role.CELL_SECRETARY]
    assert [a.organization.kind for a in secretaries] == [OrganizationKind.CELL] * 2
    assert [a.organization.grassroots_unit().code for a in secretaries] == ["STC", "STC-25"]


def test_second_run_changes_nothing(demo_output):
    before = {model._meta.label: model.objects.count() for model in apps.get_models()}
    out = StringIO()
    call_command("load_demo", scale=SCALE, stdout=out)
    after = {model._meta.label: model.objects.count() for model in apps.get_models()}
    assert after == before
    assert BLOC_CODE in out.getvalue()
    assert "canbo.stc" in out.getvalue()


def test_dates_are_fixed_around_2021(cycle):
    assert (cycle.reference_date, cycle.deadline) == (
        datetime.date(2021, 11, 15),
        datetime.date(2021, 11, 25),
    )
    assert Member.objects.filter(date_of_birth__year__lt=1962).count() == 0
    assert Member.objects.filter(date_of_birth__year__gt=1998).count() == 0
    # Only the two members admitted in 2026 (not reviewed under QĐ 366).
    assert Member.objects.filter(admitted_on__gt=cycle.reference_date).count() == 2


def test_demo_shows_suggestions_and_questions_at_work(cycle):
    """Issues "leaders and suggestions" and "guidance": answered and accepted suggestions to
    a committee and a leader, one still waiting; a shared answer on long sick leave."""
    from reviews.models import GuidingDocument, Question, SuggestionState

    states = sorted(cycle.suggestions.values_list("state", flat=True))
    assert states == [SuggestionState.CLOSED, SuggestionState.CLOSED, SuggestionState.ISSUED]
    assert cycle.suggestions.filter(member__isnull=False, state=SuggestionState.CLOSED).exists()
    shared = Question.objects.get(cycle=cycle, is_shared=True)
    assert shared.member is not None
    assert Question.objects.filter(cycle=cycle, state="open").count() == 1
    assert GuidingDocument.objects.filter(cycle=cycle).count() == 2


@pytest.mark.parametrize(
    "username",
    [
        "admin",
        "bantochuc",
        "uybankiemtra",
        "vanphong",
        "canbo.stc",
        "canbo.chibo",
        "bithu.chibo",
        "xem",
    ],
)
def test_every_demo_account_logs_in_and_sees_its_home(client, demo_output, username):
    """Through the login form, as a person would (and as django-axes checks)."""
    from django.urls import reverse

    from demo.year_2021 import DEMO_PASSWORD

    response = client.post(
        reverse("login"), {"username": username, "password": DEMO_PASSWORD}, follow=True
    )
    assert response.status_code == 200
    assert response.request["PATH_INFO"] == reverse("home")
    assert "Kỳ kiểm điểm, đánh giá, xếp loại chất lượng năm 2026" in response.text
    assert "Hạn nộp" in response.text
    assert "Quá hạn" not in response.text
    for name in (
        "reviews:pool-list",
        "reviews:questions",
        "reviews:suggestion-list",
        "organizations:tree",
        "members:list",
    ):
        assert client.get(reverse(name)).status_code == 200


# --- 2026: the reorganization of 1/7/2025 and the cycles under QĐ 366 (issue #13, point 10) ---


@pytest.fixture
def cycles_2026(demo_output):
    return {cycle.organization.code: cycle for cycle in ReviewCycle.objects.filter(year=2026)}


def test_2021_is_closed_and_2026_runs_under_qd366_in_both_new_committees(cycle, cycles_2026):
    assert cycle.status == "closed"
    assert set(cycles_2026) == {"DBCQD", "DBUB"}
    for current in cycles_2026.values():
        assert current.status == "open"
        assert current.rule_set == "qd366_2025"
        assert (current.score_excellent_min, current.exception_ceiling) == (90, Decimal("0.25"))
        assert current.finish_by == datetime.date(2026, 12, 31)


def test_the_2021_tree_stays_and_its_units_name_their_successors(cycle):
    bloc = Organization.objects.get(code=BLOC_CODE)
    assert bloc.dissolved_on == datetime.date(2025, 7, 1)
    units = Organization.objects.filter(path__startswith=bloc.path, kind__in=GRASSROOTS_KINDS)
    assert units.exists()
    for unit in units:
        assert unit.dissolved_on == datetime.date(2025, 7, 1)
        assert Organization.objects.get_root(unit.succeeded_by).code in {"DBCQD", "DBUB"}
    # Every 2021 rating still sits in the 2021 tree, though its members moved.
    assert not Rating.objects.filter(cycle=cycle).exclude(unit__path__startswith=bloc.path)
    merged = Organization.objects.get(code="SKHDT") if units.filter(code="SKHDT") else None
    if merged is not None:
        assert merged.succeeded_by.code == "STC-25"


def test_2026_decisions_rest_on_scores_and_the_rules(cycles_2026):
    for current in cycles_2026.values():
        decided = Rating.objects.filter(cycle=current).exclude(decision_level="")
        assert decided.exists()
        assert not decided.filter(decided_score__isnull=True).exists()
        assert not decided.filter(decision_level=Level.EXCELLENT, decided_score__lt=90).exists()
        ratings = list(decided.select_related("member", "organization", "collective"))
        for rating, verdict in zip(ratings, eligibilities(ratings, cycle=current), strict=True):
            assert verdict.allows(rating.decision_level) or rating.has_override


def test_2026_pools_are_peer_groups_with_the_exception_and_one_over_quota(cycles_2026):
    from reviews.models import QuotaException

    current = cycles_2026["DBUB"]
    pools = Pool.objects.filter(cycle=current)
    assert not pools.filter(peer_group="").exists()
    exception = QuotaException.objects.in_force().get(pool__cycle=current)
    assert exception.pool.owner.code == "BVDK-25"
    assert pool_quota(exception.pool).rate == Decimal("0.25")
    stc = pools.get(owner__code="STC-25", subject_kind=SubjectKind.MEMBER)
    assert pool_quota(stc).is_over
    assert not any(pool_quota(pool).is_over for pool in pools.filter(state=PoolState.FINALIZED))


def test_2026_has_members_not_reviewed_and_units_at_every_stage(cycles_2026):
    current = cycles_2026["DBUB"]
    assert (
        Rating.objects.filter(cycle=current, not_rated_reason=NotRatedReason.NEW_MEMBER).count()
        == 2
    )
    states = set(Submission.objects.filter(cycle__year=2026).values_list("state", flat=True))
    assert {SubmissionState.APPROVED, SubmissionState.SUBMITTED, SubmissionState.DRAFT} <= states


def test_the_demo_holds_the_papers_kiemdiem_writes(demo_output, client):
    """A member writing his own self-review in both years (2026 pre-filled from 2021), forms
    his clerk wrote, and a cell's minutes in both years, the 2026 one warned about (issue #14)."""
    from django.contrib.auth import get_user_model

    from reviews.models import ReviewMeeting, SelfReview
    from reviews.services.meetings import draft_warning

    author = get_user_model().objects.get(username="dangvien")
    own = SelfReview.objects.filter(rating__member__account=author).order_by("rating__cycle__year")
    assert [(form.rating.cycle.year, form.is_finished) for form in own] == [
        (2021, True),
        (2026, False),
    ]
    assert own[1].last_shortcomings == own[0].shortcomings
    assert SelfReview.objects.filter(finished_at__isnull=False).count() >= 8
    meetings = {m.cycle.year: m for m in ReviewMeeting.objects.all()}
    assert set(meetings) == {2021, 2026}
    assert draft_warning(meetings[2021]) == ""
    assert "chưa đủ 3 ngày làm việc" in draft_warning(meetings[2026])
    client.force_login(author)
    home = client.get("/")
    assert "Bản kiểm điểm của tôi" in home.text


def test_the_demo_evaluates_quarters_and_flags_two_failed_in_a_row(demo_output):
    from reviews.models import QuarterAssessment, Rating
    from reviews.selectors.quarters import personnel_flags

    cycle = ReviewCycle.objects.get(year=2026, organization__code="DBUB")
    assert cycle.quarter_bars_excellent
    assert QuarterAssessment.objects.filter(rating__cycle=cycle).exclude(manager_level="").exists()
    flags = personnel_flags(cycle, Rating.objects.filter(cycle=cycle))
    assert len(flags) == 1


def test_the_demo_holds_three_years_for_the_history_and_the_trends(demo_output):
    from organizations.models import Organization
    from reviews.selectors.history import level_trend

    years = set(ReviewCycle.objects.values_list("year", flat=True))
    assert years == {2021, 2025, 2026}
    assert set(ReviewCycle.objects.filter(year=2025).values_list("status", flat=True)) == {"closed"}
    trend = level_trend(Organization.objects.get(code="DBUB"))
    assert [year.year for year in trend] == [2021, 2025, 2026]
