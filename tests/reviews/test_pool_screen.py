import datetime

import pytest
from django.urls import reverse

from organizations.models import Role
from reviews.models import Level, Rating, RatingChange
from reviews.services import ratings_record
from tests.factories import MemberFactory, RoleAssignmentFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def member_pool(open_cycle, small_bloc):
    return Rating.objects.get(member=small_bloc["members"][1], subject_kind="member").pool


def row_post(client, rating, **fields):
    data = {"version": rating.version, **fields}
    return client.post(reverse("reviews:rating-update", args=[rating.pk]), data)


def test_clerk_sees_his_pools_and_the_quota_panel(client, clerk, member_pool):
    client.force_login(clerk)
    listing = client.get(reverse("reviews:pool-list"))
    assert listing.status_code == 200
    assert member_pool.owner.name in listing.text
    page = client.get(reverse("reviews:pool", args=[member_pool.pk]))
    assert page.status_code == 200
    assert "0 / tối đa 0" in page.text


def test_inline_decision_is_saved_and_the_panel_comes_back(client, clerk, member_pool):
    client.force_login(clerk)
    rating = member_pool.ratings.order_by("pk").first()
    response = row_post(client, rating, decision_level=Level.GOOD, self_level=Level.GOOD)
    assert response.status_code == 200
    assert 'id="quota-panel"' in response.text
    # the row comes back editable, with every level to choose from
    assert response.text.count('value="HTXSNV"') >= 3
    # the cell's counts in its header row follow too
    counts = response.text.split(f'id="group-counts-{rating.member.organization_id}"')[1]
    assert "Tốt 1" in " ".join(counts.split()[:20])
    rating.refresh_from_db()
    assert rating.decision_level == Level.GOOD
    assert RatingChange.objects.filter(rating=rating, changed_by=clerk).count() == 2


def test_inline_excellent_over_quota_is_saved_and_says_how_many_to_cut(client, clerk, member_pool):
    client.force_login(clerk)
    rating = member_pool.ratings.order_by("pk").first()
    response = row_post(client, rating, decision_level=Level.EXCELLENT)
    assert 'data-testid="quota-over"' in response.text
    assert "Cần giảm 1" in response.text
    rating.refresh_from_db()
    assert rating.decision_level == Level.EXCELLENT


def test_other_units_rows_answer_404(client, small_bloc, open_cycle):
    other = UserFactory(username="canbo.khac")
    RoleAssignmentFactory(user=other, organization=small_bloc["cell_unit"], role=Role.CLERK)
    client.force_login(other)
    rating = Rating.objects.get(member=small_bloc["members"][1], subject_kind="member")
    assert client.get(reverse("reviews:pool", args=[rating.pool_id])).status_code == 404
    assert row_post(client, rating, decision_level=Level.GOOD).status_code == 404
    rating.refresh_from_db()
    assert rating.decision_level == ""


def test_cell_secretary_records_only_proposals_of_his_cell(client, small_bloc, member_pool):
    secretary = UserFactory(username="bithu")
    RoleAssignmentFactory(user=secretary, organization=small_bloc["cell"], role=Role.CELL_SECRETARY)
    client.force_login(secretary)
    rating = Rating.objects.get(member=small_bloc["members"][1], subject_kind="member")
    row_post(
        client,
        rating,
        proposal_level=Level.GOOD,
        votes_for=4,
        votes_against=1,
        decision_level=Level.GOOD,
    )
    rating.refresh_from_db()
    assert (rating.proposal_level, rating.votes_for, rating.decision_level) == (Level.GOOD, 4, "")
    outside = Rating.objects.get(member=small_bloc["members"][8], subject_kind="member")
    assert row_post(client, outside, proposal_level=Level.GOOD).status_code == 404


def test_finalize_refused_then_accepted(client, clerk, member_pool, open_cycle):
    client.force_login(clerk)
    url = reverse("reviews:pool-finalize", args=[member_pool.pk])
    response = client.post(url, follow=True)
    assert "chưa có quyết định" in response.text
    member_pool.refresh_from_db()
    assert not member_pool.is_finalized
    ratings_record(
        cycle=open_cycle,
        changes={r.pk: {"decision_level": Level.GOOD} for r in member_pool.ratings.all()},
        acting_user=clerk,
    )
    client.post(url)
    member_pool.refresh_from_db()
    assert member_pool.is_finalized
    rating = member_pool.ratings.first()
    response = row_post(client, rating, decision_level=Level.COMPLETED)
    rating.refresh_from_db()
    assert rating.decision_level == Level.GOOD


