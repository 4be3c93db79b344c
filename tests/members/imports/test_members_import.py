"""Members from a workbook: the preview's counts, each row error with its code and cell, an
all-or-nothing apply through the services, and a second apply that changes nothing."""

import datetime

import pytest

from members.imports import file_apply, file_preview
from members.models import ImportBatch, Member, MembershipEvent
from reviews.models import Rating
from tests.factories import MemberFactory
from tests.members.imports.conftest import member_row, xlsx

pytestmark = pytest.mark.django_db


def preview_of(rows, ctx):
    return file_preview(kind="members", data=xlsx(rows), ctx=ctx)


def errors_by_code(preview) -> dict[str, list[str]]:
    result: dict[str, list[str]] = {}
    for error in preview.errors:
        result.setdefault(error.code, []).append(error.ref)
    return result


def test_preview_counts_new_changed_and_unchanged_rows(small_bloc, unit_ctx):
    cell, sub_cell = small_bloc["cell"], small_bloc["sub_cell"]
    same, moved = small_bloc["members"][1], small_bloc["members"][2]
    rows = [
        member_row("Nguyễn Văn Mới", cell=cell.code, card="99000001"),
        member_row(
            same.full_name,
            cell=cell.code,
            card=same.card_number,
            gender="Nam",
            date_of_birth=same.date_of_birth,
            admitted_on=same.admitted_on,
            official_on=same.official_on,
            is_civil_servant="Không",
        ),
        member_row(
            moved.full_name,
            cell=sub_cell.code,
            card=moved.card_number,
            date_of_birth=moved.date_of_birth,
            admitted_on=moved.admitted_on,
            official_on=moved.official_on,
            leadership_post="Phó Trưởng phòng",
            managing_level="Cấp cơ sở quản lý",
        ),
    ]
    preview = preview_of(rows, unit_ctx)
    assert preview.ok, preview.errors
    assert preview.counts == {"added": 1, "updated": 1, "unchanged": 1, "errors": 0}
    [update] = preview.of("update")
    changes = {change.field: (change.old, change.new) for change in update.changes}
    assert changes["cell"] == (small_bloc["cell"].name, sub_cell.name)
    assert changes["leadership_post"] == ("", "Phó Trưởng phòng")
    assert changes["is_civil_servant"] == ("Không", "Có")


def test_each_refused_row_has_its_code_and_cell(small_bloc, unit_ctx):
    cell = small_bloc["cell"].code
    outsider = MemberFactory(organization=small_bloc["cell_unit"])
    rows = [
        member_row("", cell=cell, number=1),
        member_row("Ngày Sai", cell=cell, date_of_birth="31/02/1985"),
        member_row("Thẻ Sai", cell=cell, card="12AB"),
        member_row("Trùng Thẻ Một", cell=cell, card="77000001"),
        member_row("Trùng Thẻ Hai", cell=cell, card="77000001"),
        member_row("Thẻ Người Khác", cell=cell, card=outsider.card_number),
        member_row("Không Có Chi Bộ", cell="KHONG-CO"),
        member_row("Chi Bộ Đơn Vị Khác", cell=small_bloc["cell_unit"].code),
        member_row("Đảng Bộ Bộ Phận", cell=small_bloc["sub"].code),
        member_row("Vào Trước Sinh", cell=cell, admitted_on="01/01/1980"),
        member_row("Lãnh Đạo", cell=cell, leadership_post="Giám đốc"),
        member_row("Giới Tính Lạ", cell=cell, gender="Khác"),
    ]
    preview = preview_of(rows, unit_ctx)
    codes = errors_by_code(preview)
    assert codes["required"] == ["Sheet1!B2"]
    assert codes["invalid_date"] == ["Sheet1!D3"]
    assert codes["invalid_card_number"] == ["Sheet1!E4"]
    assert codes["duplicate_in_file"] == ["Sheet1!E6"]
    assert codes["card_number_taken"] == ["Sheet1!E7"]
    assert codes["cell_not_found"] == ["Sheet1!H8"]
    assert codes["out_of_scope"] == ["Sheet1!H9"]
    assert codes["member_needs_cell"] == ["Sheet1!H10"]
    assert codes["admitted_before_birth"] == ["Sheet1!F11"]
    assert codes["managing_level_required"] == ["Sheet1!K12"]
    assert codes["invalid_choice"] == ["Sheet1!C13"]
    assert not preview.ok
    assert outsider.full_name not in " ".join(e.message for e in preview.errors)


def test_duplicate_person_without_card_in_the_file(small_bloc, unit_ctx):
    cell = small_bloc["cell"].code
    rows = [member_row("Phạm Văn Đôi", cell=cell), member_row("PHẠM VĂN ĐÔI", cell=cell)]
    assert errors_by_code(preview_of(rows, unit_ctx)) == {"duplicate_in_file": ["Sheet1!B3"]}


def test_file_with_errors_cannot_be_applied_and_writes_nothing(small_bloc, unit_ctx):
    cell = small_bloc["cell"].code
    rows = [member_row("Đúng Một", cell=cell), member_row("Sai Ngày", cell=cell, admitted_on="x")]
    before = Member.objects.count()
    preview, batch = file_apply(kind="members", data=xlsx(rows), ctx=unit_ctx)
    assert batch is None
    assert "invalid_date" in preview.error_codes()
    assert Member.objects.count() == before
    assert not ImportBatch.objects.exists()


