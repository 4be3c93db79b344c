"""Default peer groups and frameworks (DOMAIN.md §13).

From QĐ 124 the quota counts "theo đối tượng có vị trí, vai trò, chức năng, nhiệm vụ tương
đồng": the deciding body defines its peer groups for the cycle; by default one per framework for
individuals and one per kind for collectives. Under HD 21 a pool is a whole kind of subject.
"""

from __future__ import annotations

from typing import Any

from members.models import CollectiveKind
from organizations.models import OrganizationKind
from reviews.models import Framework, SubjectKind

#: Default peer-group codes by kind of organization and of collective (short, ASCII).
ORGANIZATION_GROUPS = {
    OrganizationKind.BLOC: "dang-bo-cap-tren",
    OrganizationKind.GRASSROOTS_COMMITTEE: "dang-bo-co-so",
    OrganizationKind.GRASSROOTS_CELL: "chi-bo-co-so",
    OrganizationKind.SUB_COMMITTEE: "dang-bo-bo-phan",
    OrganizationKind.CELL: "chi-bo",
}
COLLECTIVE_GROUPS = {
    CollectiveKind.STANDING_BOARD: "ban-thuong-vu",
    CollectiveKind.PARTY_COMMITTEE: "cap-uy",
    CollectiveKind.AGENCY_LEADERSHIP: "lanh-dao-co-quan",
}


def framework_of(*, subject_kind: str, subject: Any) -> str:
    """The scoring framework and self-review form of a subject (HD 43, Phụ lục 1, 3, 4, 5)."""
    if subject_kind in (SubjectKind.ORGANIZATION, SubjectKind.COLLECTIVE):
        return Framework.COLLECTIVE
    if subject_kind == SubjectKind.LEADER:
        return Framework.LEADER
    if getattr(subject, "outside_political_system", False):
        return Framework.OUTSIDE
    return Framework.MEMBER


def default_peer_group(
    *, uses_peer_groups: bool, subject_kind: str, subject: Any
) -> tuple[str, str]:
    """(code, name) of the peer group a subject falls in until its deciding body says otherwise."""
    if not uses_peer_groups:
        return "", ""
    if subject_kind == SubjectKind.ORGANIZATION:
        return ORGANIZATION_GROUPS[subject.kind], str(OrganizationKind(subject.kind).label)
    if subject_kind == SubjectKind.COLLECTIVE:
        return COLLECTIVE_GROUPS[subject.kind], str(CollectiveKind(subject.kind).label)
    if subject_kind == SubjectKind.LEADER:
        return "lanh-dao", "Cán bộ lãnh đạo, quản lý"
    if getattr(subject, "outside_political_system", False):
        return "ngoai-he-thong", "Đảng viên không làm việc trong hệ thống chính trị"
    return "dang-vien", "Đảng viên"
