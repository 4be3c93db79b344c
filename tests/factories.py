"""factory_boy factories for every model; trees are built through treebeard's manager API.

Called without arguments each factory builds a consistent, valid row (tests/test_factories.py
checks it with `full_clean`): a member sits in a cell, a pool's owner is a grassroots unit of
its cycle's bloc, a rating's member sits under its pool's owner, a score's criterion belongs to
its rating's cycle. Acting users (`changed_by`, `decided_by` …) are left empty, as the services
leave them without one. Factories of uploaded files write a small PDF to MEDIA_ROOT: tests that
use them point MEDIA_ROOT at a temporary folder.
"""

import datetime
import hashlib
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from members.models import (
    CollectiveKind,
    CollectiveMembership,
    DisciplineForm,
    DisciplineRecord,
    FactChange,
    Gender,
    ImportBatch,
    ImportKind,
    LeadershipCollective,
    ManagingLevel,
    Member,
    MembershipEvent,
    StatusPeriod,
)
from organizations.models import (
    GrassrootsType,
    Organization,
    OrganizationChange,
    OrganizationKind,
    Role,
    RoleAssignment,
)
from reports.models import DocumentFields, DocumentFieldsChange, ExportJob
from reviews.models import (
    Criterion,
    CriterionPart,
    CriterionScore,
    CycleChange,
    CycleStatus,
    CycleTransition,
    DossierItem,
    DossierKind,
    Framework,
    GuidingDocument,
    Level,
    MeetingAttendance,
    Notification,
    Pool,
    PoolFlag,
    PoolFlagKind,
    PoolState,
    PoolTransition,
    QuarterAssessment,
    Question,
    QuestionAttachment,
    QuestionMessage,
    QuotaException,
    Rating,
    RatingChange,
    ReRating,
    ReviewCycle,
    ReviewMeeting,
    ReviewMeetingChange,
    RuleSetCode,
    SelfReview,
    SelfReviewChange,
    SelfReviewForm,
    SubjectKind,
    Submission,
    SubmissionState,
    SubmissionTransition,
    Suggestion,
    SuggestionEvent,
    SuggestionIssue,
    TaskEvidence,
    TaskItem,
    TaskItemChange,
)

#: The bytes of every uploaded file the factories make.
PDF_BYTES = b"%PDF-1.4\n% kiemdiem test file\n"


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

    @classmethod
    def _build(cls, model_class, *args, parent=None, **kwargs):
        return model_class(**kwargs)


class BlocFactory(OrganizationFactory):
    name = "Đảng bộ Khối các cơ quan tỉnh"
    code = factory.Sequence(lambda n: f"DUK{n}")


class GrassrootsCommitteeFactory(OrganizationFactory):
    """Without `parent=`, under a new bloc (each kind has a parent it may sit under)."""

    kind = OrganizationKind.GRASSROOTS_COMMITTEE
    grassroots_type = GrassrootsType.STATE_AGENCY
    name = factory.Sequence(lambda n: f"Đảng bộ cơ sở {n}")
    parent = factory.SubFactory(BlocFactory)


class GrassrootsCellFactory(OrganizationFactory):
    kind = OrganizationKind.GRASSROOTS_CELL
    grassroots_type = GrassrootsType.PUBLIC_SERVICE_PUBLIC
    name = factory.Sequence(lambda n: f"Chi bộ cơ sở {n}")
    parent = factory.SubFactory(BlocFactory)


class SubCommitteeFactory(OrganizationFactory):
    kind = OrganizationKind.SUB_COMMITTEE
    name = factory.Sequence(lambda n: f"Đảng bộ bộ phận {n}")
    parent = factory.SubFactory(GrassrootsCommitteeFactory)


class CellFactory(OrganizationFactory):
    kind = OrganizationKind.CELL
    name = factory.Sequence(lambda n: f"Chi bộ {n}")
    parent = factory.SubFactory(GrassrootsCommitteeFactory)


class OrganizationChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganizationChange

    organization = factory.SubFactory(GrassrootsCommitteeFactory)
    kind = OrganizationChange.Kind.CREATED
    new_values = factory.LazyAttribute(
        lambda o: {"name": o.organization.name, "code": o.organization.code}
    )


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
    organization = factory.SubFactory(BlocFactory)
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
    organization = factory.SubFactory(GrassrootsCellFactory)


class StatusPeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StatusPeriod

    member = factory.SubFactory(MemberFactory)
    kind = StatusPeriod.Kind.SICK_LEAVE
    starts_on = datetime.date(2021, 2, 1)


class MembershipEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MembershipEvent

    member = factory.SubFactory(MemberFactory)
    kind = MembershipEvent.Kind.ADMITTED
    occurred_on = factory.SelfAttribute("member.admitted_on")
    to_organization = factory.SelfAttribute("member.organization")


class DisciplineRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DisciplineRecord

    member = factory.SubFactory(MemberFactory)
    form = DisciplineForm.REPRIMAND
    decision_number = factory.Sequence(lambda n: f"{n}-QĐ/ĐU")
    decided_on = datetime.date(2021, 6, 1)
    violation = "Vi phạm quy định về những điều đảng viên không được làm."


class LeadershipCollectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LeadershipCollective

    organization = factory.SubFactory(GrassrootsCommitteeFactory)
    name = factory.Sequence(lambda n: f"Ban Chấp hành Đảng bộ {n}")
    kind = CollectiveKind.PARTY_COMMITTEE
    managing_level = ManagingLevel.DISTRICT
    formed_on = datetime.date(2020, 7, 1)


class CollectiveMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CollectiveMembership

    collective = factory.SubFactory(LeadershipCollectiveFactory)
    #: A member of a cell of the unit the collective leads.
    member = factory.SubFactory(
        MemberFactory,
        organization=factory.SubFactory(
            CellFactory, parent=factory.SelfAttribute("...collective.organization")
        ),
    )
    position = "Ủy viên"
    starts_on = datetime.date(2020, 7, 1)


class ReviewCycleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReviewCycle

    organization = factory.SubFactory(BlocFactory)
    year = 2021
    title = "Kỳ kiểm điểm, đánh giá, xếp loại chất lượng năm 2021"
    rule_set = RuleSetCode.HD21_2019
    deadline = datetime.date(2021, 11, 25)
    reference_date = datetime.date(2021, 11, 15)
    quota_rate = Decimal("0.200")


class ImportBatchFactory(factory.django.DjangoModelFactory):
    """A previewed members workbook (no stored file: `file` may be empty)."""

    class Meta:
        model = ImportBatch

    kind = ImportKind.MEMBERS
    file_name = "danh-sach-dang-vien.xlsx"
    size = 4096
    sha256 = factory.Sequence(lambda n: f"{n:064x}")
    organization = factory.SubFactory(BlocFactory)
    uploaded_by = factory.SubFactory(UserFactory)


class FactChangeFactory(factory.django.DjangoModelFactory):
    """A member's leadership post entered (the history `members.services` keeps)."""

    class Meta:
        model = FactChange

    subject = FactChange.Subject.MEMBER
    action = FactChange.Action.UPDATED
    member = factory.SubFactory(
        MemberFactory, leadership_post="Trưởng phòng", managing_level=ManagingLevel.GRASSROOTS
    )
    record_id = factory.SelfAttribute("member.pk")
    label = factory.LazyAttribute(lambda o: str(o.member))
    old_values = factory.Dict({"leadership_post": "", "managing_level": ""})
    new_values = factory.LazyAttribute(
        lambda o: {
            "leadership_post": o.member.leadership_post,
            "managing_level": o.member.managing_level,
        }
    )


class ScoredCycleFactory(ReviewCycleFactory):
    """A QĐ 366 cycle (scores out of 100), with the settings `cycle_create` copies from it."""

    year = 2026
    title = "Kỳ kiểm điểm, đánh giá, xếp loại chất lượng năm 2026"
    rule_set = RuleSetCode.QD366_2025
    deadline = datetime.date(2027, 2, 1)
    reference_date = datetime.date(2026, 12, 31)
    exception_ceiling = Decimal("0.250")
    finish_by = datetime.date(2026, 12, 31)
    special_finish_by = datetime.date(2027, 1, 15)
    score_excellent_min = Decimal("90")
    score_good_min = Decimal("70")
    score_completed_min = Decimal("50")
    tasks_beyond_min_percent = Decimal("30")
    tasks_late_max_percent = Decimal("20")
    unit_tasks_trigger_percent = Decimal("70")


class CycleTransitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CycleTransition

    cycle = factory.SubFactory(ReviewCycleFactory, status=CycleStatus.OPEN)
    from_state = CycleStatus.DRAFT
    to_state = factory.SelfAttribute("cycle.status")


class CycleChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CycleChange

    cycle = factory.SubFactory(ReviewCycleFactory)
    old_values = factory.Dict({"deadline": "2021-11-20"})
    new_values = factory.LazyAttribute(lambda o: {"deadline": o.cycle.deadline.isoformat()})


class _UploadFactory(factory.django.DjangoModelFactory):
    """The fields of a stored upload: a small PDF, its name, type, size and SHA-256."""

    class Meta:
        abstract = True

    original_name = "van-ban.pdf"
    file = factory.django.FileField(filename="van-ban.pdf", data=PDF_BYTES)
    content_type = "application/pdf"
    size = len(PDF_BYTES)
    sha256 = hashlib.sha256(PDF_BYTES).hexdigest()


class GuidingDocumentFactory(_UploadFactory):
    class Meta:
        model = GuidingDocument

    cycle = factory.SubFactory(ReviewCycleFactory)
    number = factory.Sequence(lambda n: f"{n + 1}-CV/ĐUK")
    issued_on = datetime.date(2021, 10, 20)
    title = "Về việc kiểm điểm, đánh giá, xếp loại chất lượng năm 2021"


class QuestionFactory(factory.django.DjangoModelFactory):
    """An open question from a grassroots unit of the cycle's bloc."""

    class Meta:
        model = Question

    cycle = factory.SubFactory(ReviewCycleFactory)
    unit = factory.SubFactory(
        GrassrootsCommitteeFactory, parent=factory.SelfAttribute("..cycle.organization")
    )
    title = factory.Sequence(lambda n: f"Vướng mắc số {n + 1}")


class QuestionMessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QuestionMessage

    question = factory.SubFactory(QuestionFactory)
    kind = QuestionMessage.Kind.ASKED
    text = "Đảng viên nghỉ ốm dài ngày được xếp loại thế nào?"


class QuestionAttachmentFactory(_UploadFactory):
    class Meta:
        model = QuestionAttachment

    question = factory.SubFactory(QuestionFactory)


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    user = factory.SubFactory(UserFactory)
    message = "Báo cáo của đơn vị đã được phê duyệt."
    link = "/"


class PoolFactory(factory.django.DjangoModelFactory):
    """The members' pool a grassroots unit of the cycle's bloc decides (HD 21: one per kind)."""

    class Meta:
        model = Pool

    cycle = factory.SubFactory(ReviewCycleFactory)
    owner = factory.SubFactory(
        GrassrootsCommitteeFactory, parent=factory.SelfAttribute("..cycle.organization")
    )
    subject_kind = SubjectKind.MEMBER


class FinalizedPoolFactory(PoolFactory):
    state = PoolState.FINALIZED
    finalized_at = factory.LazyFunction(timezone.now)


class PoolTransitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PoolTransition

    pool = factory.SubFactory(FinalizedPoolFactory)
    from_state = PoolState.OPEN
    to_state = factory.SelfAttribute("pool.state")


class QuotaExceptionFactory(factory.django.DjangoModelFactory):
    """A 25% rate allowed, up to the cycle's exception ceiling."""

    class Meta:
        model = QuotaException

    pool = factory.SubFactory(PoolFactory, cycle__exception_ceiling=Decimal("0.250"))
    rate = factory.SelfAttribute("pool.cycle.exception_ceiling")
    reason = "Đơn vị có thành tích nổi bật được cấp có thẩm quyền khen thưởng."
    reference = factory.Sequence(lambda n: f"{n + 1}-QĐ/ĐUK")


def _member_under(owner_path: str):
    """A member of a new cell under the organization at `owner_path` (a SelfAttribute path)."""
    return factory.SubFactory(
        MemberFactory,
        organization=factory.SubFactory(CellFactory, parent=factory.SelfAttribute(owner_path)),
    )


class PoolFlagFactory(factory.django.DjangoModelFactory):
    """A member registered into a finalized pool: it waits for its deciding body."""

    class Meta:
        model = PoolFlag

    pool = factory.SubFactory(FinalizedPoolFactory)
    member = _member_under("...pool.owner")
    kind = PoolFlagKind.REGISTERED
    message = factory.LazyAttribute(lambda o: f"Đảng viên {o.member.full_name} mới được đăng ký.")


