"""The columns of the import files. Headers are the file format, written in Vietnamese whatever
the interface language, and recognized in any case, Unicode form or without diacritics."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from django.utils.translation import gettext_lazy as _

from members.imports.values import header_key

DATE_FORMAT = "DD/MM/YYYY"
TEXT_FORMAT = "@"


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    required: bool = False
    width: int = 16
    hint: str = ""
    aliases: tuple[str, ...] = ()
    number_format: str | None = None

    @cached_property
    def header_keys(self) -> frozenset[str]:
        return frozenset(header_key(text) for text in (self.label, *self.aliases))

    @property
    def title(self) -> str:
        """The header as written in the templates: required columns end with (*)."""
        return f"{self.label} (*)" if self.required else self.label


NUMBER = Column("number", "STT", width=6, hint=_("Số thứ tự (không bắt buộc)."), aliases=("TT",))

ORGANIZATION_COLUMNS = (
    NUMBER,
    Column(
        "code",
        "Mã tổ chức",
        required=True,
        width=14,
        hint=_("Mã ngắn, duy nhất (ví dụ: STC, STC-CB1). Dùng để nhận biết tổ chức khi nhập lại."),
        aliases=("Mã",),
        number_format=TEXT_FORMAT,
    ),
    Column("name", "Tên tổ chức", required=True, width=44, hint=_("Tên đầy đủ."), aliases=("Tên",)),
    Column(
        "kind",
        "Loại tổ chức",
        required=True,
        width=22,
        hint=_("Chọn trong danh sách."),
        aliases=("Loại",),
    ),
    Column(
        "parent",
        "Mã tổ chức cấp trên",
        width=16,
        hint=_(
            "Mã của tổ chức trực tiếp cấp trên (đã có trong hệ thống hoặc ở một dòng khác "
            "của tệp). Bỏ trống chỉ với Đảng bộ Khối."
        ),
        aliases=("Mã cấp trên", "Cấp trên", "Trực thuộc"),
        number_format=TEXT_FORMAT,
    ),
    Column(
        "grassroots_type",
        "Loại hình cơ sở",
        width=36,
        hint=_("Bắt buộc với đảng bộ cơ sở, chi bộ cơ sở (biểu 5-BTCTW); bỏ trống với cấp khác."),
        aliases=("Loại hình",),
    ),
    Column(
        "founded_on",
        "Ngày thành lập",
        width=14,
        hint=_("dd/mm/yyyy."),
        number_format=DATE_FORMAT,
    ),
    Column(
        "dissolved_on",
        "Ngày giải thể",
        width=14,
        hint=_("dd/mm/yyyy; chỉ điền khi tổ chức đã giải thể."),
        number_format=DATE_FORMAT,
    ),
    Column("address", "Địa chỉ", width=30),
    Column("phone", "Điện thoại", width=14, number_format=TEXT_FORMAT),
    Column("email", "Thư điện tử", width=24, aliases=("Email",)),
)

MEMBER_COLUMNS = (
    NUMBER,
    Column(
        "full_name",
        "Họ và tên",
        required=True,
        width=28,
        hint=_("Họ và tên đầy đủ như trong thẻ đảng viên."),
        aliases=("Họ tên",),
    ),
    Column("gender", "Giới tính", required=True, width=10, hint=_("Nam hoặc Nữ.")),
    Column(
        "date_of_birth",
        "Ngày sinh",
        required=True,
        width=13,
        hint=_("dd/mm/yyyy."),
        number_format=DATE_FORMAT,
    ),
    Column(
        "card_number",
        "Số thẻ đảng viên",
        width=16,
        hint=_(
            "Chỉ gồm chữ số, không trùng. Để trống nếu chưa có thẻ (đảng viên dự bị). "
            "Nên định dạng ô là văn bản để giữ các số 0 ở đầu."
        ),
        aliases=("Số thẻ", "Số thẻ Đảng"),
        number_format=TEXT_FORMAT,
    ),
    Column(
        "admitted_on",
        "Ngày vào Đảng",
        required=True,
        width=14,
        hint=_("dd/mm/yyyy."),
        aliases=("Ngày kết nạp",),
        number_format=DATE_FORMAT,
    ),
    Column(
        "official_on",
        "Ngày chính thức",
        width=14,
        hint=_("dd/mm/yyyy; để trống khi còn là đảng viên dự bị."),
        number_format=DATE_FORMAT,
    ),
    Column(
        "cell",
        "Mã chi bộ",
        required=True,
        width=14,
        hint=_(
            "Mã của chi bộ sinh hoạt (chi bộ trực thuộc hoặc chi bộ cơ sở), xem trang “Danh mục”. "
            "Có thể ghi tên chi bộ nếu tên không trùng."
        ),
        aliases=("Chi bộ", "Chi bộ sinh hoạt", "Mã chi bộ sinh hoạt"),
        number_format=TEXT_FORMAT,
    ),
    Column(
        "is_civil_servant",
        "Là cán bộ, công chức, viên chức",
        width=12,
        hint=_("Có hoặc Không."),
        aliases=("CBCCVC", "CCVC", "Là CBCCVC", "Là CCVC"),
    ),
    Column(
        "leadership_post",
        "Chức vụ lãnh đạo, quản lý",
        width=24,
        hint=_("Để trống nếu không giữ chức vụ lãnh đạo, quản lý."),
        aliases=("Chức vụ",),
    ),
    Column(
        "managing_level",
        "Cấp quản lý cán bộ",
        width=28,
        hint=_("Bắt buộc khi có chức vụ lãnh đạo, quản lý."),
        aliases=("Cấp quản lý",),
    ),
    Column(
        "transferred_in_on",
        "Ngày chuyển sinh hoạt đến",
        width=14,
        hint=_("Chỉ với đảng viên mới chuyển đến từ ngoài Đảng bộ; dd/mm/yyyy."),
        aliases=("Ngày chuyển đến",),
        number_format=DATE_FORMAT,
    ),
    Column(
        "transferred_from",
        "Chuyển đến từ",
        width=28,
        hint=_("Tổ chức đảng nơi đảng viên chuyển đi (ngoài Đảng bộ)."),
        aliases=("Nơi chuyển đến", "Chuyển từ"),
    ),
)
