"""Who issues a report and how its header and signature read (DOMAIN.md §9, HD 36-HD/VPTW).

A report is issued by the bloc committee (for the bloc) or by a grassroots unit's committee (for
a unit). The superior body above the bloc comes from `settings.REPORTS_SUPERIOR_BODIES`
(bloc code → name) when set, else from the province named in the bloc's name or address, else
`DEFAULT_SUPERIOR_BODY`.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from organizations.models import Organization, OrganizationKind

DEFAULT_SUPERIOR_BODY = "Đảng bộ tỉnh Đồng Nai"
_PROVINCE = re.compile(r"\btỉnh\s+([^,;()]+?)\s*$", re.IGNORECASE)


def upper(text: str) -> str:
    """Capitals the Vietnamese way ("Đảng ủy" → "ĐẢNG ỦY"), single spaces."""
    return " ".join(text.split()).upper()


def province_of(bloc: Organization) -> str:
    """The province a bloc belongs to ("Đồng Nai"), or '' when nothing names it."""
    configured = getattr(settings, "REPORTS_SUPERIOR_BODIES", {}).get(bloc.code, "")
    for text in (configured, bloc.name, bloc.address.rsplit(",", 1)[-1] if bloc.address else ""):
        match = _PROVINCE.search(text or "")
        if match:
            return " ".join(match.group(1).split())
    match = _PROVINCE.search(DEFAULT_SUPERIOR_BODY)
    return match.group(1) if match else ""


def superior_body_of_bloc(bloc: Organization) -> str:
    configured = getattr(settings, "REPORTS_SUPERIOR_BODIES", {}).get(bloc.code)
    if configured:
        return upper(configured)
    province = province_of(bloc)
    return upper(f"Đảng bộ tỉnh {province}") if province else upper(DEFAULT_SUPERIOR_BODY)


def _without_province(name: str, province: str) -> str:
    """ "… tỉnh Đồng Nai" → "… tỉnh" when the line above already names the province."""
    if province and name.lower().endswith(f"tỉnh {province}".lower()):
        return name[: -len(province)].rstrip()
    return name


def committee_name(node: Organization, *, province: str = "") -> str:
    """The body that issues the node's documents, in capitals: "ĐẢNG ỦY SỞ TÀI CHÍNH"."""
    name = " ".join(node.name.split())
    if node.kind == OrganizationKind.GRASSROOTS_CELL or node.kind == OrganizationKind.CELL:
        body = name if name.lower().startswith("chi bộ") else f"Chi bộ {name}"
    elif name.lower().startswith("đảng bộ"):
        body = "Đảng ủy" + name[len("đảng bộ") :]
    else:
        body = f"Đảng ủy {name}"
    return upper(_without_province(body, province))


def vietnamese_date(day: datetime.date) -> str:
    """ "ngày 05 tháng 02 năm 2021": a leading zero for days below 10 and for January and
    February (HD 36-HD/VPTW, as in Nghị định 30/2020)."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return _("ngày %(day)s tháng %(month)s năm %(year)s") % {
        "day": f"{day.day:02d}",
        "month": month,
        "year": day.year,
    }


@dataclass(frozen=True)
class Letterhead:
    """The fixed parts of a report issued for `node` (the bloc or a grassroots unit)."""

    superior_body: str
    issuing_body: str
    place: str
    number_suffix: str
    signing_for: str
    signer_position: str
    table_signer: str
    table_signer_position: str
    recipients: tuple[str, ...]
    #: "Ban Thường vụ Đảng ủy Khối các cơ quan tỉnh": the body above the units, in running text.
    standing_board: str = ""
    #: The body the issuer reports to, as the recipients name it ("Ban Thường vụ Tỉnh ủy").
    reports_to: str = ""

    def document_number(self, number: str = "") -> str:
        """ "Số 12-BC/ĐUK", or "Số    -BC/ĐUK" with the number left to be written by hand."""
        number = number.strip()
        return f"Số {number}-{self.number_suffix}" if number else f"Số     -{self.number_suffix}"

    def place_and_date(self, day: datetime.date | None) -> str:
        if day is None:
            return _("%(place)s, ngày ..... tháng ..... năm ........") % {"place": self.place}
        return f"{self.place}, {vietnamese_date(day)}"


def committee_text(node: Organization, *, province: str = "") -> str:
    """The node's committee in running text: "Đảng ủy Khối các cơ quan tỉnh"."""
    return _without_province(node.committee_name, province)


def bloc_suffix(bloc: Organization) -> str:
    """The issuing abbreviation of the party committee above the units: ĐUK for a bloc
    (Đảng ủy Khối), ĐU for the party committees of 2025 (HD 36-HD/VPTW)."""
    return "ĐUK" if " khối " in f" {bloc.name.lower()} " else "ĐU"


def letterhead_for(node: Organization, *, bloc: Organization) -> Letterhead:
    province = province_of(bloc)
    place = province or _("Đồng Nai")
    board = _("Ban Thường vụ %(committee)s") % {
        "committee": committee_text(bloc, province=province)
    }
    committee = committee_text(bloc, province=province)
    if node.pk == bloc.pk:
        reports_to = _("Ban Thường vụ Tỉnh ủy")
        return Letterhead(
            reports_to=reports_to,
            superior_body=superior_body_of_bloc(bloc),
            issuing_body=committee_name(bloc, province=province),
            place=place,
            number_suffix=f"BC/{bloc_suffix(bloc)}",
            standing_board=board,
            signing_for=_("T/M BAN THƯỜNG VỤ"),
            signer_position=_("BÍ THƯ"),
            table_signer=_("TRƯỞNG BAN"),
            table_signer_position="",
            recipients=(
                _("- %(board)s (b/c),") % {"board": reports_to},
                _("- Ban Tổ chức Tỉnh ủy (b/c),"),
                _("- Các đồng chí Ủy viên %(board)s,") % {"board": board},
                _("- Các tổ chức cơ sở đảng trực thuộc,"),
                _("- Lưu VP, BTC."),
            ),
        )
    is_cell = node.kind == OrganizationKind.GRASSROOTS_CELL
    signing_for = _("T/M CHI BỘ") if is_cell else _("T/M ĐẢNG ỦY")
    return Letterhead(
        superior_body=upper(_without_province(bloc.name, province)),
        issuing_body=committee_name(node),
        place=place,
        number_suffix="BC/CB" if is_cell else "BC/ĐU",
        signing_for=signing_for,
        signer_position=_("BÍ THƯ"),
        table_signer=signing_for,
        table_signer_position=_("BÍ THƯ"),
        standing_board=board,
        reports_to=board,
        recipients=(
            _("- %(board)s (b/c),") % {"board": board},
            _("- Ban Tổ chức %(committee)s,") % {"committee": committee},
            _("- Ủy ban Kiểm tra %(committee)s,") % {"committee": committee},
            _("- Lưu hồ sơ chi bộ.") if is_cell else _("- Lưu VP."),
        ),
    )