def test_pool_screen_queries_do_not_grow_with_members(
    client, clerk, small_bloc, open_cycle, member_pool, django_assert_max_num_queries
):
    from reviews.services import cycle_prepare

    client.force_login(clerk)
    url = reverse("reviews:pool", args=[member_pool.pk])
    with django_assert_max_num_queries(40) as small:
        client.get(url)
    for _ in range(90):
        MemberFactory(organization=small_bloc["cell"])
    cycle_prepare(cycle=open_cycle)
    assert member_pool.ratings.count() > 100
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url)


def test_clerk_does_not_see_counts_of_pools_decided_above_him(
    client, clerk, small_bloc, open_cycle
):
    client.force_login(clerk)
    listing = client.get(reverse("reviews:pool-list"))
    by_owner = {pool.owner: quota for pool, quota in listing.context["pools"]}
    assert by_owner[small_bloc["unit"]] is not None
    assert by_owner[small_bloc["bloc"]] is None
    bloc_pool = Rating.objects.get(organization=small_bloc["unit"]).pool
    page = client.get(reverse("reviews:pool", args=[bloc_pool.pk]))
    assert page.status_code == 200
    assert page.context["quota"] is None
    assert [row.rating.organization for group, rows in page.context["shown"] for row in rows] == [
        small_bloc["unit"]
    ]


def test_two_clerks_saving_the_same_row_one_wins_the_other_is_told(
    client, clerk, member_pool, small_bloc
):
    from django.test import Client

    other = UserFactory(username="canbo.hai")
    RoleAssignmentFactory(user=other, organization=small_bloc["unit"], role=Role.CLERK)
    second = Client()
    second.force_login(other)
    client.force_login(clerk)
    rating = member_pool.ratings.order_by("pk").first()
    version = rating.version  # both opened the page at this version
    first = client.post(
        reverse("reviews:rating-update", args=[rating.pk]),
        {"version": version, "decision_level": Level.GOOD},
    )
    late = second.post(
        reverse("reviews:rating-update", args=[rating.pk]),
        {"version": version, "decision_level": Level.COMPLETED},
    )
    assert "Đã lưu" in first.text
    assert "vừa được người khác thay đổi" in late.text
    rating.refresh_from_db()
    assert rating.decision_level == Level.GOOD


def test_the_history_names_levels_not_codes(client, clerk, member_pool, open_cycle):
    rating = member_pool.ratings.filter(not_rated_reason="").order_by("pk").first()
    ratings_record(
        cycle=open_cycle,
        changes={rating.pk: {"decision_level": Level.GOOD}},
        acting_user=clerk,
    )
    client.force_login(clerk)
    page = client.get(reverse("reviews:rating-history", args=[rating.pk]))
    assert "Hoàn thành tốt nhiệm vụ" in page.text
    assert ">HTTNV<" not in page.text


def test_a_unit_with_many_cells_gets_a_searchable_cell_filter(client, clerk, small_bloc):
    from members.services import member_create
    from reviews.services import cycle_change_status
    from tests.factories import CellFactory, ReviewCycleFactory

    for number in range(21):
        cell = CellFactory(parent=small_bloc["unit"], name=f"Chi bộ Phòng số {number:02d}")
        member_create(
            organization=cell,
            full_name=f"Lê Văn Số {number}",
            gender="M",
            date_of_birth=datetime.date(1980, 1, 1),
            admitted_on=datetime.date(2010, 1, 1),
        )
    cycle = cycle_change_status(
        cycle=ReviewCycleFactory(organization=small_bloc["bloc"]), status="open"
    )
    pool = Rating.objects.get(
        cycle=cycle, member=small_bloc["members"][1], subject_kind="member"
    ).pool
    client.force_login(clerk)
    page = client.get(reverse("reviews:pool", args=[pool.pk]))
    picker = reverse("reviews:pool-groups", args=[pool.pk])
    assert f'hx-get="{picker}"' in page.text
    options = client.get(picker, {"q": "số 07"}).text
    assert "Chi bộ Phòng số 07" in options
    assert "Chi bộ Phòng số 08" not in options


@pytest.fixture
def large_pool(small_bloc, open_cycle, member_pool):
    """The clerk's member pool grown past two pages (the cell takes 100 more members)."""
    from reviews.services import cycle_prepare

    for number in range(100):
        MemberFactory(organization=small_bloc["cell"], full_name=f"Nguyễn Văn Thứ {number:03d}")
    cycle_prepare(cycle=open_cycle)
    return member_pool


