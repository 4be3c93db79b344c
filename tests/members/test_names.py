import unicodedata

import pytest

from members.models import Member
from members.names import normalize_name, vietnamese_sort_key
from tests.factories import BlocFactory, CellFactory, GrassrootsCommitteeFactory, MemberFactory

# Expected Vietnamese order: by given name (A Ă Â B C D Đ E Ê …, tones only break ties), then
# by full name.
EXPECTED_ORDER = [
    "Trần Thị An",
    "Lê Thị Ánh",
    "Phạm Anh",
    "Nguyễn Thị Ă",
    "Nguyễn Văn Ân",
    "Đỗ Thị Bình",
    "Vũ Văn Dũng",
    "Hoàng Văn Đức",
    "Lê Văn Em",
    "Lê Thị Ê",
    "Ngô Thị Hà",
    "Ngô Thị Hả",
    "Ngô Thị Há",
    "Ngô Thị Hạ",
    "Trần Văn Ốc",
    "Trần Văn Ông",
    "Trần Văn Ơn",
    "Lê Văn Uy",
    "Lê Văn Ưng",
    "Bùi Thị Yến",
]


def test_sort_key_orders_the_vietnamese_alphabet_by_given_name():
    shuffled = list(reversed(EXPECTED_ORDER))
    assert sorted(shuffled, key=vietnamese_sort_key) == EXPECTED_ORDER


def test_sort_key_is_the_same_for_both_unicode_normalization_forms():
    for name in EXPECTED_ORDER:
        decomposed = unicodedata.normalize("NFD", name)
        assert decomposed != name or name.isascii()
        assert vietnamese_sort_key(decomposed) == vietnamese_sort_key(name)


def test_sort_key_holds_only_digits_so_every_collation_agrees():
    assert vietnamese_sort_key("Nguyễn Văn Đức").isdigit()


def test_normalize_name_folds_spaces_and_composes():
    assert normalize_name("  Nguye\u0302\u0303n   Văn  An ") == "Nguyễn Văn An"


@pytest.mark.django_db
def test_database_orders_members_the_vietnamese_way():
    cell = CellFactory(parent=GrassrootsCommitteeFactory(parent=BlocFactory()))
    for name in reversed(EXPECTED_ORDER):
        MemberFactory(organization=cell, full_name=unicodedata.normalize("NFD", name))
    names = list(Member.objects.vietnamese_order().values_list("full_name", flat=True))
    assert names == EXPECTED_ORDER
