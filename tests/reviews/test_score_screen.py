"""Scores on the pool screen of a QĐ 366 cycle: typed per criterion inline, totals computed,
the level they allow shown, queries constant (issue #13, points 2–3)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from reviews.models import Criterion, CriterionScore, Framework, Level, Pool, Rating, SubjectKind
from reviews.services import cycle_change_status, cycle_create, cycle_prepare, ratings_record
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle_2026(small_bloc):
    cycle = cycle_create(organization=small_bloc["bloc"], year=2026, title="Kỳ đánh giá 2026")
    return cycle_change_status(cycle=cycle, status="open")


@pytest.fixture
def rating(cycle_2026, small_bloc):
    return Rating.objects.get(
        cycle=cycle_2026, member=small_bloc["members"][2], subject_kind="member"
    )


def criteria(cycle):
    return list(Criterion.objects.filter(cycle=cycle, framework=Framework.MEMBER).order_by("order"))


def row_post(client, rating, **fields):
    data = {"version": rating.version, **fields}
    return client.post(reverse("reviews:rating-update", args=[rating.pk]), data)


def test_scores_typed_inline_give_the_totals_and_the_allowed_level(
    client, clerk, cycle_2026, rating
):
    client.force_login(clerk)
    fields = {}
    for criterion, points in zip(criteria(cycle_2026), ["9", "9,5", "9", "40", "15"], strict=True):
        fields[f"s{criterion.pk}"] = points
        fields[f"d{criterion.pk}"] = points
    response = row_post(
        client,
        rating,
        tasks_done_percent="100",
        tasks_beyond_percent="10",
        tasks_late_percent="0",
        shortcomings_fixed="fixed",
        **fields,
    )
    assert response.status_code == 200
    rating.refresh_from_db()
    assert (rating.self_score, rating.decided_score) == (Decimal("82.5"), Decimal("82.5"))
    assert "Tổng điểm 82,5/100: cao nhất “Hoàn thành tốt nhiệm vụ”" in response.text
    assert 'data-testid="score-totals"' in response.text


def test_a_score_above_its_maximum_is_shown_and_nothing_is_saved(client, clerk, cycle_2026, rating):
    client.force_login(clerk)
    first = criteria(cycle_2026)[0]
    response = row_post(client, rating, **{f"s{first.pk}": "10,5"})
    assert "vượt điểm tối đa 10" in response.text
    assert not CriterionScore.objects.filter(rating=rating).exists()


def test_taking_the_proposals_takes_the_self_scores_too(client, clerk, cycle_2026, rating):
    all_criteria = criteria(cycle_2026)
    points = dict(zip((c.pk for c in all_criteria), ["9", "9", "9", "45", "18"], strict=True))
    ratings_record(
        cycle=cycle_2026,
        changes={
            rating.pk: {
                "proposal_level": Level.EXCELLENT,
                "tasks_done_percent": Decimal(100),
                "tasks_beyond_percent": Decimal(30),
                "tasks_late_percent": Decimal(0),
                "shortcomings_fixed": "none",
            }
        },
        scores={rating.pk: {pk: {"self_points": value} for pk, value in points.items()}},
        acting_user=clerk,
    )
    client.force_login(clerk)
    client.post(reverse("reviews:pool-take-proposals", args=[rating.pool_id]))
    rating.refresh_from_db()
    assert (rating.decision_level, rating.decided_score) == (Level.EXCELLENT, Decimal(90))


def test_score_screen_queries_do_not_grow_with_members(
    client, clerk, small_bloc, cycle_2026, rating, django_assert_max_num_queries
):
    client.force_login(clerk)
    url = reverse("reviews:pool", args=[rating.pool_id])
    with django_assert_max_num_queries(45) as small:
        client.get(url)
    for _ in range(40):
        MemberFactory(organization=small_bloc["cell"])
    cycle_prepare(cycle=cycle_2026)
    assert Rating.objects.filter(pool=rating.pool_id).count() > 50
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url)


def test_the_board_grants_the_exception_on_a_units_pool_and_the_clerk_cannot(
    client, clerk, board, cycle_2026, rating
):
    url = reverse("reviews:pool-exception", args=[rating.pool_id])
    grant = {
        "thao_tac": "cho-phep",
        "rate_percent": "25",
        "reason": "Đơn vị tiêu biểu",
        "reference": "215-QĐ/ĐU",
    }
    client.force_login(clerk)
    assert client.post(url, grant).status_code == 403
    client.force_login(board)
    page = client.get(reverse("reviews:pool", args=[rating.pool_id]))
    assert "Cho phép vượt tỷ lệ" in page.text
    response = client.post(url, {**grant, "rate_percent": "30"}, follow=True)
    assert "không quá 25%" in response.text
    response = client.post(url, grant, follow=True)
    assert "215-QĐ/ĐU" in response.text
    assert "(25% ×" in response.text


def test_the_deciding_body_puts_a_member_in_a_new_peer_group(client, clerk, cycle_2026, rating):
    client.force_login(clerk)
    url = reverse("reviews:peer-groups", args=[rating.pool_id])
    client.post(url, {"thao_tac": "them-nhom", "name": "Đảng viên là lãnh đạo phòng"})
    page = client.get(url)
    assert "Đảng viên là lãnh đạo phòng" in page.text
    pools = page.context["pools"]
    new = next(p for p in pools if p.peer_group_name == "Đảng viên là lãnh đạo phòng")
    data = {f"r{r.pk}": str(r.pool_id) for r in page.context["ratings"]}
    data[f"r{rating.pk}"] = str(new.pk)
    response = client.post(url, data, follow=True)
    assert "1 đối tượng chuyển nhóm" in response.text
    rating.refresh_from_db()
    assert rating.pool == new
    del data[f"r{rating.pk}"]
    response = client.post(url, data, follow=True)
    assert "Chưa xếp vào nhóm nào" in response.text


def test_the_board_edits_a_criteria_tree_that_must_add_up_to_30_and_70(
    client, board, clerk, cycle_2026
):
    url = reverse("reviews:criteria", args=["pl4"])
    client.force_login(clerk)
    assert client.get(url).status_code == 200
    assert client.post(url, {}).status_code == 403
    client.force_login(board)
    page = client.get(url)
    assert "30/30" in page.text
    formset = page.context["formset"]
    data = {"form-TOTAL_FORMS": "7", "form-INITIAL_FORMS": "5"}
    for index, form in enumerate(formset.forms[:5]):
        for name in ("code", "part", "title", "max_points"):
            data[f"form-{index}-{name}"] = str(form.initial[name]).replace(".", ",")
    data["form-0-max_points"] = "12"  # general now 32: refused
    response = client.post(url, data)
    assert response.status_code == 400
    assert "phải bằng 30" in response.text
    data["form-1-max_points"] = "8"  # 12 + 8 + 10 = 30
    data["form-0-title"] = "Chính trị, tư tưởng (cụ thể hoá của Đảng ủy)"
    response = client.post(url, data, follow=True)
    assert "Đã lưu bộ tiêu chí." in response.text
    first = Criterion.objects.get(cycle=cycle_2026, framework=Framework.MEMBER, code="1")
    assert (first.max_points, first.title) == (12, "Chính trị, tư tưởng (cụ thể hoá của Đảng ủy)")


def test_a_refusal_names_its_rule_source_and_logs_its_limit_codes(
    client, clerk, cycle_2026, rating, caplog
):
    fields = {}
    for criterion, points in zip(criteria(cycle_2026), ["8", "8", "8", "35", "15"], strict=True):
        fields[f"d{criterion.pk}"] = points
    client.force_login(clerk)
    row_post(client, rating, **fields)
    rating.refresh_from_db()
    with caplog.at_level("WARNING", logger="kiemdiem.refused"):
        response = row_post(client, rating, decision_level=Level.EXCELLENT)
    assert "(QĐ 366-QĐ/TW, Điều 11)" in response.text
    record = next(r for r in caplog.records if r.name == "kiemdiem.refused")
    assert record.codes == ["rule_violation"]
    assert "score_band" in record.limits


@pytest.mark.parametrize("typed", ["NaN", "Infinity", "-inf", "sNaN"])
def test_points_that_are_no_number_are_refused(typed):
    from django.core.exceptions import ValidationError

    from reviews.services.scores import parse_points

    with pytest.raises(ValidationError) as refused:
        parse_points(typed)
    assert refused.value.code == "score_not_a_number"


def test_the_peer_groups_are_linked_only_for_those_who_may_open_them(
    client, clerk, board, cycle_2026, small_bloc
):
    """The walk-through found a unit's clerk offered the peer groups of a pool the level above
    decides, a link that answers 403: he reads the words, the Board follows the link."""
    above = Pool.objects.filter(
        cycle=cycle_2026, owner=small_bloc["bloc"], subject_kind=SubjectKind.LEADER
    ).first()
    assert above is not None
    page_url = reverse("reviews:pool", args=[above.pk])
    link = reverse("reviews:peer-groups", args=[above.pk])
    client.force_login(clerk)
    page = client.get(page_url)
    assert page.status_code == 200
    assert "Nhóm đối tượng tương đồng" in page.text
    assert link not in page.text
    assert client.get(link).status_code == 403
    client.force_login(board)
    assert link in client.get(page_url).text
    assert client.get(link).status_code == 200
