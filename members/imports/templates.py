"""The Excel templates for organizations and members: headers in Vietnamese, lists to choose
from, example rows (skipped on import) and the instructions on a second sheet."""

from __future__ import annotations

import datetime
import functools

from django.utils.translation import gettext as _
from django.utils.translation import override
from openpyxl import Workbook

from members.imports.columns import MEMBER_COLUMNS, ORGANIZATION_COLUMNS
from members.imports.members import GENDERS, MANAGING_LEVELS
from members.imports.organizations import GRASSROOTS_TYPES, KINDS
from members.imports.reader import IMPORT_MAX_BYTES
from members.imports.sheets import (
    EXAMPLE_FONT,
    add_list_validation,
    workbook_bytes,
    write_header,
    write_instructions,
    write_list,
    write_row,
    write_title,
)
from organizations.models import MEMBER_HOLDING_KINDS, Organization, OrganizationKind

HEADER_ROW = 3
EXAMPLE = "Ví dụ"
YES_NO = ["Có", "Không"]


def in_vietnamese(build):
    """Files follow the official Vietnamese format whatever the interface language."""

    @functools.wraps(build)
    def wrapper(*args, **kwargs):
        with override("vi"):
            return build(*args, **kwargs)

    return wrapper


def common_notes(identity: str) -> list[str]:
    return [
        _(
            "Mỗi dòng một %(what)s, bắt đầu ngay dưới dòng tiêu đề. Giữ nguyên dòng tiêu đề; "
            "có thể đổi tên trang, thêm dòng trống hoặc gộp ô."
        )
        % {"what": identity},
        _("Các cột có dấu (*) là bắt buộc."),
        _("Dòng có chữ “Ví dụ” ở cột STT được bỏ qua khi nhập; có thể xóa hoặc giữ lại."),
        _(
            "Ngày ghi theo dạng ngày/tháng/năm (dd/mm/yyyy), ví dụ 25/11/2021, hoặc dùng "
            "định dạng ngày của Excel."
        ),
        _(
            "Trước khi ghi, hệ thống hiển thị bản xem trước: các dòng sẽ thêm, sẽ cập nhật "
            "(giá trị cũ → mới) và các dòng lỗi kèm vị trí ô. Chỉ tệp không còn lỗi mới được áp "
            "dụng, và áp dụng toàn bộ hoặc không gì cả. Nhập lại cùng một tệp không thay đổi gì."
        ),
        _("Tệp định dạng .xlsx, dung lượng tối đa %(mb)s MB.")
        % {"mb": IMPORT_MAX_BYTES // (1024 * 1024)},
    ]


def _lists_sheet(workbook: Workbook):
    ws = workbook.create_sheet(_("Danh mục"))
    return ws


@in_vietnamese
def organizations_template(scope: Organization | None) -> bytes:
    columns = ORGANIZATION_COLUMNS
    workbook = Workbook()
    ws = workbook.active
    ws.title = _("Tổ chức đảng")
    write_title(
        ws,
        _("DANH SÁCH TỔ CHỨC ĐẢNG"),
        _("Xem hướng dẫn ở trang “Hướng dẫn”. Các cột có dấu (*) là bắt buộc."),
        len(columns),
    )
    write_header(ws, HEADER_ROW, columns)
    parent = scope.code if scope else "DUK"
    examples = [
        [EXAMPLE, "VD-DBCS", "Đảng bộ Sở Ví dụ", KINDS.label(OrganizationKind.GRASSROOTS_COMMITTEE),
         parent, GRASSROOTS_TYPES.label("05"), datetime.date(2010, 2, 3), None,
         "Số 1 đường Ví dụ", "0251 3822000", "dangbo@vidu.gov.vn"],
        [EXAMPLE, "VD-DBCS-CB1", "Chi bộ Văn phòng", KINDS.label(OrganizationKind.CELL),
         "VD-DBCS", "", datetime.date(2010, 2, 3), None, "", "", ""],
    ]  # fmt: skip
    for offset, values in enumerate(examples, start=1):
        write_row(ws, HEADER_ROW + offset, values, columns, font=EXAMPLE_FONT)
    notes = [
        *common_notes(_("tổ chức đảng")),
        _(
            "Tổ chức đã có được nhận biết theo mã và được cập nhật; ô để trống giữ nguyên giá "
            "trị đang có. Đổi “Mã tổ chức cấp trên” là chuyển tổ chức sang trực thuộc nơi khác."
        ),
        _(
            "Đảng bộ Khối gồm đảng bộ cơ sở, chi bộ cơ sở; đảng bộ cơ sở gồm đảng bộ bộ phận, "
            "chi bộ trực thuộc; đảng bộ bộ phận gồm chi bộ trực thuộc."
        ),
    ]
    write_instructions(
        workbook.create_sheet(_("Hướng dẫn")), _("HƯỚNG DẪN NHẬP TỔ CHỨC ĐẢNG"), notes, columns
    )
    lists = _lists_sheet(workbook)
    first = HEADER_ROW + 1
    index = {column.key: i for i, column in enumerate(columns, start=1)}
    source = write_list(lists, 1, _("Danh sách loại tổ chức"), KINDS.labels)
    add_list_validation(ws, source, index["kind"], first)
    source = write_list(lists, 2, _("Danh sách loại hình cơ sở"), GRASSROOTS_TYPES.labels)
    add_list_validation(ws, source, index["grassroots_type"], first)
    nodes = Organization.objects.subtree_of(scope) if scope else Organization.objects.all()
    nodes = list(nodes.exclude(kind__in=MEMBER_HOLDING_KINDS))
    source = write_list(lists, 3, _("Danh sách mã tổ chức hiện có"), [n.code for n in nodes])
    write_list(lists, 4, _("Tên tổ chức tương ứng"), [n.name for n in nodes])
    add_list_validation(ws, source, index["parent"], first, strict=False)
    return workbook_bytes(workbook)


@in_vietnamese
def members_template(scope: Organization | None) -> bytes:
    columns = MEMBER_COLUMNS
    workbook = Workbook()
    ws = workbook.active
    ws.title = _("Đảng viên")
    write_title(
        ws,
        _("DANH SÁCH ĐẢNG VIÊN"),
        _("Xem hướng dẫn ở trang “Hướng dẫn”; mã chi bộ ở trang “Danh mục”."),
        len(columns),
    )
    write_header(ws, HEADER_ROW, columns)
    nodes = Organization.objects.subtree_of(scope) if scope else Organization.objects.all()
    cells = list(nodes.filter(kind__in=MEMBER_HOLDING_KINDS, dissolved_on__isnull=True))
    cell = cells[0].code if cells else "VD-CB1"
    examples = [
        [EXAMPLE, "Nguyễn Văn An", "Nam", datetime.date(1980, 5, 17), "01234567",
         datetime.date(2010, 3, 2), datetime.date(2011, 3, 2), cell, "Có", "Trưởng phòng",
         MANAGING_LEVELS.label("grassroots"), None, ""],
        [EXAMPLE, "Trần Thị Bình", "Nữ", datetime.date(1995, 10, 20), "",
         datetime.date(2021, 6, 15), None, cell, "Không", "", "", None, ""],
    ]  # fmt: skip
    for offset, values in enumerate(examples, start=1):
        write_row(ws, HEADER_ROW + offset, values, columns, font=EXAMPLE_FONT)
    notes = [
        *common_notes(_("đảng viên")),
        _(
            "Đảng viên đã có được nhận biết theo số thẻ đảng viên (chưa có thẻ: theo họ tên và "
            "ngày sinh) và được cập nhật; ô để trống giữ nguyên giá trị đang có. Đổi mã chi bộ "
            "là chuyển sinh hoạt nội bộ (ghi vào quá trình sinh hoạt đảng)."
        ),
        _("Chỉ nhập được đảng viên vào các chi bộ thuộc phạm vi của bạn (trang “Danh mục”)."),
    ]
    write_instructions(
        workbook.create_sheet(_("Hướng dẫn")), _("HƯỚNG DẪN NHẬP ĐẢNG VIÊN"), notes, columns
    )
    lists = _lists_sheet(workbook)
    first = HEADER_ROW + 1
    index = {column.key: i for i, column in enumerate(columns, start=1)}
    add_list_validation(
        ws, write_list(lists, 1, _("Danh sách giới tính"), GENDERS.labels), index["gender"], first
    )
    source = write_list(lists, 2, _("Danh sách Có/Không"), YES_NO)
    add_list_validation(ws, source, index["is_civil_servant"], first)
    source = write_list(lists, 3, _("Danh sách cấp quản lý"), MANAGING_LEVELS.labels)
    add_list_validation(ws, source, index["managing_level"], first)
    source = write_list(lists, 4, _("Danh sách mã chi bộ"), [c.code for c in cells])
    write_list(lists, 5, _("Tên chi bộ tương ứng"), [c.name for c in cells])
    add_list_validation(ws, source, index["cell"], first, strict=False)
    return workbook_bytes(workbook)