def test_one_bad_row_in_a_thousand_writes_nothing(small_bloc, bloc_ctx):
    cells = [small_bloc["cell"].code, small_bloc["sub_cell"].code, small_bloc["cell_unit"].code]
    rows = [
        member_row(
            f"Đảng Viên Số {n}",
            cell=cells[n % 3],
            card=f"{50_000_000 + n}",
            number=n,
            date_of_birth=datetime.date(1970 + n % 30, 1 + n % 12, 1 + n % 28),
        )
        for n in range(1000)
    ]
    rows[737][5] = "37/13/2015"
    before = (Member.objects.count(), MembershipEvent.objects.count())
    preview, batch = file_apply(kind="members", data=xlsx(rows), ctx=bloc_ctx)
    assert batch is None
    assert preview.counts["added"] == 999
    assert [(e.ref, e.code) for e in preview.errors] == [("Sheet1!F739", "invalid_date")]
    assert (Member.objects.count(), MembershipEvent.objects.count()) == before


def test_apply_writes_through_the_services_and_records_the_batch(small_bloc, unit_ctx):
    moved = small_bloc["members"][3]
    rows = [
        member_row("  Võ   Thị  Mới ", cell=small_bloc["cell"].code, card="88000001"),
        member_row(
            "Đặng Văn Chuyển Đến",
            cell=small_bloc["sub_cell"].code,
            transferred_in_on="01/06/2021",
            transferred_from="Đảng bộ Sở Y tế tỉnh Bình Dương",
        ),
        member_row(
            moved.full_name,
            cell=small_bloc["sub_cell"].code,
            card=moved.card_number,
            date_of_birth=moved.date_of_birth,
            admitted_on=moved.admitted_on,
        ),
    ]
    data = xlsx(rows)
    preview, batch = file_apply(kind="members", data=data, ctx=unit_ctx)
    assert batch is not None, preview.errors
    new = Member.objects.get(card_number="88000001")
    assert new.full_name == "Võ Thị Mới"
    assert new.events.get().kind == MembershipEvent.Kind.ADMITTED
    transferred = Member.objects.get(full_name="Đặng Văn Chuyển Đến")
    event = transferred.events.get()
    assert event.kind == MembershipEvent.Kind.TRANSFER_IN
    assert event.outside_party_body == "Đảng bộ Sở Y tế tỉnh Bình Dương"
    moved.refresh_from_db()
    assert moved.organization == small_bloc["sub_cell"]
    assert moved.events.filter(kind=MembershipEvent.Kind.TRANSFER_INTERNAL).count() == 1
    assert batch.kind == "members"
    assert batch.uploaded_by == unit_ctx.user
    assert batch.organization == small_bloc["unit"]
    assert batch.file_name == "danh-sach.xlsx"
    assert len(batch.sha256) == 64
    assert batch.applied_at is not None
    assert batch.counts == {"added": 2, "updated": 1, "unchanged": 0}


def test_applying_the_same_file_twice_changes_nothing_the_second_time(small_bloc, bloc_ctx):
    cell = small_bloc["cell"].code
    rows = [
        member_row("Lê Văn Một", cell=cell, card="66000001"),
        member_row("Lê Văn Hai", cell=cell),
        member_row("Lê Văn Ba", cell=small_bloc["cell_unit"].code, card="66000003"),
    ]
    data = xlsx(rows)
    _preview, first = file_apply(kind="members", data=data, ctx=bloc_ctx)
    assert first.counts == {"added": 3, "updated": 0, "unchanged": 0}
    snapshot = list(Member.objects.order_by("pk").values())
    events = MembershipEvent.objects.count()
    _preview, second = file_apply(kind="members", data=data, ctx=bloc_ctx)
    assert second.counts == {"added": 0, "updated": 0, "unchanged": 3}
    assert list(Member.objects.order_by("pk").values()) == snapshot
    assert MembershipEvent.objects.count() == events
    assert first.sha256 == second.sha256


def test_card_added_later_to_a_member_known_by_name_and_birth(small_bloc, unit_ctx):
    probationary = MemberFactory(
        organization=small_bloc["cell"],
        full_name="Hồ Thị Dự Bị",
        card_number="",
        official_on=None,
        date_of_birth=datetime.date(1998, 4, 4),
    )
    row = member_row(
        "Hồ Thị Dự Bị",
        cell=small_bloc["cell"].code,
        card="55000001",
        gender="Nam",
        date_of_birth="04/04/1998",
        admitted_on=probationary.admitted_on,
        official_on=None,
        is_civil_servant=None,
    )
    preview = preview_of([row], unit_ctx)
    [update] = preview.of("update")
    assert [(c.field, c.old, c.new) for c in update.changes] == [("card_number", "", "55000001")]


def test_members_imported_while_a_cycle_is_open_get_their_ratings(small_bloc, unit_ctx, open_cycle):
    """An open cycle follows its people, whichever door they come in by (issue "make run works
    again", point 4): the import registers and transfers through the same services."""
    moved = small_bloc["members"][3]
    rows = [
        member_row("Nguyễn Văn Nhập", cell=small_bloc["sub_cell"].code, card="99000009"),
        member_row(
            moved.full_name,
            cell=small_bloc["sub_cell"].code,
            card=moved.card_number,
            date_of_birth=moved.date_of_birth,
            admitted_on=moved.admitted_on,
            official_on=moved.official_on,
        ),
    ]
    _preview, batch = file_apply(kind="members", data=xlsx(rows), ctx=unit_ctx)
    assert batch is not None
    new = Member.objects.get(card_number="99000009")
    rating = Rating.objects.get(cycle=open_cycle, member=new, subject_kind="member")
    assert rating.pool.owner == small_bloc["unit"]
    moved_rating = Rating.objects.get(cycle=open_cycle, member=moved, subject_kind="member")
    assert moved_rating.transferred_from == small_bloc["cell"]