def _unit_of_subject(rating) -> Organization:
    if rating.subject_kind == SubjectKind.ORGANIZATION:
        return rating.organization
    if rating.subject_kind == SubjectKind.COLLECTIVE:
        return rating.collective.organization
    return rating.member.organization


class RatingFactory(factory.django.DjangoModelFactory):
    """A member's rating in a pool: the member sits in a cell of the pool's owner.

    For another kind of subject pass `subject_kind=`, the subject and `member=None` (the pool
    made for it is of the same kind).
    """

    class Meta:
        model = Rating

    subject_kind = SubjectKind.MEMBER
    pool = factory.SubFactory(PoolFactory, subject_kind=factory.SelfAttribute("..subject_kind"))
    cycle = factory.SelfAttribute("pool.cycle")
    member = _member_under("...pool.owner")
    unit = factory.LazyAttribute(_unit_of_subject)


class DecidedRatingFactory(RatingFactory):
    self_level = Level.GOOD
    proposal_level = Level.GOOD
    decision_level = Level.GOOD
    decided_at = factory.LazyFunction(timezone.now)


class RatingChangeFactory(factory.django.DjangoModelFactory):
    """The self-rating of a rating, entered."""

    class Meta:
        model = RatingChange

    rating = factory.SubFactory(RatingFactory, self_level=Level.GOOD)
    field = "self_level"
    old_value = ""
    new_value = factory.SelfAttribute("rating.self_level")
    reason = "Nhập kết quả tự đánh giá"


class ReRatingFactory(factory.django.DjangoModelFactory):
    """A decided "good" rated again "completed" after later findings (the rating holds the new
    level, as `rating_rerate` leaves it)."""

    class Meta:
        model = ReRating

    rating = factory.SubFactory(DecidedRatingFactory, decision_level=Level.COMPLETED)
    old_level = Level.GOOD
    new_level = factory.SelfAttribute("rating.decision_level")
    findings = "Kết luận kiểm tra phát hiện vi phạm sau khi đã xếp loại."
    reference = factory.Sequence(lambda n: f"{n + 1}-QĐ/ĐU")
    decided_on = datetime.date(2022, 3, 15)


class CriterionFactory(factory.django.DjangoModelFactory):
    """A leaf of the general part of a QĐ 366 cycle's members' criteria."""

    class Meta:
        model = Criterion

    cycle = factory.SubFactory(ScoredCycleFactory)
    framework = Framework.MEMBER
    part = CriterionPart.GENERAL
    code = factory.Sequence(lambda n: f"1.{n + 1}")
    order = factory.Sequence(lambda n: n + 1)
    title = "Về tư tưởng chính trị"
    max_points = Decimal("10.0")


class CriterionScoreFactory(factory.django.DjangoModelFactory):
    """A score within its criterion's maximum, on a rating of the criterion's cycle."""

    class Meta:
        model = CriterionScore

    rating = factory.SubFactory(RatingFactory, pool__cycle=factory.SubFactory(ScoredCycleFactory))
    criterion = factory.SubFactory(CriterionFactory, cycle=factory.SelfAttribute("..rating.cycle"))
    self_points = Decimal("9.0")
    decided_points = Decimal("8.5")


class SubmissionFactory(factory.django.DjangoModelFactory):
    """A grassroots unit's report, still being entered."""

    class Meta:
        model = Submission

    cycle = factory.SubFactory(ReviewCycleFactory)
    organization = factory.SubFactory(
        GrassrootsCommitteeFactory, parent=factory.SelfAttribute("..cycle.organization")
    )


class SubmissionTransitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SubmissionTransition

    submission = factory.SubFactory(
        SubmissionFactory,
        state=SubmissionState.SUBMITTED,
        submitted_at=factory.LazyFunction(timezone.now),
        first_submitted_at=factory.SelfAttribute("submitted_at"),
    )
    from_state = SubmissionState.DRAFT
    to_state = factory.SelfAttribute("submission.state")


class DossierItemFactory(_UploadFactory):
    class Meta:
        model = DossierItem

    submission = factory.SubFactory(SubmissionFactory)
    kind = DossierKind.MINUTES
    original_name = "bien-ban-hoi-nghi.pdf"


