"""A bloc with every case the reports count: not-rated reasons, leaders, collectives, a newly
formed unit, suggestions in every state, overrides, hostile text, and a dossier."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from members.models import ManagingLevel, StatusPeriod
from organizations.models import GrassrootsType, Role
from reviews.models import (
    IssueState,
    Level,
    Rating,
    SubjectKind,
    Submission,
    Suggestion,
    SuggestionIssue,
    SuggestionState,
)
from reviews.services import cycle_change_status, dossier_item_add, ratings_record
from tests.factories import (
    BlocFactory,
    CellFactory,
    GrassrootsCellFactory,
    GrassrootsCommitteeFactory,
    LeadershipCollectiveFactory,
    MemberFactory,
    ReviewCycleFactory,
    RoleAssignmentFactory,
    StatusPeriodFactory,
    SubCommitteeFactory,
    UserFactory,
)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
HOSTILE_NAME = '=HYPERLINK("http://example.invalid","Bấm vào đây")'
HOSTILE_NOTE = "-abc"


def decide(cycle, ratings, level, *, user=None, **extra):
    ratings_record(
        cycle=cycle,
        changes={r.pk: {"self_level": level, "decision_level": level, **extra} for r in ratings},
        acting_user=user,
    )


def member_ratings(cycle, cell):
    return list(
        Rating.objects.filter(
            cycle=cycle, subject_kind=SubjectKind.MEMBER, member__organization=cell
        ).order_by("member__sort_key")
    )


def suggestion(cycle, *, addressed_to, issues, **fields):
    defaults = {
        "state": SuggestionState.ISSUED,
        "document_number": "15-CV/ĐUK",
        "issued_on": datetime.date(2021, 11, 1),
        "title": "Gợi ý kiểm điểm năm 2021",
    }
    made = Suggestion.objects.create(cycle=cycle, addressed_to=addressed_to, **defaults | fields)
    for order, (text, state, explanation) in enumerate(issues, start=1):
        SuggestionIssue.objects.create(
            suggestion=made, order=order, text=text, state=state, explanation=explanation
        )
    return made


def build_unit(bloc, *, cells: int, members_per_cell: int, name: str, code: str):
    """A đảng bộ cơ sở with a sub-committee holding the first cell, a collective and a leader."""
    unit = GrassrootsCommitteeFactory(parent=bloc, name=name, code=code)
    sub = SubCommitteeFactory(parent=unit, name=f"Đảng bộ bộ phận {code}")
    cell_nodes = [CellFactory(parent=sub, name=f"Chi bộ {code} số 1")]
    cell_nodes += [
        CellFactory(parent=unit, name=f"Chi bộ {code} số {i}") for i in range(2, cells + 1)
    ]
    members = [
        MemberFactory(organization=cell, full_name=f"Trần Văn {code} {c}-{i}")
        for c, cell in enumerate(cell_nodes)
        for i in range(members_per_cell)
    ]
    leader = members[0]
    leader.leadership_post = "Giám đốc Sở"
    leader.managing_level = ManagingLevel.PROVINCE
    leader.save()
    collective = LeadershipCollectiveFactory(
        organization=unit, name=f"Ban Chấp hành Đảng bộ {code}", managing_level="district"
    )
    return {
        "unit": unit,
        "sub": sub,
        "cells": cell_nodes,
        "members": members,
        "leader": leader,
        "collective": collective,
    }


@pytest.fixture
def report_bloc(db, settings, tmp_path):
    """Unit A (đảng bộ cơ sở, 2 cells × 8), unit B (chi bộ cơ sở), unit C (newly formed)."""
    settings.MEDIA_ROOT = tmp_path
    bloc = BlocFactory(code="DUKT", name="Đảng bộ Khối các cơ quan tỉnh")
    a = build_unit(bloc, cells=2, members_per_cell=8, name="Đảng bộ Sở Tài chính", code="STC")
    b_unit = GrassrootsCellFactory(
        parent=bloc,
        name="Chi bộ Bệnh viện Phổi",
        code="BVP",
        grassroots_type=GrassrootsType.PUBLIC_SERVICE_PUBLIC,
    )
    b_members = [MemberFactory(organization=b_unit) for _ in range(6)]
    b_members[0].full_name = HOSTILE_NAME
    b_members[0].save()
    new_member = MemberFactory(
        organization=b_unit, admitted_on=datetime.date(2021, 9, 1), official_on=None
    )
    exempt = MemberFactory(organization=b_unit)
    StatusPeriodFactory(
        member=exempt, kind=StatusPeriod.Kind.EXEMPT, starts_on=datetime.date(2021, 1, 1)
    )
    suspended = MemberFactory(organization=a["cells"][1])
    StatusPeriodFactory(
        member=suspended, kind=StatusPeriod.Kind.SUSPENDED, starts_on=datetime.date(2021, 3, 1)
    )
    b_collective = LeadershipCollectiveFactory(
        organization=b_unit, name="Chi ủy Chi bộ Bệnh viện Phổi", managing_level="grassroots"
    )
    c_unit = GrassrootsCommitteeFactory(
        parent=bloc,
        name="Đảng bộ Ban Quản lý dự án",
        code="BQLDA",
        grassroots_type=GrassrootsType.PARTY_FRONT_MASS,
        founded_on=datetime.date(2021, 9, 1),
    )
    c_cell = CellFactory(
        parent=c_unit, name="Chi bộ Văn phòng", founded_on=datetime.date(2021, 9, 1)
    )
    c_members = [MemberFactory(organization=c_cell) for _ in range(2)]

    cycle = ReviewCycleFactory(
        organization=bloc,
        reference_date=datetime.date(2021, 11, 15),
        legal_references="Quy định số 132-QĐ/TW ngày 08/3/2018 của Bộ Chính trị;\n"
        "Hướng dẫn số 21-HD/BTCTW ngày 18/10/2019 của Ban Tổ chức Trung ương.",
    )
    cycle = cycle_change_status(cycle=cycle, status="open")

    clerk = UserFactory(username="canbo-stc")
    RoleAssignmentFactory(user=clerk, organization=a["unit"], role=Role.CLERK)

    # Unit A members: 2 HTXSNV, 11 HTTNV, 2 HTNV, 1 left undecided (16 rated, 1 suspended).
    a_ratings = member_ratings(cycle, a["cells"][0]) + [
        r for r in member_ratings(cycle, a["cells"][1]) if r.is_rated
    ]
    decide(cycle, a_ratings[2:13], Level.GOOD, user=clerk)
    decide(cycle, a_ratings[:2], Level.EXCELLENT, user=clerk)
    decide(cycle, a_ratings[13:15], Level.COMPLETED, user=clerk)
    ratings_record(
        cycle=cycle,
        changes={
            a_ratings[2].pk: {"proposal_level": Level.GOOD, "votes_for": 7, "votes_against": 1}
        },
        acting_user=clerk,
    )
    # Unit B members: 1 KHTNV with an override, the rest HTTNV; the hostile note on one.
    b_rated = [r for r in member_ratings(cycle, b_unit) if r.is_rated]
    decide(cycle, b_rated[1:], Level.GOOD)
    ratings_record(
        cycle=cycle,
        changes={
            b_rated[0].pk: {
                "decision_level": Level.NOT_COMPLETED,
                "note": HOSTILE_NOTE,
                "override_reason": "Theo kết luận của Ủy ban Kiểm tra.",
                "override_reference": "12-QĐ/UBKT",
            }
        },
        acting_user=clerk,
    )
    # Organizations: unit A's sub-committee and cells HTTNV; A HTXSNV is over nothing (bloc
    # pool basis 1 → 0 allowed) so A and B are HTTNV; collectives and the leader decided.
    org_ratings = Rating.objects.filter(cycle=cycle, subject_kind=SubjectKind.ORGANIZATION)
    decide(cycle, [r for r in org_ratings if r.is_rated], Level.GOOD)
    decide(
        cycle,
        Rating.objects.filter(cycle=cycle, subject_kind=SubjectKind.COLLECTIVE),
        Level.GOOD,
    )
    decide(cycle, Rating.objects.filter(cycle=cycle, subject_kind=SubjectKind.LEADER), Level.GOOD)

    suggestion(
        cycle,
        addressed_to=a["unit"],
        collective=a["collective"],
        managing_level=ManagingLevel.DISTRICT,
        issues=[
            (
                "Việc lãnh đạo thực hiện chỉ tiêu thu ngân sách.",
                IssueState.ANSWERED,
                "Do ảnh hưởng của dịch COVID-19, tập thể nghiêm túc nhận khuyết điểm.",
            ),
            ("Công tác cán bộ.", IssueState.AWAITING, ""),
        ],
    )
    suggestion(
        cycle,
        addressed_to=a["unit"],
        member=a["leader"],
        managing_level=ManagingLevel.PROVINCE,
        state=SuggestionState.CLOSED,
        document_number="16-CV/ĐUK",
        issues=[("Trách nhiệm người đứng đầu.", IssueState.ACCEPTED, "Đã giải trình.")],
    )
    suggestion(
        cycle,
        addressed_to=b_unit,
        collective=b_collective,
        managing_level=ManagingLevel.GRASSROOTS,
        issues=[("Sinh hoạt chi bộ chưa đều.", IssueState.AWAITING, "")],
    )
    suggestion(  # a draft: never counted
        cycle,
        addressed_to=a["unit"],
        member=a["members"][3],
        managing_level=ManagingLevel.GRASSROOTS,
        state=SuggestionState.DRAFT,
        document_number="",
        issued_on=None,
        issues=[("Dự thảo.", IssueState.AWAITING, "")],
    )

    submission = Submission.objects.get(cycle=cycle, organization=a["unit"])
    dossier_item_add(
        submission=submission,
        kind="minutes",
        upload=SimpleUploadedFile("../../Biên bản hội nghị.pdf", PDF, "application/pdf"),
        acting_user=clerk,
    )
    removed = dossier_item_add(
        submission=submission,
        kind="other",
        upload=SimpleUploadedFile("gỡ bỏ.pdf", PDF, "application/pdf"),
        acting_user=clerk,
    )
    from reviews.services import dossier_item_remove

    dossier_item_remove(item=removed, acting_user=clerk)
    return {
        "bloc": bloc,
        "cycle": cycle,
        "a": a,
        "b_unit": b_unit,
        "b_members": b_members,
        "c_unit": c_unit,
        "c_members": c_members,
        "new_member": new_member,
        "exempt": exempt,
        "suspended": suspended,
        "clerk": clerk,
        "submission": submission,
    }