def test_the_rating_screen_is_paged_and_numbers_rows_across_pages(client, clerk, large_pool):
    from reviews.selectors.pools import PAGE_SIZE

    client.force_login(clerk)
    url = reverse("reviews:pool", args=[large_pool.pk])
    first = client.get(url)
    paginator = first.context["page_obj"].paginator
    assert paginator.count == large_pool.ratings.count() > 2 * PAGE_SIZE
    numbers: dict[int, list[int]] = {}
    seen = []
    for page in range(1, paginator.num_pages + 1):
        response = client.get(url, {"page": page})
        rows = [(group, row) for group, run in response.context["shown"] for row in run]
        assert len(rows) == (
            PAGE_SIZE if page < paginator.num_pages else paginator.count % PAGE_SIZE or PAGE_SIZE
        )
        group, run = response.context["shown"][0]
        assert ('data-testid="group-continued"' in response.text) == (run[0].number > 1)
        for group, row in rows:
            numbers.setdefault(group.organization.pk, []).append(row.number)
            seen.append(row.rating.pk)
    # Every row once, each cell counted 1, 2, … across the pages, as many as the cell's count.
    assert sorted(seen) == sorted(large_pool.ratings.values_list("pk", flat=True))
    groups = first.context["groups"]
    for group in groups:
        assert numbers[group.organization.pk] == list(range(1, group.size + 1))
    assert any(group.size > PAGE_SIZE for group in groups)


def test_the_rating_screen_finds_a_member_by_name(client, clerk, large_pool):
    client.force_login(clerk)
    response = client.get(reverse("reviews:pool", args=[large_pool.pk]), {"q": "thứ 042"})
    names = [str(row.rating.subject) for _group, rows in response.context["shown"] for row in rows]
    assert names == ["Nguyễn Văn Thứ 042"]


def test_next_undecided_jumps_to_the_page_that_holds_it(client, clerk, large_pool, open_cycle):
    from reviews.permissions import Scope
    from reviews.selectors import pool_ratings
    from reviews.selectors.pools import PAGE_SIZE

    ordered = list(pool_ratings(large_pool, Scope(clerk, open_cycle)).filter(not_rated_reason=""))
    # Everyone decided but one row on the second page.
    target = ordered[PAGE_SIZE + 3]
    ratings_record(
        cycle=open_cycle,
        changes={r.pk: {"decision_level": Level.GOOD} for r in ordered if r.pk != target.pk},
        acting_user=None,
    )
    client.force_login(clerk)
    url = reverse("reviews:pool", args=[large_pool.pk])
    response = client.get(url, {"tiep": "chua-quyet-dinh", "page": 1})
    assert response.status_code == 302
    assert response.url.endswith(f"page=2#rating-{target.pk}")
    # From the last page it wraps to the top and finds the same row.
    response = client.get(url, {"tiep": "chua-quyet-dinh", "page": 2})
    assert response.url.endswith(f"page=2#rating-{target.pk}")
    ratings_record(
        cycle=open_cycle, changes={target.pk: {"decision_level": Level.GOOD}}, acting_user=None
    )
    response = client.get(url, {"tiep": "chua-quyet-dinh", "page": 1}, follow=True)
    assert "Không còn dòng nào chưa quyết định." in response.text


def test_the_first_screen_is_the_same_size_for_a_small_and_a_large_pool(
    client, clerk, small_bloc, open_cycle, member_pool
):
    from reviews.services import cycle_prepare

    client.force_login(clerk)
    url = reverse("reviews:pool", args=[member_pool.pk])
    for _ in range(60):
        MemberFactory(organization=small_bloc["cell"])
    cycle_prepare(cycle=open_cycle)
    client.get(url)
    small = client.get(url)
    for _ in range(200):
        MemberFactory(organization=small_bloc["cell"])
    cycle_prepare(cycle=open_cycle)
    large = client.get(url)
    assert len(large.content) < len(small.content) * 1.05
    assert len(large.content) > len(small.content) * 0.95


def test_taking_a_cells_proposals_comes_back_on_the_page_where_the_cell_starts(
    client, clerk, large_pool, open_cycle
):
    from reviews.permissions import Scope
    from reviews.selectors import pool_groups
    from reviews.selectors.pools import PAGE_SIZE

    groups = list(pool_groups(large_pool, Scope(clerk, open_cycle)).values())
    last = groups[-1]
    before = sum(group.size for group in groups[:-1])
    rating = large_pool.ratings.filter(unit=last.organization, not_rated_reason="").first()
    ratings_record(
        cycle=open_cycle, changes={rating.pk: {"proposal_level": Level.GOOD}}, acting_user=None
    )
    client.force_login(clerk)
    response = client.post(
        reverse("reviews:pool-take-proposals", args=[large_pool.pk]),
        {"chi_bo": last.organization.pk},
    )
    assert response.url.endswith(f"?page={before // PAGE_SIZE + 1}#chi-bo-{last.organization.pk}")
