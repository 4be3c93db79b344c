"""Party members and the facts the rating rules read (DOMAIN.md §4–5)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.names import normalize_name, vietnamese_sort_key
from organizations.models import MEMBER_HOLDING_KINDS, Organization, acting_user_field


class Gender(models.TextChoices):
    MALE = "M", _("Nam")
    FEMALE = "F", _("Nữ")


class ManagingLevel(models.TextChoices):
    """Who manages a leader (table 6F-BTCTW rows 4.1–4.3)."""

    PROVINCE = "province", _("Ban Thường vụ Tỉnh ủy quản lý")
    DISTRICT = "district", _("Cấp huyện và tương đương quản lý")
    GRASSROOTS = "grassroots", _("Cấp cơ sở quản lý")


class LeaveReason(models.TextChoices):
    TRANSFERRED_OUT = "transferred_out", _("Chuyển sinh hoạt đảng ra ngoài Đảng bộ")
    DECEASED = "deceased", _("Từ trần")
    EXPELLED = "expelled", _("Khai trừ")
    STRUCK_OFF = "struck_off", _("Xóa tên")
    RESIGNED = "resigned", _("Xin ra khỏi Đảng")


class MemberQuerySet(models.QuerySet):
    def in_subtree(self, organization: Organization) -> MemberQuerySet:
        return self.filter(organization__path__startswith=organization.path)

    def current(self) -> MemberQuerySet:
        """Members still in the party organization (not transferred out, deceased or removed)."""
        return self.filter(left_on__isnull=True)

    def on_roll(self, day: datetime.date) -> MemberQuerySet:
        """Members admitted on or before `day` and not gone before it."""
        return self.filter(admitted_on__lte=day).filter(
            Q(left_on__isnull=True) | Q(left_on__gt=day)
        )

    def vietnamese_order(self) -> MemberQuerySet:
        return self.order_by("sort_key", "pk")


class Member(models.Model):
    """A party member (đảng viên); probationary until `official_on`."""

    full_name = models.CharField(_("họ và tên"), max_length=120)
    sort_key = models.CharField(_("khóa sắp xếp"), max_length=800, editable=False, db_index=True)
    gender = models.CharField(_("giới tính"), max_length=1, choices=Gender.choices)
    date_of_birth = models.DateField(_("ngày sinh"))
    card_number = models.CharField(
        _("số thẻ đảng viên"),
        max_length=20,
        blank=True,
        help_text=_("Để trống nếu chưa có thẻ (đảng viên dự bị)."),
    )
    admitted_on = models.DateField(_("ngày vào Đảng"))
    official_on = models.DateField(
        _("ngày chính thức"), null=True, blank=True, help_text=_("Để trống khi còn là dự bị.")
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="members",
        verbose_name=_("chi bộ sinh hoạt"),
        limit_choices_to={"kind__in": list(MEMBER_HOLDING_KINDS)},
    )
    is_civil_servant = models.BooleanField(
        _("là cán bộ, công chức, viên chức"),
        default=False,
        help_text=_("Được đánh giá, xếp loại CCVC trước khi xếp loại đảng viên (HD 21)."),
    )
    leadership_post = models.CharField(_("chức vụ lãnh đạo, quản lý"), max_length=200, blank=True)
    outside_political_system = models.BooleanField(
        _("không làm việc trong hệ thống chính trị"),
        default=False,
        help_text=_(
            "Nghỉ hưu, học sinh, sinh viên, làm việc ở doanh nghiệp ngoài nhà nước … "
            "(HD 43: Phụ lục 5, Mẫu 2C)."
        ),
    )
    managing_level = models.CharField(
        _("cấp quản lý cán bộ"), max_length=16, choices=ManagingLevel.choices, blank=True
    )
    left_on = models.DateField(_("ngày ra khỏi Đảng bộ"), null=True, blank=True)
    left_reason = models.CharField(
        _("lý do ra khỏi Đảng bộ"), max_length=20, choices=LeaveReason.choices, blank=True
    )
    #: The member's own login, when he writes his self-review himself (issue #14); most members
    #: have none and their clerk writes it on their behalf.
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="member",
        verbose_name=_("tài khoản đăng nhập"),
        help_text=_("Tài khoản để đảng viên tự viết bản kiểm điểm của mình (không bắt buộc)."),
    )
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    objects = MemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("đảng viên")
        verbose_name_plural = _("đảng viên")
        ordering = ["sort_key", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["card_number"],
                condition=~Q(card_number=""),
                name="member_card_number_unique_when_present",
            ),
            models.CheckConstraint(
                condition=Q(official_on__isnull=True) | Q(official_on__gte=models.F("admitted_on")),
                name="member_official_after_admitted",
            ),
            models.CheckConstraint(
                condition=Q(admitted_on__gt=models.F("date_of_birth")),
                name="member_admitted_after_birth",
            ),
            models.CheckConstraint(
                condition=(Q(left_on__isnull=True) & Q(left_reason=""))
                | (Q(left_on__isnull=False) & ~Q(left_reason="")),
                name="member_left_on_with_reason",
            ),
            models.CheckConstraint(
                condition=Q(leadership_post="") | ~Q(managing_level=""),
                name="member_leader_has_managing_level",
            ),
        ]
        indexes = [models.Index(fields=["organization", "sort_key"])]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs) -> None:
        self.normalize()
        if kwargs.get("update_fields") is not None and "full_name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "sort_key"}
        super().save(*args, **kwargs)

    def normalize(self) -> None:
        """The stored forms: the name in Vietnamese capitalization, its sort key, the card
        number trimmed (also for rows inserted in bulk, which skip `save`)."""
        self.full_name = normalize_name(self.full_name)
        self.card_number = self.card_number.strip()
        self.sort_key = vietnamese_sort_key(self.full_name)

    def clean(self) -> None:
        errors: dict[str, ValidationError] = {}
        if self.organization_id and self.organization.kind not in MEMBER_HOLDING_KINDS:
            errors["organization"] = ValidationError(
                _("Đảng viên phải sinh hoạt tại một chi bộ (chi bộ trực thuộc hoặc chi bộ cơ sở)."),
                code="member_needs_cell",
            )
        if self.official_on and self.admitted_on and self.official_on < self.admitted_on:
            errors["official_on"] = ValidationError(
                _("Ngày chính thức không thể trước ngày vào Đảng."), code="official_before_admitted"
            )
        if self.date_of_birth and self.admitted_on and self.admitted_on <= self.date_of_birth:
            errors["admitted_on"] = ValidationError(
                _("Ngày vào Đảng phải sau ngày sinh."), code="admitted_before_birth"
            )
        if bool(self.left_on) != bool(self.left_reason):
            errors["left_reason"] = ValidationError(
                _("Ngày và lý do ra khỏi Đảng bộ phải được nhập cùng nhau."), code="left_incomplete"
            )
        today = timezone.localdate()
        for name, label in (
            ("date_of_birth", _("Ngày sinh")),
            ("admitted_on", _("Ngày vào Đảng")),
            ("official_on", _("Ngày chính thức")),
        ):
            value = getattr(self, name)
            if value and value > today and name not in errors:
                errors[name] = ValidationError(
                    _("%(label)s không thể sau ngày hôm nay (%(today)s).")
                    % {"label": label, "today": today.strftime("%d/%m/%Y")},
                    code="date_in_future",
                )
        if self.leadership_post and not self.managing_level:
            errors["managing_level"] = ValidationError(
                _("Cán bộ lãnh đạo, quản lý phải có cấp quản lý."), code="managing_level_required"
            )
        if errors:
            raise ValidationError(errors)

    def is_probationary_on(self, day: datetime.date) -> bool:
        return self.official_on is None or self.official_on > day

    @property
    def is_leader(self) -> bool:
        return bool(self.leadership_post)

    def label_with_cell(self) -> str:
        """ "Nguyễn Văn A — Trưởng phòng — Chi bộ Văn phòng Sở": namesakes told apart in lists."""
        post = f" — {self.leadership_post}" if self.leadership_post else ""
        return f"{self.full_name}{post} — {self.organization.name}"


class StatusPeriod(models.Model):
    """A period that changes how a member is reviewed and rated (DOMAIN.md §4)."""

    class Kind(models.TextChoices):
        EXEMPT = "exempt", _("Miễn công tác và sinh hoạt đảng")
        SUSPENDED = "suspended", _("Đình chỉ sinh hoạt đảng")
        SICK_LEAVE = "sick_leave", _("Nghỉ ốm")
        MATERNITY_LEAVE = "maternity_leave", _("Nghỉ thai sản")
        TEMPORARY_ATTENDANCE = "temporary_attendance", _("Sinh hoạt tạm thời nơi khác")

    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="status_periods", verbose_name=_("đảng viên")
    )
    kind = models.CharField(_("loại"), max_length=24, choices=Kind.choices)
    starts_on = models.DateField(_("từ ngày"))
    ends_on = models.DateField(_("đến ngày"), null=True, blank=True)
    reference = models.CharField(_("số văn bản, quyết định"), max_length=100, blank=True)
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("thời gian miễn, đình chỉ, nghỉ")
        verbose_name_plural = _("thời gian miễn, đình chỉ, nghỉ")
        ordering = ["member", "starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="status_period_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.starts_on:%d/%m/%Y})"

    def clean(self) -> None:
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            raise ValidationError(
                {"ends_on": _("Ngày kết thúc phải sau ngày bắt đầu.")},
                code="period_ends_before_start",
            )

    def overlap_days(
        self, start: datetime.date, end: datetime.date, *, open_until: datetime.date | None = None
    ) -> int:
        """Days of this period inside [start, end], both ends included; a period with no end
        date runs to `open_until` (the day it is judged on) when given, else to `end`."""
        first = max(self.starts_on, start)
        last = min(self.ends_on or open_until or end, end)
        return max((last - first).days + 1, 0)

    def covers(self, day: datetime.date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or self.ends_on >= day)


class MembershipEvent(models.Model):
    """One step of a member's party life: admission, official status, transfers, leaving."""

    class Kind(models.TextChoices):
        ADMITTED = "admitted", _("Kết nạp")
        RECOGNIZED_OFFICIAL = "official", _("Công nhận chính thức")
        TRANSFER_IN = "transfer_in", _("Chuyển sinh hoạt đến")
        TRANSFER_INTERNAL = "transfer_internal", _("Chuyển sinh hoạt nội bộ")
        REORGANIZED = "reorganized", _("Chuyển theo sắp xếp tổ chức")
        LEFT = "left", _("Ra khỏi Đảng bộ")

    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="events", verbose_name=_("đảng viên")
    )
    kind = models.CharField(_("loại"), max_length=24, choices=Kind.choices)
    occurred_on = models.DateField(_("ngày"))
    from_organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("từ tổ chức"),
    )
    to_organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("đến tổ chức"),
    )
    outside_party_body = models.CharField(
        _("tổ chức ngoài Đảng bộ"),
        max_length=255,
        blank=True,
        help_text=_("Nơi chuyển đến hoặc chuyển đi khi ngoài Đảng bộ Khối."),
    )
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)
    changed_at = models.DateTimeField(_("ghi nhận lúc"), auto_now_add=True)
    changed_by = acting_user_field(_("người ghi nhận"))

    class Meta:
        verbose_name = _("quá trình sinh hoạt đảng")
        verbose_name_plural = _("quá trình sinh hoạt đảng")
        ordering = ["member", "occurred_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_on:%d/%m/%Y}"


class DisciplineForm(models.TextChoices):
    """Forms of party discipline, lightest first (Điều lệ Đảng, Điều 35)."""

    REPRIMAND = "reprimand", _("Khiển trách")
    WARNING = "warning", _("Cảnh cáo")
    DISMISSAL = "dismissal", _("Cách chức")
    EXPULSION = "expulsion", _("Khai trừ")


class DisciplineRecordQuerySet(models.QuerySet):
    def counted_in_year(self, year: int) -> DisciplineRecordQuerySet:
        return self.filter(counted_year=year)

    def warning_or_heavier(self) -> DisciplineRecordQuerySet:
        return self.exclude(form=DisciplineForm.REPRIMAND)


class DisciplineRecord(models.Model):
    """A disciplinary decision against a member (HD 21: counts once, in one year only)."""

    member = models.ForeignKey(
        Member,
        on_delete=models.CASCADE,
        related_name="discipline_records",
        verbose_name=_("đảng viên"),
    )
    form = models.CharField(_("hình thức kỷ luật"), max_length=16, choices=DisciplineForm.choices)
    decision_number = models.CharField(_("số quyết định"), max_length=100)
    decided_on = models.DateField(_("ngày quyết định"))
    counted_year = models.PositiveSmallIntegerField(
        _("tính vào năm xếp loại"),
        help_text=_("Một vi phạm chỉ tính một lần, vào một năm (mặc định: năm ra quyết định)."),
        blank=True,
    )
    violation = models.TextField(_("nội dung vi phạm"))
    issued_by = models.CharField(_("cơ quan quyết định"), max_length=255, blank=True)
    duty_related = models.BooleanField(
        _("vi phạm liên quan đến thực hiện chức trách, nhiệm vụ được giao"),
        default=True,
        help_text=_(
            "QĐ 366: kỷ luật vì vi phạm gắn với chức trách, nhiệm vụ thì xếp loại "
            "“Không hoàn thành nhiệm vụ”."
        ),
    )
    self_remedied = models.BooleanField(
        _("tự phát hiện, tự giác khắc phục hậu quả"),
        default=False,
        help_text=_(
            "QĐ 124: vi phạm tự phát hiện, tự giác khắc phục thì không buộc "
            "“Không hoàn thành nhiệm vụ”."
        ),
    )

    objects = DisciplineRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("kỷ luật đảng")
        verbose_name_plural = _("kỷ luật đảng")
        ordering = ["member", "-decided_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "decision_number"], name="discipline_decision_unique_per_member"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_form_display()} — {self.decision_number}"

    def save(self, *args, **kwargs) -> None:
        if not self.counted_year and self.decided_on:
            self.counted_year = self.decided_on.year
        super().save(*args, **kwargs)


class CollectiveKind(models.TextChoices):
    STANDING_BOARD = "standing_board", _("Ban Thường vụ")
    PARTY_COMMITTEE = "party_committee", _("Cấp ủy (Ban Chấp hành)")
    AGENCY_LEADERSHIP = "agency_leadership", _("Tập thể lãnh đạo cơ quan, đơn vị")


class LeadershipCollective(models.Model):
    """A leadership collective (tập thể lãnh đạo, quản lý) and the unit it leads (DOMAIN.md §1)."""

    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="leadership_collectives",
        verbose_name=_("tổ chức, đơn vị được lãnh đạo"),
    )
    name = models.CharField(_("tên tập thể"), max_length=255)
    kind = models.CharField(_("loại tập thể"), max_length=24, choices=CollectiveKind.choices)
    managing_level = models.CharField(
        _("cấp quản lý"), max_length=16, choices=ManagingLevel.choices
    )
    formed_on = models.DateField(_("ngày thành lập, kiện toàn"), null=True, blank=True)
    dissolved_on = models.DateField(_("ngày kết thúc"), null=True, blank=True)
    members = models.ManyToManyField(
        Member,
        through="CollectiveMembership",
        related_name="leadership_collectives",
        verbose_name=_("thành viên"),
    )

    class Meta:
        verbose_name = _("tập thể lãnh đạo, quản lý")
        verbose_name_plural = _("tập thể lãnh đạo, quản lý")
        ordering = ["organization__path", "kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "kind", "name"], name="collective_unique_per_organization"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class SeatRole(models.TextChoices):
    """What a seat is in its collective, as the order rules read it (QĐ 366-QĐ/TW; HD 43: a
    unit before its head, the head before the deputies; docs/rules.md)."""

    HEAD = "head", _("Người đứng đầu")
    DEPUTY = "deputy", _("Cấp phó")
    MEMBER = "member", _("Thành viên")


class CollectiveMembershipQuerySet(models.QuerySet):
    def held_during(self, start: datetime.date, end: datetime.date) -> CollectiveMembershipQuerySet:
        """Seats held on at least one day from `start` to `end` (both included)."""
        return self.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=start), starts_on__lte=end)

    def held_on(self, day: datetime.date) -> CollectiveMembershipQuerySet:
        return self.held_during(day, day)


