"""The members "Hoàn thành xuất sắc nhiệm vụ" N years running, as an Excel table for the
commendation file (issue #15, point 4)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext as _

from organizations.models import Organization
from reports.letterhead import Letterhead, letterhead_for
from reports.sheet import Column, SheetWriter, new_workbook, save_workbook
from reviews.models import ReviewCycle
from reviews.selectors.history import excellent_streaks


@dataclass(frozen=True)
class _Heading:
    """What a sheet's letterhead reads (the part of `ReportData` it needs)."""

    cycle: ReviewCycle
    letterhead: Letterhead


@translation.override("vi")
def build_streaks_workbook(cycle: ReviewCycle, unit: Organization, *, years: int) -> bytes:
    workbook = new_workbook()
    heading = _Heading(cycle, letterhead_for(unit, bloc=cycle.organization))
    sheet = SheetWriter(
        workbook,
        heading,  # type: ignore[arg-type]
        name=_("Xuất sắc liên tục"),
        title=_("Danh sách đảng viên “Hoàn thành xuất sắc nhiệm vụ” %(n)s năm liên tục trở lên")
        % {"n": years},
        columns=[
            Column(_("TT"), 6, "center"),
            Column(_("Họ và tên"), 32),
            Column(_("Chi bộ"), 44),
            Column(_("Số năm liên tục"), 12, "center"),
            Column(_("Từ năm"), 10, "center"),
        ],
        landscape=False,
    )
    sheet.header()
    for number, streak in enumerate(excellent_streaks(cycle, unit, years=years), start=1):
        sheet.line(
            [number, streak.member.full_name, streak.unit.name, streak.years, streak.first_year]
        )
    sheet.footer()
    return save_workbook(workbook)
