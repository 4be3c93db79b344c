"""The 2026 demo's data: the reorganization of 1/7/2025 and the 2026 cycle under QĐ 366.

Tables only; `demo.year_2026` applies them to the 2021 bloc (DOMAIN.md §13, §15).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from members.models import CollectiveKind
from organizations.models import Role
from reviews.models import Level, ShortcomingsFixed

SEED_2026 = 20261130
REORGANIZED_ON = datetime.date(2025, 7, 1)
YEAR_2026 = 2026
#: The first cycle on the tree of 1/7/2025, closed before 2026 opens.
YEAR_2025 = 2025
CYCLE_TITLE_2026 = "Kỳ kiểm điểm, đánh giá, xếp loại chất lượng năm 2026"
#: The new units' code: the 2021 code with this suffix.
CODE_SUFFIX = "-25"

#: The two party committees that replaced the bloc on 1/7/2025, directly under the Tỉnh ủy.
PARTY_ROOT = ("DBCQD", "Đảng bộ các cơ quan Đảng tỉnh Đồng Nai")
GOVERNMENT_ROOT = ("DBUB", "Đảng bộ Ủy ban nhân dân tỉnh Đồng Nai")
ROOTS_ADDRESS = "Phường Trấn Biên, tỉnh Đồng Nai"
#: Besides the units of type 04 (Party, Front, mass organizations): the courts and procuracy.
TO_PARTY_ROOT = frozenset({"TAND", "VKSND"})

#: The mergers of 2025 (Nghị quyết 18-NQ/TW): the key's unit ends and the value carries on.
MERGED_INTO = {
    "SKHDT": "STC",
    "SGTVT": "SXD",
    "STNMT": "SNN",
    "VPDP": "SNN",
    "STTTT": "SKHCN",
    "SLDTBXH": "SNV",
    "SNGV": "VPUB",
}
RENAMED = {
    "SNN": "Đảng bộ Sở Nông nghiệp và Môi trường",
    "BDT": "Chi bộ Sở Dân tộc và Tôn giáo",
    "CQDUK": "Chi bộ Cơ quan Đảng ủy các cơ quan Đảng tỉnh",
    "CTK": "Chi bộ Thống kê tỉnh Đồng Nai",
}
REORGANIZATION_NOTE = "Sắp xếp tổ chức bộ máy theo Nghị quyết 18-NQ/TW, từ ngày 01/7/2025"

LEGAL_REFERENCES_2026 = (
    "Quy định số 366-QĐ/TW ngày 30/8/2025 của Bộ Chính trị về kiểm điểm, đánh giá, xếp loại "
    "chất lượng hằng năm đối với tập thể, cá nhân trong hệ thống chính trị",
    "Hướng dẫn số 43-HD/BTCTW ngày 31/10/2025 của Ban Tổ chức Trung ương",
    "Kết luận số 198-KL/TW ngày 08/10/2025 của Bộ Chính trị",
)
GUIDING_DOCUMENTS_2026 = (
    (
        "43-HD/BTCTW",
        datetime.date(2025, 10, 31),
        "Hướng dẫn kiểm điểm, đánh giá, xếp loại chất lượng hằng năm đối với tập thể, cá nhân "
        "trong hệ thống chính trị",
        "huong-dan-43",
    ),
    (
        "12-KH/ĐU",
        datetime.date(2026, 10, 20),
        "Kế hoạch kiểm điểm, đánh giá, xếp loại chất lượng năm 2026",
        "ke-hoach-12",
    ),
)

#: (title, [(username, role, unit code or "cell")]): the 2021 accounts also work on their
#: successors in 2026; they keep their 2021 roles, so they see both years.
ROLES_2026 = (
    ("bantochuc", Role.ORGANIZATION_BOARD, GOVERNMENT_ROOT[0]),
    ("uybankiemtra", Role.INSPECTION_COMMITTEE, GOVERNMENT_ROOT[0]),
    ("vanphong", Role.OFFICE, GOVERNMENT_ROOT[0]),
    ("xem", Role.VIEWER, GOVERNMENT_ROOT[0]),
    ("canbo.stc", Role.CLERK, "STC"),
    ("canbo.chibo", Role.CLERK, "BDT"),
    ("bithu.chibo", Role.CELL_SECRETARY, "cell"),
)
#: The one account new in 2026: the Organization Board of the Đảng bộ các cơ quan Đảng tỉnh.
NEW_ACCOUNT_2026 = ("bantochuc.cqd", "Lâm Thị", "Hạnh", Role.ORGANIZATION_BOARD, PARTY_ROOT[0])


class Stage2026:
    """Where each unit stands on 2/12/2026, four weeks before the 31/12 deadline."""

    APPROVED = "approved"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    DECIDING = "deciding"  # decisions typed in as the minutes are read, not yet cut to the quota
    PROPOSED = "proposed"
    STARTED = "started"

    DECIDED = frozenset({APPROVED, SUBMITTED, RETURNED})
    #: Shares of the units at each stage (the rest are STARTED).
    SHARES = ((APPROVED, 0.28), (SUBMITTED, 0.14), (RETURNED, 0.04), (DECIDING, 0.08))


#: Units at a fixed stage at every scale: the exception's unit is approved; Sở Tài chính (the
#: clerk's unit) is deciding, its member pool over the quota, for the walk-through.
PRIORITY_2026 = {"BVDK": Stage2026.APPROVED, "STC": Stage2026.DECIDING}
#: The 25% exception: granted by the Standing Board to an outstanding unit's members.
EXCEPTION_UNIT = "BVDK"
EXCEPTION_RATE = Decimal("0.250")
EXCEPTION_REASON = (
    "Đảng bộ tiêu biểu xuất sắc năm 2026: hoàn thành vượt mức 100% chỉ tiêu, được Bộ Y tế "
    "tặng Cờ thi đua (QĐ 366-QĐ/TW: đơn vị nổi bật được xem xét tỷ lệ đến 25%)."
)
EXCEPTION_REFERENCE = "215-QĐ/ĐU"

#: Total scores drawn for each level (QĐ 366, Điều 11 bands), and the task results with them.
SCORE_RANGES = {
    Level.EXCELLENT: (Decimal(90), Decimal(97)),
    Level.GOOD: (Decimal("72"), Decimal("88.5")),
    Level.COMPLETED: (Decimal(52), Decimal("68.5")),
    Level.NOT_COMPLETED: (Decimal(38), Decimal("48.5")),
}
TASKS_FOR_LEVEL = {
    Level.EXCELLENT: {
        "tasks_done_percent": Decimal(100),
        "tasks_beyond": (30, 48),
        "tasks_late_percent": Decimal(0),
        "shortcomings_fixed": (ShortcomingsFixed.FIXED, ShortcomingsFixed.NONE),
    },
    Level.GOOD: {
        "tasks_done_percent": Decimal(100),
        "tasks_beyond": (0, 25),
        "tasks_late_percent": Decimal(0),
        "shortcomings_fixed": (ShortcomingsFixed.FIXED, ShortcomingsFixed.IN_PROGRESS),
    },
    Level.COMPLETED: {
        "tasks_done_percent": Decimal(100),
        "tasks_beyond": (0, 5),
        "tasks_late": (5, 20),
        "shortcomings_fixed": (ShortcomingsFixed.IN_PROGRESS, ShortcomingsFixed.NOT_FIXED),
    },
    Level.NOT_COMPLETED: {
        "tasks_done": (40, 49),
        "tasks_beyond": (0, 0),
        "tasks_late": (25, 40),
        "shortcomings_fixed": (ShortcomingsFixed.NOT_FIXED,),
    },
}

#: New committees after the 2025–2030 congresses; the roots' standing boards from 1/7/2025.
COMMITTEE_FORMED = (datetime.date(2025, 8, 4), datetime.date(2025, 9, 26))
ROOT_BOARD_KIND = CollectiveKind.STANDING_BOARD
ROOT_BOARD_SIZE = 9

#: 2026 cases the rules treat differently from 2021.
NEW_MEMBERS_2026 = (
    ("Nguyễn Thị Thanh Trúc", "F", datetime.date(1998, 4, 12), datetime.date(2026, 9, 2)),
    ("Lê Hoàng Phúc", "M", datetime.date(1997, 11, 3), datetime.date(2026, 7, 15)),
)
DISCIPLINE_2026 = (
    "Khiển trách",
    "Vi phạm quy định về quản lý tài chính, tài sản công trong thực hiện nhiệm vụ được giao.",
)
SICK_LEAVE_2026 = (datetime.date(2026, 2, 2), datetime.date(2026, 8, 31))
SICK_LEAVE_QUESTION = (
    "Đảng viên nghỉ ốm dài ngày năm 2026",
    "Đồng chí {name} nghỉ ốm gần 7 tháng trong năm 2026. Theo QĐ 366 có còn giới hạn mức "
    "xếp loại như năm trước không?",
    "QĐ 366-QĐ/TW, Điều 5; HD 43-HD/BTCTW, mục 7",
    "Theo QĐ 366-QĐ/TW, đảng viên nghỉ ốm từ 3 tháng trở lên được đánh giá, xếp loại trên cơ "
    "sở kết quả công việc thực tế; không còn giới hạn cao nhất “Hoàn thành nhiệm vụ” như "
    "HD 21-HD/BTCTW. Áp dụng chung cho các đơn vị.",
)
RETURN_COMMENT_2026 = (
    "Phiếu chấm điểm của 3 đảng viên chưa có điểm từng tiêu chí phần kết quả thực hiện nhiệm "
    "vụ; đề nghị bổ sung và gửi lại."
)
