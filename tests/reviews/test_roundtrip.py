"""The rating sheet's round trip: download, edit in Excel, upload, preview, apply."""

import io
import unicodedata

import pytest
from django.core import signing
from django.utils import timezone
from openpyxl import load_workbook

from members.imports import batch_store
from members.models import ImportBatch
from organizations.models import Role
from reviews.models import Level, Pool, PoolState, Rating, RatingChange, Submission
from reviews.permissions import Scope
from reviews.quota import pool_quota
from reviews.roundtrip import COLUMNS, SALT, rating_apply, rating_preview, rating_sheet
from reviews.services import ratings_record
from tests.factories import DisciplineRecordFactory, RoleAssignmentFactory, UserFactory

pytestmark = pytest.mark.django_db
COLUMN = {column.key: index for index, column in enumerate(COLUMNS, start=1)}


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def pool(open_cycle, small_bloc):
    return Rating.objects.get(member=small_bloc["members"][1], subject_kind="member").pool


def rating_of(member) -> Rating:
    return Rating.objects.get(member=member, subject_kind="member")


def download(pool, user) -> bytes:
    return rating_sheet(pool=pool, scope=Scope(user), user=user)


def edit(data: bytes, edits: dict[int, dict], *, setup=None) -> bytes:
    """Change cells of the rows whose hidden rating id is a key of `edits`."""
    workbook = load_workbook(io.BytesIO(data))
    ws = workbook.worksheets[0]
    for row in ws.iter_rows(min_row=4):
        rating_id = row[COLUMN["rating_id"] - 1].value
        for key, value in edits.get(rating_id, {}).items():
            row[COLUMN[key] - 1].value = value
    if setup:
        setup(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def preview_of(data, pool, user):
    return rating_preview(data=data, pool=pool, scope=Scope(user), user=user)


def codes(preview):
    return {error.code for error in preview.errors}


def apply(data, pool, user, name="xep-loai.xlsx"):
    batch = batch_store(kind="ratings", data=data, file_name=name, user=user, scope=pool.owner)
    return rating_apply(data=data, pool=pool, scope=Scope(user), user=user, batch=batch)


def test_sheet_lists_members_by_cell_with_hidden_ids_and_a_signed_metadata_sheet(
    pool, clerk, small_bloc
):
    decided = rating_of(small_bloc["members"][1])
    ratings_record(
        cycle=pool.cycle,
        changes={decided.pk: {"self_level": Level.GOOD, "decision_level": Level.GOOD}},
        acting_user=clerk,
    )
    workbook = load_workbook(io.BytesIO(download(pool, clerk)))
    ws, info = workbook.worksheets
    assert ws.cell(row=3, column=COLUMN["decision_level"]).value == "Cấp ủy quyết định"
    assert ws.column_dimensions["L"].hidden
    assert ws.column_dimensions["M"].hidden
    assert ws.protection.sheet
    assert ws.cell(row=4, column=COLUMN["self_level"]).protection.locked is False
    assert ws.cell(row=4, column=COLUMN["full_name"]).protection.locked is True
    ids = {ws.cell(row=r, column=COLUMN["rating_id"]).value for r in range(4, ws.max_row + 1)}
    assert ids == set(pool.ratings.values_list("pk", flat=True))
    assert any(
        "Hoàn thành xuất sắc nhiệm vụ" in str(v.formula1)
        for v in ws.data_validations.dataValidation
    )
    values = {
        info.cell(row=r, column=1).value: info.cell(row=r, column=2).value for r in range(1, 9)
    }
    by_id = {row[COLUMN["rating_id"] - 1].value: row for row in ws.iter_rows(min_row=4)}
    decided_row = by_id[decided.pk]
    assert decided_row[COLUMN["decision_level"] - 1].value == "Hoàn thành tốt nhiệm vụ"
    assert decided_row[COLUMN["version"] - 1].value == decided.version + 1
    assert values["Mã đơn vị"] == small_bloc["unit"].code
    assert values["Năm"] == 2021
    payload = signing.loads(values["Mã xác thực (không sửa)"], salt=SALT)
    assert payload["pool"] == pool.pk


def test_round_trip_changes_exactly_the_edited_cells(pool, clerk, small_bloc):
    first, second = rating_of(small_bloc["members"][1]), rating_of(small_bloc["members"][2])
    data = edit(
        download(pool, clerk),
        {
            first.pk: {"decision_level": "Hoàn thành tốt nhiệm vụ"},
            second.pk: {"self_level": "tốt"},
        },
    )
    preview = preview_of(data, pool, clerk)
    assert preview.ok, preview.errors
    assert preview.counts["updated"] == 2
    assert preview.counts["unchanged"] == pool.ratings.count() - 2
    changes = {(c.field, c.old, c.new) for row in preview.of("update") for c in row.changes}
    assert changes == {
        ("decision_level", "", "Hoàn thành tốt nhiệm vụ"),
        ("self_level", "", "Hoàn thành tốt nhiệm vụ"),
    }
    assert not RatingChange.objects.exists()  # the dry run was rolled back
    _preview, batch = apply(data, pool, clerk)
    assert batch is not None
    assert batch.counts == {"added": 0, "updated": 2, "unchanged": pool.ratings.count() - 2}
    written = set(RatingChange.objects.values_list("rating_id", "field", "new_value"))
    assert written == {
        (first.pk, "decision_level", Level.GOOD),
        (second.pk, "self_level", Level.GOOD),
    }
    assert set(RatingChange.objects.values_list("changed_by", "reason")) == {
        (clerk.pk, "Nhập từ tệp Excel xep-loai.xlsx")
    }
    # The same sheet again: its versions are now stale, but nothing it asks differs.
    again = preview_of(data, pool, clerk)
    assert again.ok
    assert again.counts["updated"] == 0


def test_levels_are_read_in_any_form(pool, clerk, small_bloc):
    members = small_bloc["members"]
    forms = {
        members[1]: unicodedata.normalize("NFD", "Hoàn thành tốt nhiệm vụ"),
        members[2]: "  HOÀN THÀNH NHIỆM VỤ ",
        members[3]: "httnv",
        members[4]: "Không hoàn thành",
    }
    data = edit(
        download(pool, clerk), {rating_of(m).pk: {"proposal_level": v} for m, v in forms.items()}
    )
    preview = preview_of(data, pool, clerk)
    assert preview.ok, preview.errors
    parsed = {
        row.payload.row.rating.member: row.payload.changes["proposal_level"]
        for row in preview.of("update")
    }
    assert parsed == {
        members[1]: Level.GOOD,
        members[2]: Level.COMPLETED,
        members[3]: Level.GOOD,
        members[4]: Level.NOT_COMPLETED,
    }


def test_unknown_level_and_bad_votes_are_row_errors(pool, clerk, small_bloc):
    rating = rating_of(small_bloc["members"][1])
    data = edit(
        download(pool, clerk),
        {rating.pk: {"proposal_level": "Khá", "votes_for": "mười", "votes_against": "2"}},
    )
    preview = preview_of(data, pool, clerk)
    assert {(e.code, e.ref.split("!")[1][0]) for e in preview.errors} == {
        ("invalid_choice", "H"),
        ("invalid_number", "I"),
    }


def test_votes_stored_as_text_are_read(pool, clerk, small_bloc):
    rating = rating_of(small_bloc["members"][1])
    data = edit(
        download(pool, clerk),
        {rating.pk: {"proposal_level": "Tốt", "votes_for": " 4 ", "votes_against": "1"}},
    )
    _preview, batch = apply(data, pool, clerk)
    assert batch is not None
    rating.refresh_from_db()
    assert (rating.votes_for, rating.votes_against) == (4, 1)


def test_decision_above_the_rules_cap_is_refused(pool, clerk, small_bloc):
    member = small_bloc["members"][1]
    DisciplineRecordFactory(member=member)
    data = edit(download(pool, clerk), {rating_of(member).pk: {"decision_level": "Tốt"}})
    preview = preview_of(data, pool, clerk)
    assert [(e.code, e.ref.split("!")[1][0]) for e in preview.errors] == [("rule_violation", "K")]
    assert preview.counts["updated"] == 0
    _preview, batch = apply(data, pool, clerk)
    assert batch is None
    assert not RatingChange.objects.exists()


def test_excellent_over_the_quota_is_taken_and_the_pool_shows_over(pool, clerk, small_bloc):
    """DOMAIN.md §3: entries are never refused for the quota alone; finalizing is."""
    data = edit(
        download(pool, clerk),
        {rating_of(small_bloc["members"][1]).pk: {"decision_level": "Xuất sắc"}},
    )
    _preview, batch = apply(data, pool, clerk)
    assert batch is not None
    status = pool_quota(pool)
    assert (status.excellent, status.allowed, status.over_by) == (1, 0, 1)


def test_stale_version_is_refused(pool, clerk, small_bloc):
    rating = rating_of(small_bloc["members"][1])
    data = edit(download(pool, clerk), {rating.pk: {"self_level": "Tốt"}})
    ratings_record(
        cycle=pool.cycle, changes={rating.pk: {"note": "Sửa trên màn hình"}}, acting_user=None
    )
    preview = preview_of(data, pool, clerk)
    assert [(e.code, e.ref.split("!")[1][0]) for e in preview.errors] == [("stale_rating", "M")]


def test_edits_after_the_unit_submitted_are_refused(pool, clerk, small_bloc):
    data = edit(
        download(pool, clerk), {rating_of(small_bloc["members"][1]).pk: {"self_level": "Tốt"}}
    )
    Submission.objects.filter(cycle=pool.cycle, organization=small_bloc["unit"]).update(
        state="submitted", submitted_at=timezone.now()
    )
    assert codes(preview_of(data, pool, clerk)) == {"submission_locked"}


def test_decisions_of_a_finalized_pool_are_refused(pool, clerk, small_bloc):
    data = edit(
        download(pool, clerk),
        {rating_of(small_bloc["members"][1]).pk: {"decision_level": "Tốt"}},
    )
    Pool.objects.filter(pk=pool.pk).update(state=PoolState.FINALIZED, finalized_at=timezone.now())
    assert codes(preview_of(data, pool, clerk)) == {"pool_finalized"}


def test_cell_secretary_may_not_enter_decisions(pool, small_bloc):
    secretary = UserFactory(username="bithu")
    RoleAssignmentFactory(user=secretary, organization=small_bloc["cell"], role=Role.CELL_SECRETARY)
    rating = rating_of(small_bloc["members"][1])
    data = edit(
        download(pool, secretary), {rating.pk: {"decision_level": "Tốt", "proposal_level": "Tốt"}}
    )
    assert [(e.code, e.ref.split("!")[1][0]) for e in preview_of(data, pool, secretary).errors] == [
        ("no_right", "K")
    ]


def test_row_of_another_unit_is_out_of_scope(pool, clerk, small_bloc):
    mine = rating_of(small_bloc["members"][1])
    other = rating_of(small_bloc["direct"][0])
    data = edit(download(pool, clerk), {mine.pk: {"rating_id": other.pk, "self_level": "Tốt"}})
    assert codes(preview_of(data, pool, clerk)) == {"out_of_scope"}


def test_sheet_of_another_unit_is_refused(pool, board, clerk, small_bloc):
    other_pool = rating_of(small_bloc["direct"][0]).pool
    data = download(other_pool, board)
    preview = preview_of(data, pool, clerk)
    assert preview.refused.code == "wrong_unit"


def test_sheet_of_another_cycle_is_refused(pool, clerk):
    def other_cycle(workbook):
        info = workbook.worksheets[1]
        payload = {"v": 1, "cycle": pool.cycle_id + 100, "year": 2020, "pool": pool.pk, "unit": "X"}
        info.cell(row=8, column=2).value = signing.dumps(payload, salt=SALT)

    data = edit(download(pool, clerk), {}, setup=other_cycle)
    assert preview_of(data, pool, clerk).refused.code == "wrong_cycle"


def test_edited_signature_and_missing_metadata_are_refused(pool, clerk):
    def tamper(workbook):
        cell = workbook.worksheets[1].cell(row=8, column=2)
        cell.value = cell.value.replace(cell.value[5], "A" if cell.value[5] != "A" else "B", 1)

    tampered = edit(download(pool, clerk), {}, setup=tamper)
    assert preview_of(tampered, pool, clerk).refused.code == "signature_invalid"
    removed = edit(download(pool, clerk), {}, setup=lambda wb: wb.remove(wb.worksheets[1]))
    assert preview_of(removed, pool, clerk).refused.code == "metadata_missing"


def test_apply_refuses_a_batch_applied_twice(pool, clerk, small_bloc):
    data = edit(
        download(pool, clerk), {rating_of(small_bloc["members"][1]).pk: {"self_level": "Tốt"}}
    )
    batch = batch_store(kind="ratings", data=data, file_name="a.xlsx", user=clerk, scope=pool.owner)
    _p, applied = rating_apply(data=data, pool=pool, scope=Scope(clerk), user=clerk, batch=batch)
    assert applied is not None
    preview, again = rating_apply(data=data, pool=pool, scope=Scope(clerk), user=clerk, batch=batch)
    assert again is None
    assert RatingChange.objects.count() == 1
    assert ImportBatch.objects.get().counts["updated"] == 1
    assert "already_applied" in codes(preview)


@pytest.fixture
def scored_pool(small_bloc):
    from reviews.services import cycle_change_status, cycle_create

    cycle = cycle_change_status(
        cycle=cycle_create(organization=small_bloc["bloc"], year=2026, title="Kỳ 2026"),
        status="open",
    )
    return Rating.objects.get(
        cycle=cycle, member=small_bloc["members"][1], subject_kind="member"
    ).pool


def scored_edit(data: bytes, rating_id: int, values: dict[str, object]) -> bytes:
    workbook = load_workbook(io.BytesIO(data))
    ws = workbook.worksheets[0]
    headers = {cell.value: cell.column for cell in ws[3]}
    for row in ws.iter_rows(min_row=4):
        if row[headers["Mã kết quả (*)"] - 1].value == rating_id:
            for label, value in values.items():
                row[headers[label] - 1].value = value
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_the_sheet_carries_each_criterions_scores_both_ways_qd366_dieu_10(
    scored_pool, clerk, small_bloc
):
    from decimal import Decimal

    rating = Rating.objects.get(cycle=scored_pool.cycle, member=small_bloc["members"][1])
    data = download(scored_pool, clerk)
    headers = [cell.value for cell in load_workbook(io.BytesIO(data)).worksheets[0][3]]
    assert "Tự chấm tiêu chí 1" in headers
    assert "Cấp ủy chấm tiêu chí 5" in headers
    assert "Tổng điểm cấp ủy" in headers
    points = {"1": 9, "2": "9,5", "3": 9, "4": 40, "5": 15}
    edits = {f"Cấp ủy chấm tiêu chí {n}": v for n, v in points.items()}
    edits.update({f"Tự chấm tiêu chí {n}": v for n, v in points.items()})
    preview, batch = apply(scored_edit(data, rating.pk, edits), scored_pool, clerk)
    assert batch is not None, [error.message for error in preview.errors]
    rating.refresh_from_db()
    assert rating.decided_score == Decimal("82.5")
    assert rating.self_score == Decimal("82.5")


def test_a_score_above_its_maximum_in_the_sheet_is_a_row_error(scored_pool, clerk, small_bloc):
    rating = Rating.objects.get(cycle=scored_pool.cycle, member=small_bloc["members"][1])
    data = scored_edit(download(scored_pool, clerk), rating.pk, {"Tự chấm tiêu chí 1": 12})
    preview = preview_of(data, scored_pool, clerk)
    assert "score_above_maximum" in codes(preview)
    assert not rating.scores.exists()
