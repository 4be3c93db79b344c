"""The papers kiemdiem writes, in the demo (issue #14): in the cell secretary's cell of Sở Tài
chính one member writes his own self-review with the account `dangvien`, in 2021 and again in
2026, where the 2021 form's shortcomings come pre-filled; his clerk has written the others' forms,
some finished, some drafts; the cell's review meeting is minuted in both years (in 2026 its draft
report went out a day late, so the page warns).
"""

from __future__ import annotations

import datetime
import random
from typing import Any

from demo.data_2021 import DEMO_PASSWORD, SECRETARY_CELL, Account
from demo.year_2021 import _aware, demo_account_create
from members.services import member_update
from organizations.models import Organization
from reviews.models import QUARTERS, Level, Rating, ReviewCycle, SubjectKind, quarter_deadline
from reviews.services.meetings import Presence, meeting_participants, meeting_record
from reviews.services.quarters import quarter_assess, quarter_self_assess
from reviews.services.self_reviews import self_review_finish, self_review_open, self_review_save
from reviews.services.tasks import TaskEntry, task_register_import

#: The member who writes his own form (his name is the demo member's, set when linked).
AUTHOR_USERNAME = "dangvien"
AUTHOR_ROLE = "Đảng viên (tự viết bản kiểm điểm)"
#: Forms written by the clerk in the cell besides the author's: finished ones, then drafts.
FINISHED, DRAFTS = 4, 2

STRENGTHS = (
    "Luôn chấp hành nghiêm chủ trương, đường lối của Đảng, chính sách, pháp luật của Nhà nước; "
    "giữ gìn phẩm chất đạo đức, lối sống giản dị.\n"
    "Hoàn thành các nhiệm vụ chuyên môn được giao đúng tiến độ, bảo đảm chất lượng; tích cực "
    "tham gia sinh hoạt chi bộ và các phong trào của cơ quan.",
    "Có lập trường chính trị vững vàng, đoàn kết, giúp đỡ đồng nghiệp.\n"
    "Tham mưu kịp thời các văn bản thuộc lĩnh vực được phân công; đóng đảng phí đầy đủ, "
    "đúng quy định.",
    "Thực hiện tốt quy chế làm việc, nội quy cơ quan; gương mẫu trong thực hành tiết kiệm.\n"
    "Chủ động nghiên cứu, học tập nâng cao trình độ chuyên môn, nghiệp vụ.",
)
SHORTCOMINGS = (
    "Có lúc chưa chủ động đề xuất giải pháp khi nhiệm vụ phát sinh; việc cập nhật văn bản mới "
    "còn chậm.\nNguyên nhân: khối lượng công việc lớn, thời gian tự nghiên cứu còn ít.",
    "Tham gia ý kiến trong sinh hoạt chi bộ chưa nhiều.\nNguyên nhân: còn ngại va chạm.",
    "Một số báo cáo định kỳ nộp chưa đúng hạn.\nNguyên nhân: chưa sắp xếp công việc hợp lý.",
)
REMEDIES = (
    "Lập kế hoạch công việc hằng tuần, thường xuyên cập nhật văn bản mới; mạnh dạn đề xuất, "
    "tham gia ý kiến trong sinh hoạt chi bộ.",
    "Sắp xếp công việc khoa học, báo cáo đúng hạn; tích cực tự học tập, rèn luyện.",
)
FIXED_2026 = (
    "Đã khắc phục: từ quý II/2026 lập kế hoạch công việc hằng tuần, các văn bản mới được cập nhật "
    "kịp thời; mạnh dạn đề xuất giải pháp trong các cuộc họp chuyên môn."
)


def _cell_ratings(cycle: ReviewCycle, cell: Organization) -> list[Rating]:
    return list(
        Rating.objects.filter(cycle=cycle, unit=cell, subject_kind=SubjectKind.MEMBER)
        .filter(not_rated_reason="")
        .select_related("member", "cycle", "unit")
        .order_by("member__sort_key", "pk")
    )


def _write(rating: Rating, user, at: datetime.datetime, sections: dict, *, finish: bool) -> None:
    self_review = self_review_open(rating=rating, acting_user=user)
    self_review = self_review_save(
        self_review=self_review,
        sections=sections,
        expected_version=self_review.version,
        acting_user=user,
        at=at,
    )
    if finish:
        self_review_finish(self_review=self_review, acting_user=user, at=at)