class CollectiveMembership(models.Model):
    """A member's seat in a leadership collective over a period: its title as printed
    (`position`) and its role as the rules read it (`role`)."""

    collective = models.ForeignKey(
        LeadershipCollective,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("tập thể"),
    )
    member = models.ForeignKey(
        Member,
        on_delete=models.CASCADE,
        related_name="collective_memberships",
        verbose_name=_("đảng viên"),
    )
    position = models.CharField(_("chức danh trong tập thể"), max_length=120)
    role = models.CharField(
        _("vai trò"),
        max_length=8,
        choices=SeatRole.choices,
        default=SeatRole.MEMBER,
        help_text=_(
            "Người đứng đầu được xếp loại sau tổ chức, đơn vị mình lãnh đạo; cấp phó được xếp "
            "loại sau người đứng đầu (theo quy định của kỳ)."
        ),
    )
    starts_on = models.DateField(_("từ ngày"))
    ends_on = models.DateField(_("đến ngày"), null=True, blank=True)

    objects = CollectiveMembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("thành viên tập thể lãnh đạo")
        verbose_name_plural = _("thành viên tập thể lãnh đạo")
        ordering = ["collective", "starts_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["collective", "member", "starts_on"], name="collective_membership_unique"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="collective_membership_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} — {self.position}"

    def clean(self) -> None:
        """A collective has one head at a time: a new head's seat waits for the old one's
        end date. Checked when a head's seat is added or its role, collective or dates change,
        so an unrelated correction is never refused for another seat's period."""
        super().clean()
        if self.role != SeatRole.HEAD or not self.collective_id or not self.starts_on:
            return
        checked = ("role", "collective_id", "starts_on", "ends_on")
        if (
            self.pk
            and CollectiveMembership.objects.filter(
                pk=self.pk, **{name: getattr(self, name) for name in checked}
            ).exists()
        ):
            return
        heads = CollectiveMembership.objects.filter(
            collective_id=self.collective_id, role=SeatRole.HEAD
        ).exclude(pk=self.pk)
        other = next((seat for seat in heads.select_related("member") if self.overlaps(seat)), None)
        if other is not None:
            raise ValidationError({"role": second_head_error(other)})

    def overlaps(self, other: CollectiveMembership) -> bool:
        """Whether the two seats' periods share a day."""
        return (other.ends_on is None or other.ends_on >= self.starts_on) and (
            self.ends_on is None or self.ends_on >= other.starts_on
        )


