import datetime

import pytest

from members.models import ManagingLevel
from reviews.services import cycle_change_status
from tests.factories import (
    BlocFactory,
    CellFactory,
    GrassrootsCellFactory,
    GrassrootsCommitteeFactory,
    LeadershipCollectiveFactory,
    MemberFactory,
    ReviewCycleFactory,
    SubCommitteeFactory,
)


@pytest.fixture(autouse=True)
def _fast_and_local(settings):
    """Tests hash passwords fast, keep mail in memory and use plain static storage."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def bloc(db):
    from tests.factories import BlocFactory

    return BlocFactory()


@pytest.fixture
def small_bloc(db):
    """A bloc with one đảng bộ cơ sở (a cell, a sub-committee with a cell) and a chi bộ cơ sở."""
    bloc = BlocFactory()
    unit = GrassrootsCommitteeFactory(parent=bloc)
    cell = CellFactory(parent=unit)
    sub = SubCommitteeFactory(parent=unit)
    sub_cell = CellFactory(parent=sub)
    cell_unit = GrassrootsCellFactory(parent=bloc)
    members = [MemberFactory(organization=cell) for _ in range(6)]
    members += [MemberFactory(organization=sub_cell) for _ in range(6)]
    direct = [MemberFactory(organization=cell_unit) for _ in range(3)]
    leader = members[0]
    leader.leadership_post = "Giám đốc Sở"
    leader.managing_level = ManagingLevel.PROVINCE
    leader.save()
    collective = LeadershipCollectiveFactory(organization=unit)
    return {
        "bloc": bloc,
        "unit": unit,
        "cell": cell,
        "sub": sub,
        "sub_cell": sub_cell,
        "cell_unit": cell_unit,
        "members": members,
        "direct": direct,
        "leader": leader,
        "collective": collective,
    }


@pytest.fixture
def open_cycle(small_bloc):
    cycle = ReviewCycleFactory(
        organization=small_bloc["bloc"], reference_date=datetime.date(2021, 11, 15)
    )
    return cycle_change_status(cycle=cycle, status="open")