def _sections(rng: random.Random) -> dict[str, str]:
    return {
        "strengths": rng.choice(STRENGTHS),
        "shortcomings": rng.choice(SHORTCOMINGS),
        "explanations": "Không có vấn đề được gợi ý.",
        "responsibility": "Không.",
        "remedies": rng.choice(REMEDIES),
    }


def _author_account(member) -> Any:
    names = member.full_name.rsplit(" ", 1)
    user = demo_account_create(
        AUTHOR_USERNAME, last_name=names[0], first_name=names[-1] if len(names) > 1 else ""
    )
    member_update(member=member, account=user)
    return user


def papers_2021(builder: Any) -> None:
    """Before the units send their reports: the author's form and his cell's, finished between
    8 and 15/11/2021."""
    rng = random.Random(2021_11)  # noqa: S311 - demo data, not secrets
    cell = builder.orgs[builder.cell_named(*SECRETARY_CELL)]
    ratings = _cell_ratings(builder.cycle, cell)
    staying = [r for r in ratings if r.member.left_on is None]
    if not staying:
        return
    ratings = [staying[0], *(r for r in ratings if r != staying[0])]
    author = _author_account(ratings[0].member)
    builder.users[AUTHOR_USERNAME] = author
    clerk = builder.users["canbo.stc"]
    for index, rating in enumerate(ratings[: 1 + FINISHED]):
        day = datetime.date(2021, 11, 8 + index)
        at = _aware(day, 9 + index % 6, 15)
        sections = _sections(rng)
        if index == 0:
            sections["shortcomings"] = SHORTCOMINGS[0]
        _write(rating, author if index == 0 else clerk, at, sections, finish=True)
    _minutes(
        builder.cycle,
        cell,
        clerk,
        held_on=datetime.date(2021, 11, 12),
        draft_sent_on=datetime.date(2021, 11, 5),
    )


def papers_2026(builder: Any, cycle: ReviewCycle, cell: Organization) -> None:
    """The author's 2026 form as a draft (last year's shortcomings pre-filled, section III
    answered), and his cell's: some finished, some drafts."""
    rng = random.Random(2026_11)  # noqa: S311 - demo data, not secrets
    author = builder.users.get(AUTHOR_USERNAME)
    own = list(
        Rating.objects.filter(
            cycle=cycle,
            member__account=author,
            subject_kind=SubjectKind.MEMBER,
            not_rated_reason="",
        ).select_related("member", "cycle", "unit")
        if author is not None
        else []
    )
    others = [r for r in _cell_ratings(cycle, cell) if r not in own]
    clerk = builder.users["canbo.stc"]
    for rating in own:
        _task_register(rating, author)
        sections = _sections(rng)
        sections["previous_shortcomings"] = FIXED_2026
        del sections["remedies"]  # still writing
        _write(rating, author, _aware(datetime.date(2026, 11, 30), 20, 10), sections, finish=False)
    for index, rating in enumerate(others[: FINISHED + DRAFTS]):
        at = _aware(datetime.date(2026, 11, 20 + index), 8 + index % 8, 30)
        _write(rating, clerk, at, _sections(rng), finish=index < FINISHED)
    # Sent on Tuesday for a Thursday meeting: two working days, one short (the page warns).
    _minutes(
        cycle,
        cell,
        clerk,
        held_on=datetime.date(2026, 11, 26),
        draft_sent_on=datetime.date(2026, 11, 24),
    )
    _quarters(cycle, cell, clerk)


def _quarters(cycle, cell, clerk) -> None:
    """Q1–Q3 of the cell's people, self-assessed and assessed by the 15th of each quarter's
    last month (KL 198); one member twice "Không hoàn thành nhiệm vụ" in a row, so the Board's
    dashboard lists him for the personnel body. Each quarter's level follows the year's."""
    ratings = list(
        Rating.objects.filter(cycle=cycle, unit=cell, not_rated_reason="")
        .filter(subject_kind__in=[SubjectKind.MEMBER, SubjectKind.LEADER])
        .select_related("cycle", "member", "unit", "pool")
        .order_by("subject_kind", "member__sort_key")
    )
    weak = next(
        (
            r
            for r in reversed(ratings)
            if r.subject_kind == SubjectKind.MEMBER
            and r.decision_level in ("", Level.COMPLETED, Level.NOT_COMPLETED)
        ),
        None,
    )
    for rating in ratings:
        year_level = rating.decision_level or rating.proposal_level or Level.GOOD
        for quarter in QUARTERS:
            level = year_level
            if rating == weak and quarter in (2, 3):
                level = Level.NOT_COMPLETED
            deadline = quarter_deadline(cycle.year, quarter)
            at = _aware(deadline - datetime.timedelta(days=5), 9, 0)
            row = quarter_self_assess(
                rating=rating,
                quarter=quarter,
                tasks=QUARTER_TASKS,
                results=QUARTER_RESULTS,
                self_level=year_level,
                acting_user=clerk,
                at=at,
            )
            quarter_assess(
                rating=rating,
                quarter=quarter,
                level=level,
                comment="",
                acting_user=clerk,
                expected_version=row.version,
                at=at + datetime.timedelta(days=3),
            )