class SuggestionFactory(factory.django.DjangoModelFactory):
    """A draft suggestion to the leadership collective of a grassroots unit of the cycle's bloc.

    For a suggestion to a leader pass `member=` and `collective=None`.
    """

    class Meta:
        model = Suggestion

    cycle = factory.SubFactory(ReviewCycleFactory)
    collective = factory.SubFactory(
        LeadershipCollectiveFactory,
        organization=factory.SubFactory(
            GrassrootsCommitteeFactory, parent=factory.SelfAttribute("...cycle.organization")
        ),
    )
    addressed_to = factory.LazyAttribute(
        lambda o: (
            o.collective.organization if o.collective else o.member.organization.grassroots_unit()
        )
    )
    managing_level = factory.LazyAttribute(
        lambda o: (
            o.collective.managing_level
            if o.collective
            else o.member.managing_level or ManagingLevel.GRASSROOTS
        )
    )
    title = factory.LazyAttribute(lambda o: f"Gợi ý kiểm điểm {o.collective or o.member}")


class SuggestionIssueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SuggestionIssue

    suggestion = factory.SubFactory(SuggestionFactory)
    order = factory.Sequence(lambda n: n + 1)
    text = "Chậm triển khai nghị quyết của cấp trên."


class SuggestionEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SuggestionEvent

    suggestion = factory.SubFactory(SuggestionFactory)
    action = SuggestionEvent.Action.DRAFTED


class SelfReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SelfReview

    rating = factory.SubFactory(RatingFactory)
    form = SelfReviewForm.UNSCORED_INDIVIDUAL
    strengths = "Hoàn thành nhiệm vụ được giao."
    shortcomings = "Có lúc chưa chủ động."
    remedies = "Lập kế hoạch công việc hằng tuần."


class SelfReviewChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SelfReviewChange

    self_review = factory.SubFactory(SelfReviewFactory)
    action = SelfReviewChange.Action.SAVED
    sections = ["strengths"]


class DocumentFieldsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DocumentFields

    cycle = factory.SubFactory(ReviewCycleFactory)
    organization = factory.SelfAttribute("cycle.organization")
    number = "12"
    signer_name = "Nguyễn Văn Ký"


class DocumentFieldsChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DocumentFieldsChange

    document = factory.SubFactory(DocumentFieldsFactory)
    old_values = {"number": ""}
    new_values = {"number": "12"}


class ExportJobFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExportJob

    cycle = factory.SubFactory(ReviewCycleFactory)
    organization = factory.SelfAttribute("cycle.organization")
    fmt = "xlsx"
    requested_by = factory.SubFactory(UserFactory)


class ReviewMeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReviewMeeting

    cycle = factory.SubFactory(ReviewCycleFactory)
    organization = factory.LazyAttribute(
        lambda meeting: CellFactory(
            parent=GrassrootsCommitteeFactory(parent=meeting.cycle.organization)
        )
    )
    held_on = datetime.date(2021, 11, 12)
    place = "Hội trường Sở"


class MeetingAttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingAttendance

    meeting = factory.SubFactory(ReviewMeetingFactory)
    member = factory.LazyAttribute(lambda row: MemberFactory(organization=row.meeting.organization))
    present = True


class ReviewMeetingChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReviewMeetingChange

    meeting = factory.SubFactory(ReviewMeetingFactory)
    fields = ["place"]


class QuarterAssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QuarterAssessment

    rating = factory.SubFactory(RatingFactory)
    quarter = 1
    tasks = "Tham mưu văn bản."
    self_level = Level.GOOD


class TaskItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TaskItem

    rating = factory.SubFactory(RatingFactory)
    title = "Tham mưu đề án"
    due_on = datetime.date(2021, 9, 30)


class TaskItemChangeFactory(factory.django.DjangoModelFactory):
    """The evidence of a task, entered."""

    class Meta:
        model = TaskItemChange

    task = factory.SubFactory(TaskItemFactory, evidence="Tờ trình số 12")
    field = "evidence"
    old_value = ""
    new_value = factory.SelfAttribute("task.evidence")


class TaskEvidenceFactory(_UploadFactory):
    class Meta:
        model = TaskEvidence

    task = factory.SubFactory(TaskItemFactory)
    original_name = "to-trinh.pdf"