def second_head_error(other: CollectiveMembership) -> ValidationError:
    """The refusal of a second head while `other` holds the seat (code collective_second_head)."""
    return ValidationError(
        _(
            "Tập thể đã có người đứng đầu trong thời gian này: %(member)s (từ %(start)s). Hãy "
            "nhập ngày kết thúc cho vị trí đó trước."
        )
        % {"member": other.member, "start": other.starts_on.strftime("%d/%m/%Y")},
        code="collective_second_head",
    )


class ImportKind(models.TextChoices):
    ORGANIZATIONS = "organizations", _("Tổ chức đảng")
    MEMBERS = "members", _("Đảng viên")
    RATINGS = "ratings", _("Kết quả xếp loại")
    TASKS = "tasks", _("Sổ theo dõi nhiệm vụ")


def import_upload_path(instance: ImportBatch, filename: str) -> str:
    """A generated name: the user's file name is kept only as data, never as a path."""
    import uuid

    return f"imports/{uuid.uuid4().hex}.xlsx"


class ImportBatch(models.Model):
    """One uploaded workbook: kept privately between its preview and its application.

    Who uploaded it, when, its name and SHA-256, and — once applied — when and how many rows
    were added, updated or left unchanged (`counts`).
    """

    kind = models.CharField(_("loại dữ liệu"), max_length=16, choices=ImportKind.choices)
    file_name = models.CharField(_("tên tệp gốc"), max_length=255)
    file = models.FileField(_("tệp"), upload_to=import_upload_path, max_length=255, blank=True)
    size = models.PositiveBigIntegerField(_("dung lượng (byte)"), default=0)
    sha256 = models.CharField(_("mã kiểm tra SHA-256"), max_length=64)
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="import_batches",
        verbose_name=_("phạm vi nhập"),
    )
    uploaded_by = acting_user_field(_("người tải lên"))
    uploaded_at = models.DateTimeField(_("tải lên lúc"), auto_now_add=True)
    applied_at = models.DateTimeField(_("áp dụng lúc"), null=True, blank=True)
    counts = models.JSONField(_("số dòng"), default=dict, blank=True)

    class Meta:
        verbose_name = _("lần nhập dữ liệu")
        verbose_name_plural = _("lần nhập dữ liệu")
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.file_name}"

    @property
    def is_applied(self) -> bool:
        return self.applied_at is not None