#: The author's register of 2026: (title, quarter, due, done, beyond requirement, evidence).
REGISTER_2026 = (
    ("Báo cáo tổng kết công tác năm 2025 của phòng", 1, (2, 28), (2, 25), False, "Số 15-BC"),
    ("Tham mưu kế hoạch kiểm tra chuyên đề", 1, (3, 31), (3, 20), True, "Kế hoạch số 42-KH"),
    ("Dự thảo quy chế phối hợp với các sở, ngành", 2, (6, 30), (6, 26), False, ""),
    ("Rà soát thủ tục hành chính thuộc lĩnh vực phụ trách", 3, (9, 30), (9, 12), True, ""),
    ("Đề án chuyển đổi số của cơ quan", None, (10, 31), (10, 29), False, "Đề án số 07-ĐA"),
)  # fmt: skip


def _task_register(rating: Rating, author) -> None:
    """The author keeps his tasks in the register: his shares are computed from it (100% done,
    40% beyond what was required, none late), typed no more on the rating screen."""
    year = rating.cycle.year
    entries = [
        TaskEntry(
            rating=rating,
            fields={
                "title": title,
                "quarter": quarter,
                "due_on": datetime.date(year, *due),
                "done_on": datetime.date(year, *done),
                "quality": "meets",
                "beyond_requirement": beyond,
                "evidence": evidence,
            },
        )
        for title, quarter, due, done, beyond, evidence in REGISTER_2026
    ]
    task_register_import(entries=entries, acting_user=author)


QUARTER_TASKS = "Tham mưu các văn bản thuộc lĩnh vực phụ trách; tham gia các đoàn kiểm tra."
QUARTER_RESULTS = "Hoàn thành các nhiệm vụ được giao trong quý đúng tiến độ."

CONCLUSIONS = (
    "Hội nghị thống nhất kết quả tự kiểm điểm của các đồng chí đảng viên; các đồng chí có hạn "
    "chế, khuyết điểm xây dựng kế hoạch khắc phục, báo cáo chi bộ trong quý I năm sau.\n"
    "Chi bộ đề nghị cấp ủy cấp trên xem xét, quyết định xếp loại theo kết quả biểu quyết."
)


def _minutes(cycle, cell, clerk, *, held_on, draft_sent_on) -> None:
    """The cell's review meeting: chaired by its first member, minuted by the second, one
    member away on business."""
    participants = meeting_participants(cycle, cell, held_on)
    if len(participants) < 3:
        return
    away = participants[-1]
    attendance = [
        Presence(member.pk, member != away, "Đi công tác" if member == away else "")
        for member in participants
    ]
    meeting_record(
        cycle=cycle,
        organization=cell,
        acting_user=clerk,
        attendance=attendance,
        held_on=held_on,
        starts_at=datetime.time(14, 0),
        place=f"Hội trường {cell.name.removeprefix('Chi bộ ').strip()}",
        chair=participants[0],
        secretary=participants[1],
        draft_sent_on=draft_sent_on,
        conclusions=CONCLUSIONS,
    )


def author_accounts() -> list[Account]:
    """The demo's self-writing member, for the accounts table."""
    from django.contrib.auth import get_user_model

    user = (
        get_user_model()
        .objects.filter(username=AUTHOR_USERNAME)
        .select_related("member__organization")
        .first()
    )
    member = getattr(user, "member", None) if user is not None else None
    if member is None:
        return []
    return [Account(AUTHOR_USERNAME, DEMO_PASSWORD, AUTHOR_ROLE, member.organization.name)]
