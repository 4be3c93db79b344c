"""factory_boy factories for every model; trees are built through treebeard's manager API."""

import datetime
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model

from members.models import (
    CollectiveKind,
    CollectiveMembership,
    DisciplineForm,
    DisciplineRecord,
    Gender,
    LeadershipCollective,
    ManagingLevel,
    Member,
    MembershipEvent,
    StatusPeriod,
)
from organizations.models import (
    GrassrootsType,
    Organization,
    OrganizationKind,
    Role,
    RoleAssignment,
)
from reviews.models import ReviewCycle, RuleSetCode


class OrganizationFactory(factory.django.DjangoModelFactory):
    """Pass `parent=` to place the node; without it a root (bloc) is made."""

    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Tổ chức {n}")
    code = factory.Sequence(lambda n: f"ORG{n:05d}")
    kind = OrganizationKind.BLOC
    grassroots_type = ""
    founded_on = datetime.date(2000, 1, 1)

    @classmethod
    def _create(cls, model_class, *args, parent=None, **kwargs):
        instance = model_class(**kwargs)
        if parent is None:
            return Organization.objects.add_root(instance=instance)
        return Organization.objects.add_child(parent, instance=instance)


class BlocFactory(OrganizationFactory):
    name = "Đảng bộ Khối các cơ quan tỉnh"
    code = factory.Sequence(lambda n: f"DUK{n}")


class GrassrootsCommitteeFactory(OrganizationFactory):
    kind = OrganizationKind.GRASSROOTS_COMMITTEE
    grassroots_type = GrassrootsType.STATE_AGENCY
    name = factory.Sequence(lambda n: f"Đảng bộ cơ sở {n}")


class GrassrootsCellFactory(OrganizationFactory):
    kind = OrganizationKind.GRASSROOTS_CELL
    grassroots_type = GrassrootsType.PUBLIC_SERVICE_PUBLIC
    name = factory.Sequence(lambda n: f"Chi bộ cơ sở {n}")


class SubCommitteeFactory(OrganizationFactory):
    kind = OrganizationKind.SUB_COMMITTEE
    name = factory.Sequence(lambda n: f"Đảng bộ bộ phận {n}")


class CellFactory(OrganizationFactory):
    kind = OrganizationKind.CELL
    name = factory.Sequence(lambda n: f"Chi bộ {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Người dùng"
    password = factory.django.Password("mat-khau-thu-nghiem")


class RoleAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleAssignment

    user = factory.SubFactory(UserFactory)
    role = Role.VIEWER


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    full_name = factory.Sequence(lambda n: f"Nguyễn Văn Thử {n}")
    gender = Gender.MALE
    date_of_birth = datetime.date(1980, 5, 17)
    card_number = factory.Sequence(lambda n: f"{n:08d}")
    admitted_on = datetime.date(2010, 3, 2)
    official_on = datetime.date(2011, 3, 2)


class StatusPeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StatusPeriod

    kind = StatusPeriod.Kind.SICK_LEAVE
    starts_on = datetime.date(2021, 2, 1)


class MembershipEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MembershipEvent

    kind = MembershipEvent.Kind.ADMITTED
    occurred_on = datetime.date(2010, 3, 2)


class DisciplineRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DisciplineRecord

    form = DisciplineForm.REPRIMAND
    decision_number = factory.Sequence(lambda n: f"{n}-QĐ/ĐU")
    decided_on = datetime.date(2021, 6, 1)
    violation = "Vi phạm quy định về những điều đảng viên không được làm."


class LeadershipCollectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LeadershipCollective

    name = factory.Sequence(lambda n: f"Ban Chấp hành Đảng bộ {n}")
    kind = CollectiveKind.PARTY_COMMITTEE
    managing_level = ManagingLevel.DISTRICT
    formed_on = datetime.date(2020, 7, 1)


class CollectiveMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CollectiveMembership

    position = "Ủy viên"
    starts_on = datetime.date(2020, 7, 1)


class ReviewCycleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReviewCycle

    year = 2021
    title = "Kỳ kiểm điểm, đánh giá, xếp loại chất lượng năm 2021"
    rule_set = RuleSetCode.HD21_2019
    deadline = datetime.date(2021, 11, 25)
    reference_date = datetime.date(2021, 11, 15)
    quota_rate = Decimal("0.200")
