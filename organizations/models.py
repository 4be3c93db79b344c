"""The party hierarchy (DOMAIN.md §1, §6) and the roles users hold on it."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.functions import Length, Substr
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet


def acting_user_field(verbose_name) -> models.ForeignKey:
    """Who did it: the user behind a recorded change (kept even if the account is disabled)."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=verbose_name,
    )


class OrganizationKind(models.TextChoices):
    BLOC = "bloc", _("Đảng bộ Khối")
    GRASSROOTS_COMMITTEE = "grassroots_committee", _("Đảng bộ cơ sở")
    GRASSROOTS_CELL = "grassroots_cell", _("Chi bộ cơ sở")
    SUB_COMMITTEE = "sub_committee", _("Đảng bộ bộ phận")
    CELL = "cell", _("Chi bộ trực thuộc")


#: Which kinds may sit directly under which (DOMAIN.md §1). A kind absent as a key holds nothing.
ALLOWED_CHILD_KINDS: dict[str, frozenset[str]] = {
    OrganizationKind.BLOC: frozenset(
        {OrganizationKind.GRASSROOTS_COMMITTEE, OrganizationKind.GRASSROOTS_CELL}
    ),
    OrganizationKind.GRASSROOTS_COMMITTEE: frozenset(
        {OrganizationKind.SUB_COMMITTEE, OrganizationKind.CELL}
    ),
    OrganizationKind.SUB_COMMITTEE: frozenset({OrganizationKind.CELL}),
}
# Tuples, not sets: their order is written into migrations and must not vary between runs.
ROOT_KINDS = (OrganizationKind.BLOC,)
GRASSROOTS_KINDS = (OrganizationKind.GRASSROOTS_COMMITTEE, OrganizationKind.GRASSROOTS_CELL)
#: Kinds whose members meet and are reviewed (a member's current cell is one of these).
MEMBER_HOLDING_KINDS = (OrganizationKind.GRASSROOTS_CELL, OrganizationKind.CELL)


class GrassrootsType(models.TextChoices):
    """Table 5-BTCTW, Hướng dẫn 11-HD/BTCTW (13/12/2021): the official types, in their order."""

    COMMUNE = "01", _("Xã")
    WARD = "02", _("Phường")
    TOWNSHIP = "03", _("Thị trấn")
    PARTY_FRONT_MASS = "04", _("Cơ quan Đảng, MTTQ, đoàn thể chính trị - xã hội")
    STATE_AGENCY = "05", _("Cơ quan Nhà nước")
    PUBLIC_SERVICE_PUBLIC = "06a", _("Đơn vị sự nghiệp công lập")
    PUBLIC_SERVICE_PRIVATE = "06b", _("Đơn vị sự nghiệp ngoài công lập")
    ARMY = "07", _("Quân đội")
    POLICE = "08", _("Công an")
    STATE_ENTERPRISE_100 = "09a1", _("Doanh nghiệp 100% vốn Nhà nước")
    STATE_ENTERPRISE_MAJORITY = "09a2", _("Doanh nghiệp có vốn Nhà nước từ 50% trở lên")
    STATE_ENTERPRISE_MINORITY = "09a3", _("Doanh nghiệp có vốn Nhà nước dưới 50%")
    JOINT_STOCK = "09b1", _("Công ty cổ phần (ngoài khu vực Nhà nước)")
    PRIVATE_ENTERPRISE = "09b2", _("Doanh nghiệp tư nhân")
    LIMITED_LIABILITY = "09b3", _("Công ty trách nhiệm hữu hạn")
    PARTNERSHIP = "09b4", _("Công ty hợp danh")
    FOREIGN_INVESTED = "09b5", _("Doanh nghiệp có vốn nước ngoài")
    COOPERATIVE = "09c", _("Hợp tác xã")
    ABROAD = "10", _("Tổ chức cơ sở đảng ở ngoài nước")
    OTHER = "11", _("Loại hình cơ sở khác")


def under_any(paths, field: str = "path") -> Q:
    """Rows whose `field` (a materialized path) lies in any of the subtrees at `paths`.

    The one way a role's reach, "the node and everything below it", becomes a filter; no
    paths match nothing.
    """
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(**{f"{field}__startswith": path})
    return condition


def grassroots_name_of(path_ref: str) -> Subquery:
    """The name of the grassroots unit at or above the node whose path `path_ref` names (an
    OuterRef path such as "organization__path"): to annotate rows with their unit in one query.
    """
    units = (
        Organization.objects.filter(kind__in=GRASSROOTS_KINDS)
        .annotate(prefix=Substr(OuterRef(path_ref), 1, Length("path")))
        .filter(path=F("prefix"))
        .order_by("-depth")
        .values("name")[:1]
    )
    return Subquery(units)


