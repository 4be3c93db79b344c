"""The hierarchy from a workbook: kinds checked, parents found by code in the database or in the
file, moves and renames through the services, all or nothing, idempotent."""

import pytest

from members.imports import ImportContext, file_apply, file_preview
from organizations.models import Organization, OrganizationChange, OrganizationKind
from tests.members.imports.conftest import ORGANIZATION_HEADERS, organization_row, xlsx

pytestmark = pytest.mark.django_db

COMMITTEE = "Đảng bộ cơ sở"
CELL = "Chi bộ trực thuộc"
SUB = "Đảng bộ bộ phận"


def preview_of(rows, ctx):
    return file_preview(
        kind="organizations", data=xlsx(rows, headers=ORGANIZATION_HEADERS), ctx=ctx
    )


def codes(preview) -> dict[str, list[str]]:
    result: dict[str, list[str]] = {}
    for error in preview.errors:
        result.setdefault(error.code, []).append(error.ref)
    return result


def test_a_new_unit_with_its_cells_in_any_order(small_bloc, bloc_ctx):
    bloc = small_bloc["bloc"].code
    rows = [
        organization_row("SYT-CB1", "Chi bộ Văn phòng Sở", CELL, "SYT"),
        organization_row("SYT-BP", "Đảng bộ bộ phận Bệnh viện", SUB, "syt"),
        organization_row("SYT-BP-CB", "Chi bộ Khoa Nội", "chi bo truc thuoc", "SYT-BP"),
        organization_row(
            "SYT", "Đảng bộ Sở Y tế", COMMITTEE, bloc, grassroots_type="Cơ quan Nhà nước"
        ),
    ]
    data = xlsx(rows, headers=ORGANIZATION_HEADERS)
    preview, batch = file_apply(kind="organizations", data=data, ctx=bloc_ctx)
    assert batch is not None, preview.errors
    assert batch.counts == {"added": 4, "updated": 0, "unchanged": 0}
    unit = Organization.objects.get(code="SYT")
    assert unit.grassroots_type == "05"
    leaf = Organization.objects.get(code="SYT-BP-CB")
    assert leaf.path.startswith(Organization.objects.get(code="SYT-BP").path)
    assert leaf.path.startswith(unit.path)
    assert not any(Organization.objects.find_problems())
    assert OrganizationChange.objects.filter(kind="created", changed_by=bloc_ctx.user).count() == 4
    _preview, again = file_apply(kind="organizations", data=data, ctx=bloc_ctx)
    assert again.counts == {"added": 0, "updated": 0, "unchanged": 4}


def test_rows_refused_with_their_codes(small_bloc, bloc_ctx):
    bloc = small_bloc["bloc"].code
    unit = small_bloc["unit"]
    rows = [
        organization_row("X1", "Chi bộ dưới Khối", CELL, bloc),
        organization_row("X2", "Chi bộ mồ côi", CELL, "KHONG-CO"),
        organization_row("X3", "Trùng mã", CELL, unit.code),
        organization_row("x3", "Trùng mã chữ thường", CELL, unit.code),
        organization_row(small_bloc["cell"].code, "Đổi loại", SUB, unit.code),
        organization_row("X4", "Thiếu loại hình", COMMITTEE, bloc),
        organization_row("X5", "Loại hình thừa", CELL, unit.code, grassroots_type="Xã"),
        organization_row("X6", "Không có cấp trên", CELL),
        organization_row("X7", "Ngày sai", CELL, unit.code, founded_on="32/01/2020"),
        organization_row("X8", "Loại lạ", "Chi đoàn", unit.code),
        organization_row("X9", "Vòng A", SUB, "X10"),
        organization_row("X10", "Vòng B", SUB, "X9"),
        organization_row("X11", "Thư sai", CELL, unit.code, email="khong-phai-thu"),
    ]
    found = codes(preview_of(rows, bloc_ctx))
    assert found["kind_not_allowed"] == ["Sheet1!D2", "Sheet1!D12", "Sheet1!D13"]
    assert found["parent_not_found"] == ["Sheet1!E3"]
    assert found["duplicate_in_file"] == ["Sheet1!B5"]
    assert found["kind_change"] == ["Sheet1!D6"]
    assert found["grassroots_type_required"] == ["Sheet1!F7"]
    assert found["grassroots_type_forbidden"] == ["Sheet1!F8"]
    assert found["parent_required"] == ["Sheet1!E9"]
    assert found["invalid_date"] == ["Sheet1!G10"]
    assert found["invalid_choice"] == ["Sheet1!D11"]
    assert found["invalid"] == ["Sheet1!K14"]