class FactChange(models.Model):
    """History of the facts the review rules read (issue #18): a member's own fields, status
    periods, disciplinary decisions, leadership collectives and their seats — who, when, and
    the values before and after. A deleted record keeps its last values here."""

    class Subject(models.TextChoices):
        MEMBER = "member", _("Thông tin đảng viên")
        STATUS_PERIOD = "status_period", _("Thời gian miễn, đình chỉ, nghỉ")
        DISCIPLINE = "discipline", _("Kỷ luật")
        COLLECTIVE = "collective", _("Tập thể lãnh đạo, quản lý")
        SEAT = "seat", _("Thành viên tập thể lãnh đạo")

    class Action(models.TextChoices):
        CREATED = "created", _("Thêm")
        UPDATED = "updated", _("Sửa")
        DELETED = "deleted", _("Xóa")

    subject = models.CharField(_("nội dung"), max_length=16, choices=Subject.choices)
    action = models.CharField(_("thao tác"), max_length=8, choices=Action.choices)
    member = models.ForeignKey(
        Member,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="fact_changes",
        verbose_name=_("đảng viên"),
    )
    collective = models.ForeignKey(
        LeadershipCollective,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="changes",
        verbose_name=_("tập thể"),
    )
    record_id = models.PositiveBigIntegerField(_("mã bản ghi"), null=True, blank=True)
    label = models.CharField(_("bản ghi"), max_length=255, blank=True)
    old_values = models.JSONField(_("giá trị cũ"), default=dict, blank=True)
    new_values = models.JSONField(_("giá trị mới"), default=dict, blank=True)
    changed_at = models.DateTimeField(_("thời điểm"), auto_now_add=True)
    changed_by = acting_user_field(_("người thực hiện"))

    class Meta:
        verbose_name = _("lịch sử thay đổi thông tin")
        verbose_name_plural = _("lịch sử thay đổi thông tin")
        ordering = ["-changed_at", "-pk"]
        indexes = [models.Index(fields=["subject", "record_id"])]

    def __str__(self) -> str:
        return f"{self.get_subject_display()} — {self.get_action_display()}: {self.label}"