class OrganizationQuerySet(MP_NodeQuerySet):
    def subtree_of(self, node: Organization) -> OrganizationQuerySet:
        """The node and everything below it, read off the materialized path."""
        return self.filter(path__startswith=node.path)

    def subtree_of_any(self, nodes) -> OrganizationQuerySet:
        return self.filter(under_any(node.path for node in nodes))

    def grassroots(self) -> OrganizationQuerySet:
        return self.filter(kind__in=GRASSROOTS_KINDS)

    def active_on(self, day) -> OrganizationQuerySet:
        return self.filter(Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=day))


class OrganizationManager(MP_NodeManager):
    """Treebeard's manager (add_root, add_child, move) returning our queryset."""

    def get_queryset(self) -> OrganizationQuerySet:
        return OrganizationQuerySet(self.model, using=self._db).order_by("path")

    def subtree_of(self, node: Organization) -> OrganizationQuerySet:
        return self.get_queryset().subtree_of(node)

    def subtree_of_any(self, nodes) -> OrganizationQuerySet:
        return self.get_queryset().subtree_of_any(nodes)

    def grassroots(self) -> OrganizationQuerySet:
        return self.get_queryset().grassroots()


class Organization(MP_Node):
    """A node of the party hierarchy: the bloc, a grassroots unit, a sub-committee or a cell.

    Written only through `organizations.services` (kinds checked, history kept).
    """

    name = models.CharField(_("tên"), max_length=255)
    code = models.CharField(
        _("mã"),
        max_length=40,
        unique=True,
        help_text=_("Mã ngắn, duy nhất, dùng trong báo cáo và lệnh quản trị (ví dụ: DUK, STC)."),
    )
    kind = models.CharField(_("loại tổ chức"), max_length=32, choices=OrganizationKind.choices)
    grassroots_type = models.CharField(
        _("loại hình cơ sở"),
        max_length=8,
        choices=GrassrootsType.choices,
        blank=True,
        help_text=_("Chỉ dành cho tổ chức cơ sở đảng (biểu 5-BTCTW)."),
    )
    founded_on = models.DateField(_("ngày thành lập"), null=True, blank=True)
    dissolved_on = models.DateField(_("ngày giải thể"), null=True, blank=True)
    #: After a reorganization (sáp nhập, hợp nhất, chuyển trực thuộc) the node ends and its
    #: successor carries on; the old node keeps its place, so past cycles keep their tree.
    succeeded_by = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="predecessors",
        verbose_name=_("tổ chức tiếp nhận"),
    )
    special_deadline = models.BooleanField(
        _("đơn vị đặc thù (hạn hoàn thành riêng)"),
        default=False,
        help_text=_("QĐ 366: đơn vị đặc thù hoàn thành kiểm điểm, xếp loại trước ngày 15/01."),
    )
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=40, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)

    objects = OrganizationManager()

    node_order_by: list[str] = []

    class Meta:
        verbose_name = _("tổ chức đảng")
        verbose_name_plural = _("tổ chức đảng")
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(
                condition=Q(dissolved_on__isnull=True)
                | Q(founded_on__isnull=True)
                | Q(dissolved_on__gte=models.F("founded_on")),
                name="organization_dissolved_after_founded",
            ),
            models.CheckConstraint(
                condition=(Q(kind__in=list(GRASSROOTS_KINDS)) & ~Q(grassroots_type=""))
                | (~Q(kind__in=list(GRASSROOTS_KINDS)) & Q(grassroots_type="")),
                name="organization_grassroots_type_only_for_grassroots",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors = {}
        if self.kind in GRASSROOTS_KINDS and not self.grassroots_type:
            errors["grassroots_type"] = ValidationError(
                _("Tổ chức cơ sở đảng phải có loại hình cơ sở."), code="grassroots_type_required"
            )
        if self.kind not in GRASSROOTS_KINDS and self.grassroots_type:
            errors["grassroots_type"] = ValidationError(
                _("Chỉ tổ chức cơ sở đảng mới có loại hình cơ sở."),
                code="grassroots_type_forbidden",
            )
        if self.founded_on and self.dissolved_on and self.dissolved_on < self.founded_on:
            errors["dissolved_on"] = ValidationError(
                _("Ngày giải thể phải sau ngày thành lập."), code="dissolved_before_founded"
            )
        if errors:
            raise ValidationError(errors)

    @property
    def committee_name(self) -> str:
        """The body that leads the node, in running text: "Đảng bộ Sở Tài chính" → "Đảng ủy
        Sở Tài chính"; a cell is led by itself."""
        name = " ".join(self.name.split())
        if name.lower().startswith("đảng bộ"):
            return "Đảng ủy" + name[len("đảng bộ") :]
        return name

    @property
    def is_grassroots(self) -> bool:
        return self.kind in GRASSROOTS_KINDS

    @property
    def holds_members(self) -> bool:
        return self.kind in MEMBER_HOLDING_KINDS

    def is_active_on(self, day) -> bool:
        return self.dissolved_on is None or self.dissolved_on > day

    def may_hold(self, child_kind: str) -> bool:
        return child_kind in ALLOWED_CHILD_KINDS.get(self.kind, frozenset())

    def grassroots_unit(self) -> Organization | None:
        """The grassroots organization this node is, or belongs to (None for the bloc)."""
        if self.is_grassroots:
            return self
        return (
            Organization.objects.filter(kind__in=GRASSROOTS_KINDS, path__in=self.ancestor_paths())
            .order_by("-depth")
            .first()
        )

    def ancestor_paths(self) -> list[str]:
        return [self.path[: i * self.steplen] for i in range(1, self.depth)]


class OrganizationChange(models.Model):
    """History of a node: creation, renames, moves, other edits and dissolution."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Thành lập / tạo mới")
        RENAMED = "renamed", _("Đổi tên")
        MOVED = "moved", _("Chuyển trực thuộc")
        UPDATED = "updated", _("Cập nhật thông tin")
        DISSOLVED = "dissolved", _("Giải thể")
        SUCCEEDED = "succeeded", _("Sắp xếp, hợp nhất vào tổ chức khác")
        TOOK_OVER = "took_over", _("Tiếp nhận tổ chức khác")
        ROLES = "roles", _("Phân quyền người dùng")

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="changes", verbose_name=_("tổ chức")
    )
    kind = models.CharField(_("loại thay đổi"), max_length=16, choices=Kind.choices)
    changed_at = models.DateTimeField(_("thời điểm"), auto_now_add=True)
    changed_by = acting_user_field(_("người thực hiện"))
    old_values = models.JSONField(_("giá trị cũ"), default=dict, blank=True)
    new_values = models.JSONField(_("giá trị mới"), default=dict, blank=True)
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("lịch sử tổ chức")
        verbose_name_plural = _("lịch sử tổ chức")
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.organization} — {self.get_kind_display()}"


class Role(models.TextChoices):
    CLERK = "clerk", _("Cán bộ cấp ủy cơ sở (nhập liệu)")
    CELL_SECRETARY = "cell_secretary", _("Bí thư chi bộ")
    ORGANIZATION_BOARD = "organization_board", _("Ban Tổ chức")
    INSPECTION_COMMITTEE = "inspection_committee", _("Ủy ban Kiểm tra")
    OFFICE = "office", _("Văn phòng")
    VIEWER = "viewer", _("Người xem")


class RoleAssignmentQuerySet(models.QuerySet):
    def active(self) -> RoleAssignmentQuerySet:
        return self.filter(is_active=True)


class RoleAssignment(models.Model):
    """A role a user holds on an organization node; it covers the node's whole subtree."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="role_assignments",
        verbose_name=_("người dùng"),
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="role_assignments",
        verbose_name=_("tổ chức"),
    )
    role = models.CharField(_("vai trò"), max_length=32, choices=Role.choices)
    is_active = models.BooleanField(_("đang hiệu lực"), default=True)
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("phân quyền")
        verbose_name_plural = _("phân quyền")
        ordering = ["user__username", "organization__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization", "role"], name="role_assignment_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.organization}"

    def clean(self) -> None:
        if not self.organization_id:
            return
        kind = self.organization.kind
        if self.role == Role.CELL_SECRETARY and kind not in MEMBER_HOLDING_KINDS:
            raise ValidationError(
                {"organization": _("Bí thư chi bộ phải được gán cho một chi bộ.")},
                code="cell_secretary_needs_cell",
            )
        if self.role == Role.CLERK and kind not in GRASSROOTS_KINDS:
            raise ValidationError(
                {"organization": _("Cán bộ nhập liệu phải được gán cho một tổ chức cơ sở đảng.")},
                code="clerk_needs_grassroots",
            )
        if (
            self.role in (Role.ORGANIZATION_BOARD, Role.INSPECTION_COMMITTEE, Role.OFFICE)
            and kind not in ROOT_KINDS
        ):
            raise ValidationError(
                {"organization": _("Vai trò của các ban Đảng ủy Khối phải gán cho Đảng bộ Khối.")},
                code="bloc_role_needs_bloc",
            )