def test_rows_placed_under_each_other_are_refused_by_their_kinds(small_bloc, bloc_ctx):
    """Kinds only ever hold lower kinds, so a cycle or a move into one's own subtree always
    breaks a kind rule first."""
    sub, sub_cell = small_bloc["sub"], small_bloc["sub_cell"]
    rows = [
        organization_row("BP-A", "Bộ phận A", SUB, "BP-B"),
        organization_row("BP-B", "Bộ phận B", SUB, "BP-A"),
        organization_row(sub.code, sub.name, SUB, sub_cell.code),
    ]
    assert codes(preview_of(rows, bloc_ctx)) == {
        "kind_not_allowed": ["Sheet1!D2", "Sheet1!D3", "Sheet1!D4"]
    }


def test_rename_and_move_go_through_the_services(small_bloc, bloc_ctx):
    cell, sub = small_bloc["cell"], small_bloc["sub"]
    unit = small_bloc["unit"]
    rows = [
        organization_row(cell.code, "Chi bộ Phòng Kế hoạch", CELL, sub.code, founded_on=None),
        organization_row(sub.code, sub.name, SUB, unit.code, founded_on=None),
    ]
    preview = preview_of(rows, bloc_ctx)
    assert preview.counts == {"added": 0, "updated": 1, "unchanged": 1, "errors": 0}
    [update] = preview.of("update")
    assert {c.field: c.new for c in update.changes} == {
        "name": "Chi bộ Phòng Kế hoạch",
        "parent": sub.code,
    }
    _preview, batch = file_apply(
        kind="organizations", data=xlsx(rows, headers=ORGANIZATION_HEADERS), ctx=bloc_ctx
    )
    assert batch is not None
    cell.refresh_from_db()
    assert cell.name == "Chi bộ Phòng Kế hoạch"
    assert Organization.objects.get_parent(cell) == sub
    assert set(cell.changes.values_list("kind", flat=True)) == {"renamed", "moved"}
    assert not any(Organization.objects.find_problems())


def test_clerk_works_below_his_unit_only(small_bloc, unit_ctx):
    unit, other = small_bloc["unit"], small_bloc["cell_unit"]
    rows = [
        organization_row("CB-MOI", "Chi bộ mới", CELL, unit.code),
        organization_row("CB-KHAC", "Chi bộ đơn vị khác", CELL, other.code),
        organization_row(other.code, "Đổi tên", "Chi bộ cơ sở", small_bloc["bloc"].code),
        organization_row(
            unit.code, "Đổi tên đơn vị mình", COMMITTEE, small_bloc["bloc"].code, founded_on=None
        ),
    ]
    preview = preview_of(rows, unit_ctx)
    assert [(e.ref, e.code) for e in preview.errors] == [
        ("Sheet1!E3", "out_of_scope"),
        ("Sheet1!B4", "out_of_scope"),
        ("Sheet1!B5", "out_of_scope"),
    ]
    assert [row.label for row in preview.of("add")] == ["CB-MOI — Chi bộ mới"]


def test_only_an_administrator_adds_a_bloc(small_bloc, bloc_ctx):
    rows = [organization_row("DUK2", "Đảng bộ Khối doanh nghiệp", "Đảng bộ Khối")]
    assert codes(preview_of(rows, bloc_ctx)) == {"out_of_scope": ["Sheet1!D2"]}
    admin = ImportContext(user=None, scope=None)
    _preview, batch = file_apply(
        kind="organizations", data=xlsx(rows, headers=ORGANIZATION_HEADERS), ctx=admin
    )
    assert batch is not None
    assert Organization.objects.get(code="DUK2").kind == OrganizationKind.BLOC
