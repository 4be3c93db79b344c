import datetime

import pytest

from reports.letterhead import committee_name, letterhead_for, vietnamese_date
from tests.factories import BlocFactory, GrassrootsCellFactory, GrassrootsCommitteeFactory

pytestmark = pytest.mark.django_db


def test_the_demo_blocs_names():
    bloc = BlocFactory(name="Đảng bộ Khối các cơ quan tỉnh Đồng Nai", code="DUK")
    head = letterhead_for(bloc, bloc=bloc)
    assert head.superior_body == "ĐẢNG BỘ TỈNH ĐỒNG NAI"
    assert head.issuing_body == "ĐẢNG ỦY KHỐI CÁC CƠ QUAN TỈNH"
    assert head.place == "Đồng Nai"
    assert head.document_number() == "Số     -BC/ĐUK"
    assert head.document_number("897") == "Số 897-BC/ĐUK"
    unit = GrassrootsCommitteeFactory(parent=bloc, name="Đảng bộ Sở Tài chính")
    head = letterhead_for(unit, bloc=bloc)
    assert head.superior_body == "ĐẢNG BỘ KHỐI CÁC CƠ QUAN TỈNH"
    assert head.issuing_body == "ĐẢNG ỦY SỞ TÀI CHÍNH"
    assert head.signing_for == "T/M ĐẢNG ỦY"
    assert head.recipients[-1] == "- Lưu VP."


def test_the_superior_body_comes_from_settings_first(settings):
    bloc = BlocFactory(name="Đảng bộ Khối Doanh nghiệp", code="DNK")
    settings.REPORTS_SUPERIOR_BODIES = {"DNK": "Đảng bộ tỉnh Bình Dương"}
    head = letterhead_for(bloc, bloc=bloc)
    assert head.superior_body == "ĐẢNG BỘ TỈNH BÌNH DƯƠNG"
    assert head.place == "Bình Dương"


def test_the_province_may_come_from_the_address():
    bloc = BlocFactory(name="Đảng bộ Khối", code="K", address="TP Biên Hòa, tỉnh Đồng Nai")
    assert letterhead_for(bloc, bloc=bloc).superior_body == "ĐẢNG BỘ TỈNH ĐỒNG NAI"


def test_committee_names():
    bloc = BlocFactory()
    cell_unit = GrassrootsCellFactory(parent=bloc, name="Bệnh viện Phổi")
    assert committee_name(cell_unit) == "CHI BỘ BỆNH VIỆN PHỔI"
    unit = GrassrootsCommitteeFactory(parent=bloc, name="Sở Y tế")
    assert committee_name(unit) == "ĐẢNG ỦY SỞ Y TẾ"
    head = letterhead_for(cell_unit, bloc=bloc)
    assert (head.signing_for, head.number_suffix) == ("T/M CHI BỘ", "BC/CB")


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (datetime.date(2021, 11, 25), "ngày 25 tháng 11 năm 2021"),
        (datetime.date(2021, 2, 5), "ngày 05 tháng 02 năm 2021"),
        (datetime.date(2021, 10, 1), "ngày 01 tháng 10 năm 2021"),
        (datetime.date(2021, 3, 9), "ngày 09 tháng 3 năm 2021"),
    ],
)
def test_dates_are_written_out(day, text):
    assert vietnamese_date(day) == text
