"""The demo bloc: Đảng bộ Khối các cơ quan tỉnh Đồng Nai in its 2021 cycle (`manage.py load_demo`).

Everything goes through the services (organizations, members, reviews), so the demo obeys the
rules real data obeys: kinds of nodes, the HD 21 eligibility rules, the 20% quota of each pool,
finalized pools and a complete dossier before a unit submits. The few rows no service writes yet
(status periods, leadership collectives and their seats, user accounts) are plain model writes,
each checked by `full_clean` and marked below.

Deterministic: one `random.Random(SEED)` drives every choice and every date is fixed around 2021,
so two builds at one scale hold the same data (only the timestamps the services stamp differ).
Idempotent: when the bloc already exists nothing is written.
"""

from __future__ import annotations

import datetime
import io
import random
import zipfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

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
from members.services import (
    STATUS_PERIOD_FIELDS,
    member_create,
    member_discipline,
    member_transfer,
    status_period_record,
)
from organizations.models import (
    GrassrootsType,
    Organization,
    OrganizationChange,
    OrganizationKind,
    Role,
    RoleAssignment,
)
from organizations.services import organization_create, role_assign
from reviews.models import (
    LEVEL_RANK,
    REQUIRED_DOSSIER_KINDS,
    CycleStatus,
    CycleTransition,
    DossierItem,
    DossierKind,
    Level,
    Notification,
    Pool,
    PoolTransition,
    Rating,
    RatingChange,
    ReviewCycle,
    RuleSetCode,
    SubjectKind,
    Submission,
    SubmissionState,
    SubmissionTransition,
)
from reviews.quota import quota_status_from_counts
from reviews.rules import rule_set_for
from reviews.selectors import eligibilities
from reviews.services import (
    cycle_change_status,
    cycle_create,
    dossier_item_add,
    guiding_document_publish,
    issue_answer,
    issue_review,
    pool_finalize,
    question_act,
    question_ask,
    ratings_record,
    submission_change_state,
    suggestion_draft,
    suggestion_issue,
)

SEED = 20211115

GUIDING_DOCUMENTS = (
    (
        "897-CV/ĐUK",
        datetime.date(2021, 10, 21),
        "Thực hiện kiểm điểm, đánh giá, xếp loại chất lượng năm 2021 đối với tổ chức đảng, đảng "
        "viên và tập thể, cá nhân cán bộ lãnh đạo, quản lý các cấp",
        "cong-van-897",
    ),
    (
        "29-HD/ĐUK",
        datetime.date(2020, 1, 7),
        "Hướng dẫn kiểm điểm, đánh giá, xếp loại chất lượng đối với tổ chức đảng, đảng viên và "
        "tập thể lãnh đạo, cá nhân cấp ủy",
        "huong-dan-29",
    ),
)
SUGGESTION_TEXTS = (
    (
        "Gợi ý kiểm điểm Ban Chấp hành Đảng bộ Bệnh viện Đa khoa Đồng Nai năm 2021",
        [
            "Việc lãnh đạo thực hiện công tác phòng, chống dịch COVID-19 còn lúng túng ở "
            "giai đoạn đầu.",
            "Công tác kiểm tra, giám sát việc mua sắm vật tư y tế chưa thường xuyên.",
        ],
    ),
    (
        "Gợi ý kiểm điểm cá nhân Giám đốc Bệnh viện Đa khoa Đồng Nai năm 2021",
        ["Trách nhiệm người đứng đầu trong việc chậm khắc phục tồn tại sau kiểm toán."],
    ),
    (
        "Gợi ý kiểm điểm Ban Chấp hành Đảng bộ Sở Tài chính năm 2021",
        [
            "Việc thực hiện Nghị quyết về tiết kiệm, chống lãng phí chưa đạt chỉ tiêu đề ra.",
            "Sinh hoạt chi bộ ở một số chi bộ trực thuộc còn hình thức.",
        ],
    ),
)
SUGGESTION_ANSWER = (
    "Ban Chấp hành đã nghiêm túc kiểm điểm, nhận rõ hạn chế, xây dựng kế hoạch khắc phục và "
    "báo cáo kết quả khắc phục trong quý I/2022."
)
BLOC_CODE = "DUK"
BLOC_NAME = "Đảng bộ Khối các cơ quan tỉnh Đồng Nai"
DEMO_PASSWORD = "kiemdiem2021"  # noqa: S105 - the published password of the demo accounts

YEAR = 2021
REFERENCE_DATE = datetime.date(2021, 11, 15)
DEADLINE = datetime.date(2021, 11, 25)
CYCLE_TITLE = "Kỳ kiểm điểm, đánh giá, xếp loại chất lượng năm 2021"
LEGAL_REFERENCES = (
    "Quy định số 132-QĐ/TW ngày 08/3/2018 của Bộ Chính trị về việc kiểm điểm và đánh giá, xếp "
    "loại chất lượng hằng năm đối với tập thể, cá nhân trong hệ thống chính trị;\n"
    "Hướng dẫn số 21-HD/BTCTW ngày 18/10/2019 của Ban Tổ chức Trung ương về một số vấn đề cụ thể "
    "về kiểm điểm và đánh giá, xếp loại chất lượng hằng năm đối với tập thể, cá nhân trong hệ "
    "thống chính trị;\n"
    "Hướng dẫn số 29-HD/ĐUK ngày 07/01/2020 của Ban Thường vụ Đảng ủy Khối về kiểm điểm, đánh giá, "
    "xếp loại chất lượng đối với tổ chức đảng, đảng viên và tập thể lãnh đạo, cá nhân cấp ủy;\n"
    "Công văn số 897-CV/ĐUK ngày 21/10/2021 của Ban Thường vụ Đảng ủy Khối về thực hiện kiểm "
    "điểm, đánh giá, xếp loại chất lượng năm 2021."
)
#: Grassroots units at scale 1.0; cells and members follow from the units chosen.
BASE_UNITS = 80
MIN_UNITS = 8
NEW_UNIT, NEW_UNIT_FOUNDED = "BQLDA", datetime.date(2021, 7, 1)
NEW_CELL_UNIT, NEW_CELL_NAME = "STC", "Phòng Tin học và Thống kê"
NEW_CELL_FOUNDED = datetime.date(2021, 8, 2)
HISTORY_REASON = "Dữ liệu mẫu (load_demo)"
TZ = ZoneInfo(settings.TIME_ZONE)

DB = OrganizationKind.GRASSROOTS_COMMITTEE
CB = OrganizationKind.GRASSROOTS_CELL


# --- The grassroots units ------------------------------------------------------------------------
# One unit per line: its code, DB (đảng bộ cơ sở) or CB (chi bộ cơ sở) and its type (biểu 5-BTCTW),
# then | name | the head's post | the deputy's post, and | big for units with large cells.
# Indented lines list its cells, named without "Chi bộ": ": cell; cell" for cells of the unit,
# "> Sub: cell; cell" for a đảng bộ bộ phận and its cells.

UNITS_TABLE = """
CQDUK CB 04 | Chi bộ Cơ quan Đảng ủy Khối | Bí thư Đảng ủy Khối | Phó Bí thư Đảng ủy Khối
STC DB 05 | Đảng bộ Sở Tài chính | Giám đốc Sở | Phó Giám đốc Sở
    : Văn phòng Sở; Thanh tra Sở; Phòng Quản lý ngân sách; Phòng Tài chính đầu tư
    : Phòng Quản lý giá và công sản; Phòng Tài chính hành chính sự nghiệp
    : Phòng Tài chính doanh nghiệp; Phòng Tin học và Thống kê
SKHDT DB 05 | Đảng bộ Sở Kế hoạch và Đầu tư | Giám đốc Sở | Phó Giám đốc Sở
    : Văn phòng Sở; Thanh tra Sở; Phòng Tổng hợp - Quy hoạch; Phòng Đăng ký kinh doanh
    : Phòng Kinh tế đối ngoại; Phòng Kinh tế ngành; Phòng Khoa giáo - Văn xã
SYT DB 05 | Đảng bộ Sở Y tế | Giám đốc Sở | Phó Giám đốc Sở
    : Văn phòng Sở; Thanh tra Sở; Phòng Nghiệp vụ Y; Phòng Nghiệp vụ Dược
    : Phòng Kế hoạch - Tài chính; Phòng Tổ chức cán bộ; Chi cục Dân số - Kế hoạch hóa gia đình
    : Chi cục An toàn vệ sinh thực phẩm; Trung tâm Giám định y khoa; Trung tâm Pháp y
SGDDT DB 05 | Đảng bộ Sở Giáo dục và Đào tạo | Giám đốc Sở | Phó Giám đốc Sở
    : Văn phòng Sở; Thanh tra Sở; Phòng Giáo dục Trung học; Phòng Giáo dục Mầm non - Tiểu học
    : Phòng Giáo dục thường xuyên - Chuyên nghiệp; Phòng Khảo thí và Kiểm định chất lượng
    : Phòng Kế hoạch - Tài chính; Phòng Tổ chức cán bộ
SNN DB 05 | Đảng bộ Sở Nông nghiệp và Phát triển nông thôn | Giám đốc Sở | Phó Giám đốc Sở
    : Văn phòng Sở; Thanh tra Sở; Phòng Kế hoạch - Tài chính; Phòng Tổ chức cán bộ
    : Chi cục Thủy lợi; Chi cục Chăn nuôi và Thú y; Chi cục Trồng trọt và Bảo vệ thực vật
    : Chi cục Phát triển nông thôn; Trung tâm Khuyến nông
    > Chi cục Kiểm lâm: Văn phòng Chi cục Kiểm lâm; Hạt Kiểm lâm Vĩnh Cửu
    > Chi cục Kiểm lâm: Hạt Kiểm lâm Định Quán; Hạt Kiểm lâm Tân Phú; Hạt Kiểm lâm Xuân Lộc
STNMT DB 05 | Đảng bộ Sở Tài nguyên và Môi trường | Giám đốc Sở | Phó Giám đốc Sở
    : Văn phòng Sở; Thanh tra Sở; Phòng Quy hoạch - Kế hoạch sử dụng đất
    : Phòng Đo đạc, Bản đồ và Viễn thám; Phòng Khoáng sản; Phòng Tài nguyên nước
    : Chi cục Bảo vệ môi trường; Chi cục Quản lý đất đai; Văn phòng Đăng ký đất đai
    : Trung tâm Quan trắc tài nguyên và môi trường; Trung tâm Phát triển quỹ đất
SGTVT DB 05 | Đảng bộ Sở Giao thông vận tải | Giám đốc Sở | Phó Giám đốc Sở
    : Văn phòng Sở; Thanh tra Sở; Phòng Quản lý vận tải
    : Phòng Quản lý kết cấu hạ tầng giao thông; Phòng Quản lý chất lượng công trình giao thông
    : Phòng Quản lý phương tiện và người lái; Trung tâm Đăng kiểm xe cơ giới
SXD DB 05 | Đảng bộ Sở Xây dựng | Giám đốc Sở | Phó Giám đốc Sở
    : Văn phòng Sở; Thanh tra Sở; Phòng Quản lý xây dựng
    : Phòng Quản lý nhà và thị trường bất động sản; Phòng Kinh tế và Vật liệu xây dựng
    : Phòng Quy hoạch - Kiến trúc; Trung tâm Kiểm định chất lượng công trình xây dựng
SCT DB 05 | Đảng bộ Sở Công Thương | Giám đốc Sở | Phó Giám đốc Sở
    : Văn phòng Sở; Thanh tra Sở; Phòng Quản lý thương mại; Phòng Quản lý công nghiệp
    : Phòng Quản lý năng lượng; Phòng Kỹ thuật an toàn - Môi trường
    : Trung tâm Khuyến công và Tư vấn phát triển công nghiệp
SLDTBXH DB 05 | Đảng bộ Sở Lao động - Thương binh và Xã hội | Giám đốc Sở | Phó Giám đốc Sở
    : Văn phòng Sở; Thanh tra Sở; Phòng Lao động - Việc làm - Giáo dục nghề nghiệp
    : Phòng Người có công; Phòng Bảo trợ xã hội; Phòng Bảo vệ chăm sóc trẻ em và Bình đẳng giới
    : Trung tâm Dịch vụ việc làm; Trung tâm Công tác xã hội; Cơ sở Cai nghiện ma túy tỉnh
SVHTTDL DB 05 | Đảng bộ Sở Văn hóa, Thể thao và Du lịch | Giám đốc Sở | Phó Giám đốc Sở
    : Văn phòng Sở; Thanh tra Sở; Phòng Quản lý văn hóa và Gia đình
    : Phòng Quản lý thể dục thể thao; Phòng Quản lý du lịch; Bảo tàng Đồng Nai; Thư viện tỉnh
    : Trung tâm Văn hóa, Điện ảnh và Triển lãm; Nhà hát Nghệ thuật Đồng Nai
    : Trung tâm Huấn luyện và Thi đấu thể dục thể thao
SNV DB 05 | Đảng bộ Sở Nội vụ | Giám đốc Sở | Phó Giám đốc Sở
    : Văn phòng Sở; Thanh tra Sở; Phòng Tổ chức, biên chế và Tổ chức phi chính phủ
    : Phòng Cán bộ, công chức, viên chức; Phòng Xây dựng chính quyền và Công tác thanh niên
    : Ban Thi đua - Khen thưởng; Ban Tôn giáo; Chi cục Văn thư - Lưu trữ
STP DB 05 | Đảng bộ Sở Tư pháp | Giám đốc Sở | Phó Giám đốc Sở
    : Văn phòng Sở; Thanh tra Sở; Phòng Xây dựng và Kiểm tra văn bản
    : Phòng Hành chính tư pháp; Trung tâm Trợ giúp pháp lý nhà nước; Phòng Công chứng số 1
    : Trung tâm Dịch vụ đấu giá tài sản
SKHCN CB 05 | Chi bộ Sở Khoa học và Công nghệ | Giám đốc Sở | Phó Giám đốc Sở
STTTT CB 05 | Chi bộ Sở Thông tin và Truyền thông | Giám đốc Sở | Phó Giám đốc Sở
SNGV CB 05 | Chi bộ Sở Ngoại vụ | Giám đốc Sở | Phó Giám đốc Sở
BDT CB 05 | Chi bộ Ban Dân tộc | Trưởng Ban Dân tộc | Phó Trưởng Ban Dân tộc
VPUB DB 05 | Đảng bộ Văn phòng UBND tỉnh | Chánh Văn phòng UBND tỉnh | Phó Chánh Văn phòng
    : Phòng Tổng hợp; Phòng Kinh tế; Phòng Khoa giáo - Văn xã; Phòng Nội chính
    : Phòng Hành chính - Tổ chức; Phòng Quản trị - Tài vụ; Trung tâm Phục vụ hành chính công
    : Ban Tiếp công dân; Trung tâm Công báo - Tin học
VPHDND CB 05 | Chi bộ Văn phòng Đoàn ĐBQH và HĐND tỉnh | Chánh Văn phòng | Phó Chánh Văn phòng
TTT DB 05 | Đảng bộ Thanh tra tỉnh | Chánh Thanh tra tỉnh | Phó Chánh Thanh tra tỉnh
    : Văn phòng; Phòng Nghiệp vụ 1; Phòng Nghiệp vụ 2; Phòng Nghiệp vụ 3
    : Phòng Phòng, chống tham nhũng; Phòng Giám sát, kiểm tra và xử lý sau thanh tra
BQLKCN DB 05 | Đảng bộ Ban Quản lý các Khu công nghiệp | Trưởng Ban | Phó Trưởng Ban
    : Văn phòng; Phòng Quản lý đầu tư; Phòng Quản lý lao động; Phòng Quản lý môi trường
    : Phòng Quản lý quy hoạch - xây dựng; Trung tâm Dịch vụ khu công nghiệp
BQLCNC CB 05 | Chi bộ Ban Quản lý Khu Công nghệ cao Công nghệ sinh học | Trưởng Ban | Phó Trưởng Ban
CT DB 05 | Đảng bộ Cục Thuế tỉnh | Cục trưởng Cục Thuế | Phó Cục trưởng | big
    : Văn phòng Cục; Phòng Quản lý nợ và Cưỡng chế nợ thuế; Phòng Tin học
    : Phòng Tuyên truyền - Hỗ trợ người nộp thuế; Phòng Kê khai và Kế toán thuế
    : Phòng Tổ chức cán bộ; Phòng Nghiệp vụ - Dự toán - Pháp chế
    > Khối Thanh tra - Kiểm tra: Phòng Thanh tra - Kiểm tra số 1
    > Khối Thanh tra - Kiểm tra: Phòng Thanh tra - Kiểm tra số 2; Phòng Thanh tra - Kiểm tra số 3
CHQ DB 05 | Đảng bộ Cục Hải quan tỉnh | Cục trưởng Cục Hải quan | Phó Cục trưởng
    : Văn phòng Cục; Phòng Nghiệp vụ; Phòng Tổ chức cán bộ; Đội Kiểm soát hải quan
    : Chi cục Hải quan Biên Hòa; Chi cục Hải quan Long Thành; Chi cục Hải quan Nhơn Trạch
    : Chi cục Hải quan Thống Nhất; Chi cục Kiểm tra sau thông quan
KBNN DB 05 | Đảng bộ Kho bạc Nhà nước Đồng Nai | Giám đốc Kho bạc | Phó Giám đốc Kho bạc
    : Văn phòng; Phòng Kế toán Nhà nước; Phòng Kiểm soát chi; Phòng Thanh tra - Kiểm tra
    : Phòng Tổ chức cán bộ; Phòng Tin học; Phòng Giao dịch
NHNN CB 05 | Chi bộ Ngân hàng Nhà nước chi nhánh tỉnh Đồng Nai | Giám đốc | Phó Giám đốc
BHXH DB 05 | Đảng bộ Bảo hiểm xã hội tỉnh | Giám đốc | Phó Giám đốc | big
    : Văn phòng; Phòng Quản lý thu; Phòng Chế độ bảo hiểm xã hội
    : Phòng Giám định bảo hiểm y tế; Phòng Kế hoạch - Tài chính; Phòng Cấp sổ, thẻ
    : Phòng Thanh tra - Kiểm tra; Phòng Công nghệ thông tin
CTK CB 05 | Chi bộ Cục Thống kê tỉnh | Cục trưởng Cục Thống kê | Phó Cục trưởng
CTHADS DB 05 | Đảng bộ Cục Thi hành án dân sự tỉnh | Cục trưởng | Phó Cục trưởng
    : Văn phòng Cục; Phòng Nghiệp vụ và Tổ chức thi hành án
    : Phòng Kiểm tra, giải quyết khiếu nại, tố cáo; Phòng Tổ chức cán bộ
    : Phòng Tài chính - Kế toán
TAND DB 05 | Đảng bộ Tòa án nhân dân tỉnh | Chánh án Tòa án nhân dân tỉnh | Phó Chánh án
    : Văn phòng; Tòa Hình sự; Tòa Dân sự; Tòa Hành chính; Tòa Kinh tế
    : Tòa Gia đình và người chưa thành niên; Phòng Giám đốc kiểm tra
VKSND DB 05 | Đảng bộ Viện Kiểm sát nhân dân tỉnh | Viện trưởng | Phó Viện trưởng
    : Văn phòng; Phòng Thực hành quyền công tố và kiểm sát điều tra án hình sự
    : Phòng Kiểm sát xét xử hình sự; Phòng Kiểm sát giải quyết các vụ, việc dân sự
    : Phòng Kiểm sát thi hành án; Thanh tra; Phòng Tổ chức cán bộ
CQLTT DB 05 | Đảng bộ Cục Quản lý thị trường tỉnh | Cục trưởng | Phó Cục trưởng
    : Văn phòng Cục; Phòng Nghiệp vụ - Tổng hợp; Phòng Thanh tra - Pháp chế
    : Đội Quản lý thị trường số 1; Đội Quản lý thị trường số 2; Đội Quản lý thị trường số 3
    : Đội Quản lý thị trường số 4
VPDP CB 05 | Chi bộ Văn phòng Điều phối nông thôn mới tỉnh | Chánh Văn phòng | Phó Chánh Văn phòng
MTTQ CB 04 | Chi bộ Cơ quan Ủy ban MTTQ Việt Nam tỉnh | Chủ tịch Ủy ban MTTQ tỉnh | Phó Chủ tịch
HND CB 04 | Chi bộ Hội Nông dân tỉnh | Chủ tịch Hội Nông dân tỉnh | Phó Chủ tịch
HLHPN CB 04 | Chi bộ Hội Liên hiệp Phụ nữ tỉnh | Chủ tịch Hội Liên hiệp Phụ nữ tỉnh | Phó Chủ tịch
TDOAN CB 04 | Chi bộ Tỉnh Đoàn | Bí thư Tỉnh Đoàn | Phó Bí thư Tỉnh Đoàn
LDLD DB 04 | Đảng bộ Liên đoàn Lao động tỉnh | Chủ tịch Liên đoàn Lao động tỉnh | Phó Chủ tịch
    : Văn phòng; Ban Tổ chức; Ban Chính sách - Pháp luật; Ban Tuyên giáo - Nữ công
    : Ủy ban Kiểm tra; Nhà Văn hóa Lao động tỉnh
HCCB CB 04 | Chi bộ Hội Cựu chiến binh tỉnh | Chủ tịch Hội Cựu chiến binh tỉnh | Phó Chủ tịch
LHH CB 04 | Chi bộ Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh | Chủ tịch | Phó Chủ tịch
HVHNT CB 04 | Chi bộ Hội Văn học Nghệ thuật tỉnh | Chủ tịch | Phó Chủ tịch
HCTD CB 04 | Chi bộ Hội Chữ thập đỏ tỉnh | Chủ tịch | Phó Chủ tịch
LMHTX CB 04 | Chi bộ Liên minh Hợp tác xã tỉnh | Chủ tịch | Phó Chủ tịch
HLG CB 04 | Chi bộ Hội Luật gia tỉnh | Chủ tịch Hội Luật gia tỉnh | Phó Chủ tịch
LHHN CB 04 | Chi bộ Liên hiệp các tổ chức hữu nghị tỉnh | Chủ tịch | Phó Chủ tịch
BVDK DB 06a | Đảng bộ Bệnh viện Đa khoa Đồng Nai | Giám đốc Bệnh viện | Phó Giám đốc | big
    : Khối Hành chính; Phòng Kế hoạch tổng hợp; Phòng Điều dưỡng; Khoa Khám bệnh; Khoa Cấp cứu
    : Khoa Sản; Khoa Nhi
    > Khối Nội: Khoa Nội tim mạch; Khoa Nội tiêu hóa; Khoa Nội thần kinh
    > Khối Nội: Khoa Hồi sức tích cực - Chống độc
    > Khối Ngoại: Khoa Ngoại tổng quát; Khoa Chấn thương chỉnh hình; Khoa Gây mê hồi sức
    > Khối Cận lâm sàng: Khoa Xét nghiệm; Khoa Chẩn đoán hình ảnh; Khoa Dược
BVTN DB 06a | Đảng bộ Bệnh viện Đa khoa Thống Nhất | Giám đốc Bệnh viện | Phó Giám đốc | big
    : Khối Hành chính; Phòng Kế hoạch tổng hợp; Phòng Điều dưỡng; Khoa Khám bệnh; Khoa Cấp cứu
    > Khối Nội: Khoa Nội tổng hợp; Khoa Nội tim mạch; Khoa Hồi sức tích cực - Chống độc
    > Khối Ngoại: Khoa Ngoại tổng quát; Khoa Chấn thương chỉnh hình; Khoa Ngoại thần kinh
    > Khối Cận lâm sàng: Khoa Xét nghiệm; Khoa Chẩn đoán hình ảnh; Khoa Dược
BVND DB 06a | Đảng bộ Bệnh viện Nhi đồng Đồng Nai | Giám đốc Bệnh viện | Phó Giám đốc | big
    : Khối Hành chính; Phòng Kế hoạch tổng hợp; Khoa Cấp cứu; Khoa Hồi sức tích cực - Chống độc
    : Khoa Sơ sinh; Khoa Nội tổng hợp; Khoa Ngoại tổng hợp; Khoa Xét nghiệm; Khoa Dược
BVLK DB 06a | Đảng bộ Bệnh viện Đa khoa khu vực Long Khánh | Giám đốc | Phó Giám đốc | big
    : Khối Hành chính; Khoa Khám bệnh; Khoa Nội; Khoa Ngoại; Khoa Sản; Khoa Nhi
    : Khối Cận lâm sàng
BVLT DB 06a | Đảng bộ Bệnh viện Đa khoa khu vực Long Thành | Giám đốc Bệnh viện | Phó Giám đốc
    : Khối Hành chính; Khoa Khám bệnh; Khoa Hồi sức cấp cứu; Khoa Nội; Khoa Ngoại
    : Khoa Sản - Nhi; Khối Cận lâm sàng
BVDQ CB 06a | Chi bộ Bệnh viện Đa khoa khu vực Định Quán | Giám đốc Bệnh viện | Phó Giám đốc
BVP CB 06a | Chi bộ Bệnh viện Phổi Đồng Nai | Giám đốc Bệnh viện | Phó Giám đốc Bệnh viện
BVYDCT CB 06a | Chi bộ Bệnh viện Y dược cổ truyền Đồng Nai | Giám đốc Bệnh viện | Phó Giám đốc
BVDL CB 06a | Chi bộ Bệnh viện Da liễu Đồng Nai | Giám đốc Bệnh viện | Phó Giám đốc Bệnh viện
CDC DB 06a | Đảng bộ Trung tâm Kiểm soát bệnh tật tỉnh | Giám đốc Trung tâm | Phó Giám đốc
    : Phòng Tổ chức - Hành chính; Phòng Kế hoạch - Nghiệp vụ
    : Khoa Phòng, chống bệnh truyền nhiễm; Khoa Dinh dưỡng; Khoa Sức khỏe sinh sản
    : Khoa Xét nghiệm - Chẩn đoán hình ảnh - Thăm dò chức năng
CC115 CB 06a | Chi bộ Trung tâm Cấp cứu 115 Đồng Nai | Giám đốc Trung tâm | Phó Giám đốc
CDYT DB 06a | Đảng bộ Trường Cao đẳng Y tế Đồng Nai | Hiệu trưởng | Phó Hiệu trưởng
    : Phòng Đào tạo; Phòng Tổ chức - Hành chính; Phòng Tài chính - Kế toán; Khoa Điều dưỡng
    : Khoa Dược; Khoa Y học cơ sở; Khoa Khoa học cơ bản; Khoa Hộ sinh; Sinh viên
DHDN DB 06a | Đảng bộ Trường Đại học Đồng Nai | Hiệu trưởng | Phó Hiệu trưởng | big
    : Phòng Đào tạo; Phòng Tổ chức - Hành chính; Phòng Kế hoạch - Tài chính; Khoa Kinh tế
    : Khoa Ngoại ngữ; Sinh viên
    > Khoa Sư phạm Khoa học Tự nhiên: Bộ môn Toán; Bộ môn Vật lý; Bộ môn Hóa - Sinh
    > Khoa Sư phạm Khoa học Xã hội: Bộ môn Ngữ văn; Bộ môn Lịch sử - Địa lý
    > Khoa Sư phạm Tiểu học - Mầm non: Bộ môn Giáo dục Tiểu học; Bộ môn Giáo dục Mầm non
CDKT DB 06a | Đảng bộ Trường Cao đẳng Kỹ thuật Đồng Nai | Hiệu trưởng | Phó Hiệu trưởng
    : Phòng Đào tạo; Phòng Tổ chức - Hành chính; Khoa Cơ khí; Khoa Điện - Điện tử
    : Khoa Công nghệ thông tin; Khoa Kinh tế; Khoa Khoa học cơ bản
CDN DB 06a | Đảng bộ Trường Cao đẳng Nghề Đồng Nai | Hiệu trưởng | Phó Hiệu trưởng
    : Phòng Đào tạo; Phòng Tổ chức - Hành chính; Khoa Cơ khí - Động lực; Khoa Điện - Điện tử
    : Khoa Du lịch - Nhà hàng
CDCNC CB 06b | Chi bộ Trường Cao đẳng Công nghệ cao Đồng Nai | Hiệu trưởng | Phó Hiệu trưởng
TCT CB 06a | Chi bộ Trường Chính trị tỉnh | Hiệu trưởng | Phó Hiệu trưởng
LTV CB 06a | Chi bộ Trường THPT chuyên Lương Thế Vinh | Hiệu trưởng | Phó Hiệu trưởng
GDTX CB 06a | Chi bộ Trung tâm Giáo dục thường xuyên tỉnh | Giám đốc Trung tâm | Phó Giám đốc
NKTT CB 06a | Chi bộ Trường Năng khiếu thể thao tỉnh | Hiệu trưởng | Phó Hiệu trưởng
TDC CB 06a | Chi bộ Trung tâm Kỹ thuật Tiêu chuẩn Đo lường Chất lượng | Giám đốc | Phó Giám đốc
BAODN DB 06a | Đảng bộ Báo Đồng Nai | Tổng Biên tập | Phó Tổng Biên tập
    : Ban Thời sự; Ban Kinh tế; Ban Văn hóa - Xã hội; Ban Báo điện tử; Ban Trị sự
DPTTH DB 06a | Đảng bộ Đài Phát thanh và Truyền hình Đồng Nai | Giám đốc Đài | Phó Giám đốc Đài
    : Phòng Thời sự; Phòng Chuyên đề; Phòng Văn nghệ; Phòng Kỹ thuật - Công nghệ
    : Phòng Tổ chức - Hành chính; Phòng Biên tập; Phòng Dịch vụ - Quảng cáo
QDTPT CB 06a | Chi bộ Quỹ Đầu tư phát triển Đồng Nai | Giám đốc Quỹ | Phó Giám đốc Quỹ
XTTM CB 06a | Chi bộ Trung tâm Xúc tiến Thương mại tỉnh | Giám đốc Trung tâm | Phó Giám đốc
KBT DB 06a | Đảng bộ Khu Bảo tồn thiên nhiên - Văn hóa Đồng Nai | Giám đốc | Phó Giám đốc
    : Văn phòng; Phòng Kỹ thuật; Hạt Kiểm lâm Khu Bảo tồn; Trạm Kiểm lâm Mã Đà
    : Trạm Kiểm lâm Hiếu Liêm; Trung tâm Du lịch sinh thái và Giáo dục môi trường
BQLRTP CB 06a | Chi bộ Ban Quản lý rừng phòng hộ Tân Phú | Trưởng Ban | Phó Trưởng Ban
NSVS CB 06a | Chi bộ Trung tâm Nước sạch và Vệ sinh môi trường nông thôn | Giám đốc | Phó Giám đốc
BQLDA CB 06a | Chi bộ Ban Quản lý dự án đầu tư xây dựng tỉnh | Giám đốc Ban | Phó Giám đốc Ban
BQLGT DB 06a | Đảng bộ Ban Quản lý dự án các công trình giao thông | Giám đốc Ban | Phó Giám đốc Ban
    : Phòng Hành chính - Tổng hợp; Phòng Kế hoạch - Tài chính; Phòng Kỹ thuật
    : Phòng Quản lý dự án 1; Phòng Quản lý dự án 2
TTCNTT CB 06a | Chi bộ Trung tâm Công nghệ thông tin và Truyền thông | Giám đốc | Phó Giám đốc
VQH CB 06a | Chi bộ Viện Quy hoạch xây dựng Đồng Nai | Viện trưởng | Phó Viện trưởng
BTXH DB 06a | Đảng bộ Trung tâm Bảo trợ xã hội tỉnh | Giám đốc Trung tâm | Phó Giám đốc
    : Phòng Hành chính - Tổng hợp; Phòng Công tác xã hội; Phòng Y tế - Phục hồi chức năng
    : Khu Nuôi dưỡng người cao tuổi; Khu Nuôi dưỡng trẻ em
TTKN CB 06a | Chi bộ Trung tâm Kiểm nghiệm thuốc, mỹ phẩm, thực phẩm | Giám đốc | Phó Giám đốc
"""


@dataclass(frozen=True)
class UnitSpec:
    """A grassroots unit of the bloc; cell names come without "Chi bộ "."""

    code: str
    kind: str
    grassroots_type: str
    name: str
    head: str
    deputy: str
    big: bool
    cells: tuple[str, ...]
    subs: tuple[tuple[str, tuple[str, ...]], ...]


def _parse_units(table: str) -> tuple[UnitSpec, ...]:
    rows: list[dict[str, Any]] = []
    for line in table.strip().splitlines():
        text = line.strip()
        if text.startswith(":"):
            rows[-1]["cells"] += [cell.strip() for cell in text[1:].split(";")]
        elif text.startswith(">"):
            sub, cells = text[1:].split(":", 1)
            rows[-1]["subs"].setdefault(sub.strip(), [])
            rows[-1]["subs"][sub.strip()] += [cell.strip() for cell in cells.split(";")]
        else:
            head_fields, name, head, deputy, *flags = (part.strip() for part in text.split("|"))
            code, kind, kind_of_unit = head_fields.split()
            rows.append(
                {
                    "code": code,
                    "kind": {"DB": DB, "CB": CB}[kind],
                    "grassroots_type": GrassrootsType(kind_of_unit),
                    "name": name,
                    "head": head,
                    "deputy": deputy,
                    "big": "big" in flags,
                    "cells": [],
                    "subs": {},
                }
            )
    return tuple(
        UnitSpec(
            **row,
            cells=tuple(cells),
            subs=tuple((sub, tuple(sub_cells)) for sub, sub_cells in subs.items()),
        )
        for row, cells, subs in ((r, r.pop("cells"), r.pop("subs")) for r in rows)
    )


CATALOGUE = _parse_units(UNITS_TABLE)
CATALOGUE_BY_CODE = {spec.code: spec for spec in CATALOGUE}


REOPENED_UNIT = "BVP"
REOPEN_COMMENT = (
    "Mở lại để bổ sung quyết định kỷ luật của một đảng viên do Ủy ban Kiểm tra gửi sau ngày "
    "phê duyệt; đề nghị cấp ủy xem xét lại kết quả xếp loại của đồng chí này."
)


class Stage:
    """How far a grassroots unit has gone in the cycle (the situations the demo shows)."""

    APPROVED = "approved"  # decided, pools finalized, submitted, approved by the Ban Tổ chức
    SUBMITTED = "submitted"  # decided, pools finalized, submitted, waiting
    RETURNED = "returned"  # submitted, then returned with a comment
    PROPOSED = "proposed"  # self-ratings and cell proposals, no decision yet
    STARTED = "started"  # some self-ratings only

    DECIDED = frozenset({APPROVED, SUBMITTED, RETURNED})


#: Units present at every scale, with their stage.
PRIORITY_UNITS = {
    "CQDUK": Stage.APPROVED,  # the bloc's own staff: most of its standing board sits here
    "STC": Stage.PROPOSED,  # the clerk account's unit: in draft, half done, a new cell
    "SKHDT": Stage.STARTED,
    "SYT": Stage.RETURNED,
    "BDT": Stage.APPROVED,  # the chi bộ cơ sở of the second clerk account
    "BVDK": Stage.APPROVED,  # a large đảng bộ with sub-committees
    "BVP": Stage.APPROVED,  # approved, then reopened by the Board (REOPENED_UNIT)
    NEW_UNIT: Stage.SUBMITTED,  # newly formed: reviewed, not rated
}

#: The bloc's staff in Chi bộ Cơ quan Đảng ủy Khối: post, managing level, standing board seat.
BLOC_STAFF = (
    ("Bí thư Đảng ủy Khối", ManagingLevel.PROVINCE, "Bí thư"),
    ("Phó Bí thư Thường trực Đảng ủy Khối", ManagingLevel.PROVINCE, "Phó Bí thư Thường trực"),
    ("Phó Bí thư Đảng ủy Khối", ManagingLevel.PROVINCE, "Phó Bí thư"),
    ("Chủ nhiệm Ủy ban Kiểm tra Đảng ủy Khối", ManagingLevel.DISTRICT, "Ủy viên Ban Thường vụ"),
    ("Trưởng Ban Tổ chức Đảng ủy Khối", ManagingLevel.DISTRICT, "Ủy viên Ban Thường vụ"),
    ("Trưởng Ban Tuyên giáo Đảng ủy Khối", ManagingLevel.DISTRICT, "Ủy viên Ban Thường vụ"),
    ("Chánh Văn phòng Đảng ủy Khối", ManagingLevel.DISTRICT, "Ủy viên Ban Thường vụ"),
    ("Phó Trưởng Ban Tổ chức Đảng ủy Khối", ManagingLevel.GRASSROOTS, ""),
    ("Phó Chủ nhiệm Ủy ban Kiểm tra Đảng ủy Khối", ManagingLevel.GRASSROOTS, ""),
    ("Phó Chánh Văn phòng Đảng ủy Khối", ManagingLevel.GRASSROOTS, ""),
)
STANDING_BOARD_NAME = "Ban Thường vụ Đảng ủy Khối các cơ quan tỉnh Đồng Nai"
STANDING_BOARD_FORMED = datetime.date(2020, 7, 16)
STANDING_BOARD_SIZE = 9
TOP_LEVELS = (ManagingLevel.PROVINCE, ManagingLevel.DISTRICT)


# --- Demo accounts -------------------------------------------------------------------------------


@dataclass(frozen=True)
class AccountSpec:
    username: str
    last_name: str
    first_name: str
    role: str  # a Role; "" for the superuser
    organization: str  # a unit code, the bloc's code, or "cell" for a cell of Sở Tài chính


ACCOUNT_SPECS = (
    AccountSpec("admin", "Nguyễn Hoàng", "Minh", "", ""),
    AccountSpec("bantochuc", "Trần Thị Thu", "Hương", Role.ORGANIZATION_BOARD, BLOC_CODE),
    AccountSpec("uybankiemtra", "Lê Văn", "Hùng", Role.INSPECTION_COMMITTEE, BLOC_CODE),
    AccountSpec("vanphong", "Phạm Ngọc", "Lan", Role.OFFICE, BLOC_CODE),
    AccountSpec("canbo.stc", "Võ Thị Kim", "Ngân", Role.CLERK, "STC"),
    AccountSpec("canbo.chibo", "Huỳnh Văn", "Phúc", Role.CLERK, "BDT"),
    AccountSpec("bithu.chibo", "Đặng Minh", "Tuấn", Role.CELL_SECRETARY, "cell"),
    AccountSpec("xem", "Bùi Thanh", "Tâm", Role.VIEWER, BLOC_CODE),
)
SECRETARY_CELL = ("STC", "Phòng Quản lý ngân sách")


@dataclass(frozen=True)
class Account:
    """One line of the accounts table the command prints."""

    username: str
    password: str
    role: str
    organization: str


@dataclass(frozen=True)
class DemoResult:
    created: bool
    accounts: list[Account]
    counts: dict[str, int]


# --- Names and other texts -----------------------------------------------------------------------

# fmt: off
FAMILY_NAMES = (
    ("Nguyễn", 315), ("Trần", 109), ("Lê", 95), ("Phạm", 65), ("Phan", 42), ("Huỳnh", 35),
    ("Võ", 35), ("Hoàng", 25), ("Vũ", 20), ("Đặng", 21), ("Bùi", 20), ("Đỗ", 16), ("Hồ", 14),
    ("Ngô", 13), ("Trương", 12), ("Dương", 10), ("Đinh", 8), ("Lý", 6), ("Lâm", 6),
    ("Đoàn", 6), ("Mai", 5), ("Lương", 4), ("Cao", 4), ("Hà", 4), ("Châu", 3), ("Tô", 3),
    ("Thái", 3), ("Lưu", 3), ("Tạ", 2), ("Quách", 2),
)
MALE_MIDDLE = (
    ("Văn", 30), ("Minh", 10), ("Hữu", 8), ("Đức", 8), ("Quốc", 7), ("Thanh", 7),
    ("Công", 5), ("Hoàng", 5), ("Tấn", 5), ("Xuân", 4), ("Ngọc", 4), ("Quang", 4), ("Duy", 3),
    ("Anh", 3), ("Trọng", 3), ("Thành", 3), ("Trung", 2), ("Hồng", 2), ("Việt", 2),
)
FEMALE_MIDDLE = (
    ("Ngọc", 8), ("Thanh", 6), ("Thu", 5), ("Kim", 5), ("Hồng", 4), ("Thùy", 3), ("Minh", 3),
    ("Thúy", 3), ("Mỹ", 3), ("Phương", 3), ("Bích", 3), ("Hoài", 2), ("Diệu", 2), ("Lan", 2),
    ("Quỳnh", 2), ("Khánh", 2),
)
MALE_GIVEN = (
    "An", "Bảo", "Bình", "Cường", "Dũng", "Đức", "Giang", "Hải", "Hiếu", "Hùng", "Huy",
    "Khánh", "Long", "Minh", "Nam", "Phong", "Phúc", "Quân", "Sơn", "Tâm", "Thắng", "Trung",
    "Tuấn", "Việt", "Hoàng", "Thành", "Tùng", "Kiên", "Hưng", "Toàn", "Vinh", "Tài", "Lộc",
    "Đạt", "Khoa", "Thịnh", "Nghĩa", "Quang", "Hòa", "Duy", "Trí", "Tiến", "Hậu", "Phát",
    "Hiển", "Thông", "Tú", "Lâm", "Định", "Nhân", "Bách", "Chiến", "Cảnh", "Danh", "Điền",
    "Hiệp", "Khải", "Khang", "Mạnh", "Nguyên", "Sang", "Tân", "Thái", "Thiện", "Thuận", "Tín",
    "Trường", "Vũ", "Xuân", "Hào",
)
FEMALE_GIVEN = (
    "An", "Ánh", "Châu", "Giang", "Hà", "Hạnh", "Hoa", "Hương", "Lan", "Linh", "Mai", "Ngân",
    "Nhung", "Oanh", "Phương", "Quỳnh", "Thảo", "Trang", "Uyên", "Vân", "Vy", "Yến", "Hằng",
    "Hiền", "Huyền", "Loan", "Ly", "Nga", "Ngọc", "Nhi", "Thủy", "Thu", "Tuyết", "Dung",
    "Diệp", "Hồng", "Liên", "Thư", "Trinh", "Hân", "Thúy", "Tâm", "Khánh", "Bình", "Duyên",
    "Kiều", "Lệ", "My", "Nguyệt", "Nhàn", "Như", "Phượng", "Sương", "Thắm", "Thơ", "Thương",
    "Trâm", "Tú", "Vi", "Xuân", "Hường", "Lụa", "Mỹ", "Thanh",
)
# fmt: on

OUTSIDE_BODIES = (
    "Đảng bộ thành phố Biên Hòa",
    "Đảng bộ thành phố Long Khánh",
    "Đảng bộ huyện Long Thành",
    "Đảng bộ huyện Trảng Bom",
    "Đảng bộ huyện Nhơn Trạch",
    "Đảng bộ huyện Xuân Lộc",
    "Đảng bộ Khối Doanh nghiệp tỉnh Đồng Nai",
    "Đảng bộ Quân sự tỉnh Đồng Nai",
    "Đảng bộ tỉnh Bình Dương",
    "Đảng bộ tỉnh Bà Rịa - Vũng Tàu",
)
VIOLATIONS = (
    "Vi phạm quy định về phòng, chống dịch Covid-19 trong thời gian giãn cách xã hội.",
    "Thiếu trách nhiệm trong thực hiện nhiệm vụ, để xảy ra sai sót trong thẩm định hồ sơ.",
    "Vi phạm quy định về những điều đảng viên không được làm (Quy định số 47-QĐ/TW).",
    "Điều khiển phương tiện giao thông khi trong máu có nồng độ cồn.",
    "Vi phạm nguyên tắc tập trung dân chủ và quy chế làm việc của cơ quan.",
)
RETURN_COMMENTS = (
    "Hồ sơ còn thiếu biên bản hội nghị kiểm điểm của các chi bộ trực thuộc; đề nghị bổ sung và "
    "gửi lại.",
    "Báo cáo kiểm điểm tập thể chưa giải trình các vấn đề được gợi ý kiểm điểm; đề nghị bổ sung.",
    "Số liệu biểu 6F-BTCTW chưa khớp với danh sách đảng viên; đề nghị rà soát lại.",
)
DOSSIER_TITLES = {
    DossierKind.MINUTES: ("Biên bản hội nghị kiểm điểm", "bien-ban-hoi-nghi"),
    DossierKind.DECISION: ("Quyết định công nhận kết quả xếp loại", "quyet-dinh-xep-loai"),
    DossierKind.COLLECTIVE_REPORT: ("Báo cáo kiểm điểm tập thể", "bao-cao-kiem-diem"),
}

#: Special cases of DOMAIN.md §4–5: count at scale 1.0, and the count kept at any smaller scale.
SPECIAL_COUNTS = {
    "new_member": (35, 2),
    "probationary": (45, 2),
    "exempt": (18, 1),
    "suspended": (4, 1),
    "long_sick_leave": (14, 2),
    "short_sick_leave": (20, 1),
    "maternity_leave": (28, 1),
    "transferred_in": (30, 2),
    "internal_transfer": (6, 1),
    "disciplined": (12, 2),
    "civil_service_not_completed": (8, 1),
}

#: What an organization, a member (by the quality of his cell) or a collective is "worth" before
#: the rules and the quota; tuned so that the decisions land on the published distributions
#: (DOMAIN.md §11). Good cells have few weak members, which lets them be HTXSNV (HD 21).
ORGANIZATION_MERIT = ((Level.EXCELLENT, 24), (Level.GOOD, 67), (Level.COMPLETED, 9))
MEMBER_MERIT = {
    Level.EXCELLENT: (
        (Level.EXCELLENT, 19),
        (Level.GOOD, 79),
        (Level.COMPLETED, 2),
        (Level.NOT_COMPLETED, 0),
    ),
    Level.GOOD: (
        (Level.EXCELLENT, 14),
        (Level.GOOD, 76.3),
        (Level.COMPLETED, 9.4),
        (Level.NOT_COMPLETED, 0.3),
    ),
    Level.COMPLETED: (
        (Level.EXCELLENT, 8),
        (Level.GOOD, 72.5),
        (Level.COMPLETED, 19),
        (Level.NOT_COMPLETED, 0.5),
    ),
}
COLLECTIVE_MERIT = ((Level.EXCELLENT, 22), (Level.GOOD, 73), (Level.COMPLETED, 5))


# --- Helpers -------------------------------------------------------------------------------------


def _add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _office_head(cell: str) -> str:
    """The post of whoever heads the office a cell is named after ("" when no one does)."""
    for prefix, post in (
        ("Phòng ", "Trưởng phòng "),
        ("Khoa ", "Trưởng khoa "),
        ("Chi cục ", "Chi cục trưởng "),
        ("Đội ", "Đội trưởng "),
        ("Hạt ", "Hạt trưởng "),
        ("Trạm ", "Trạm trưởng "),
    ):
        if cell.startswith(prefix):
            return post + cell.removeprefix(prefix)
    if cell.startswith(
        ("Văn phòng Đăng ký", "Trung tâm", "Bảo tàng", "Thư viện", "Nhà hát", "Cơ sở")
    ):
        return f"Giám đốc {cell}"
    if cell.startswith(("Văn phòng", "Thanh tra")):
        return f"Chánh {cell}"
    if cell.startswith("Tòa "):
        return f"Chánh tòa {cell}"
    if cell.startswith(("Ban ", "Bộ môn ", "Ủy ban ")):
        return f"Trưởng {cell}"
    return ""


def _aware(day: datetime.date, hour: int, minute: int) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)


def _sample_docx(*lines: str) -> bytes:
    """A minimal Word document (the dossier's sample minutes, decision and report), one
    centred paragraph per line, in Times New Roman 14 as party documents are (DOMAIN.md §9)."""
    paragraphs = "".join(
        '<w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:rPr>'
        '<w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman"/><w:sz w:val="28"/>'
        f"</w:rPr><w:t>{escape(line)}</w:t></w:r></w:p>"
        for line in lines
    )
    parts = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
        ),
        "_rels/.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Target="word/document.xml" Type="http://schemas.'
            'openxmlformats.org/officeDocument/2006/relationships/officeDocument"/></Relationships>'
        ),
        "word/document.xml": (
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            f"<w:body>{paragraphs}</w:body></w:document>"
        ),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, xml in parts.items():
            header = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            archive.writestr(zipfile.ZipInfo(name, (2021, 11, 15, 8, 0, 0)), header + xml)
    return buffer.getvalue()


# --- A member before it is written ---------------------------------------------------------------


@dataclass
class MemberPlan:
    cell: str  # the code of the cell the member is created in
    unit: str  # the code of the grassroots unit the member ends in
    full_name: str
    gender: str
    date_of_birth: datetime.date
    admitted_on: datetime.date
    official_on: datetime.date | None
    is_civil_servant: bool
    leadership_post: str = ""
    managing_level: str = ""
    board_seat: str = ""
    special: str = ""
    card_number: str = ""
    transferred_in_on: datetime.date | None = None
    transferred_from: str = ""
    move_to: str = ""
    move_on: datetime.date | None = None
    move_note: str = ""
    member: Member = field(init=False, repr=False)

    @property
    def is_plain(self) -> bool:
        return not self.special and not self.leadership_post and not self.move_to


# --- Entry points --------------------------------------------------------------------------------


def demo_accounts() -> list[Account]:
    """The demo accounts as they stand in the database, with their roles."""
    usernames = [spec.username for spec in ACCOUNT_SPECS]
    users = {
        user.username: user
        for user in get_user_model()
        .objects.filter(username__in=usernames)
        .prefetch_related("role_assignments__organization")
    }
    rows = []
    for username in usernames:
        user = users.get(username)
        if user is None:
            continue
        if user.is_superuser:
            rows.append(Account(username, DEMO_PASSWORD, "Quản trị hệ thống", "—"))
        rows += [
            Account(username, DEMO_PASSWORD, str(Role(a.role).label), a.organization.name)
            for a in user.role_assignments.all()
            if a.is_active
        ]
    return rows


def demo_counts() -> dict[str, int]:
    """Rows of each model the demo writes."""
    models = (
        Organization,
        OrganizationChange,
        RoleAssignment,
        Member,
        StatusPeriod,
        MembershipEvent,
        DisciplineRecord,
        LeadershipCollective,
        CollectiveMembership,
        ReviewCycle,
        CycleTransition,
        Pool,
        PoolTransition,
        Rating,
        RatingChange,
        Submission,
        SubmissionTransition,
        DossierItem,
        Notification,
        get_user_model(),
    )
    return {model.__name__: model.objects.count() for model in models}


def demo_load(*, scale: float = 1.0) -> DemoResult:
    """Build the demo bloc and its open 2021 cycle in one transaction, unless it exists already.

    `scale` multiplies the number of grassroots units (80 at 1.0, at least 8) and so the number
    of cells and members; every special case is present at any scale.
    """
    if scale <= 0:
        raise ValueError("scale must be positive")
    validate_password(DEMO_PASSWORD)
    if Organization.objects.filter(code=BLOC_CODE).exists():
        return DemoResult(created=False, accounts=demo_accounts(), counts=demo_counts())
    with transaction.atomic():
        _Builder(scale=scale).build()
    return DemoResult(created=True, accounts=demo_accounts(), counts=demo_counts())


# --- The builder ---------------------------------------------------------------------------------


class _Builder:
    def __init__(self, *, scale: float):
        self.scale = scale
        self.rng = random.Random(SEED)  # noqa: S311 - demo data, not secrets
        self.orgs: dict[str, Organization] = {}
        self.unit_of: dict[str, str] = {}  # organization code -> its grassroots unit's code
        self.parent_of: dict[str, str] = {}  # organization code -> its parent's code
        self.cells_of: dict[str, list[str]] = defaultdict(list)  # unit -> member-holding nodes
        self.subs_of: dict[str, list[str]] = defaultdict(list)  # unit -> sub-committees
        self.stage: dict[str, str] = {}  # unit -> Stage
        self.plans: list[MemberPlan] = []
        self.users: dict[str, Any] = {}
        self.committee_size: dict[str, int] = {}

    def build(self) -> None:
        """In the order the domain works (DOMAIN.md §6): the tree, its people, then the cycle."""
        units = self.choose_units()
        self.create_organizations(units)
        self.plan_members(units)
        self.plan_special_cases()
        self.plan_card_numbers()
        self.create_members()
        self.create_users()
        self.create_collectives(units)
        self.open_cycle()
        _Ratings(self).record()
        self.guidance_and_suggestions()
        self.submit()

    def day(self, start: datetime.date, end: datetime.date) -> datetime.date:
        return start + datetime.timedelta(days=self.rng.randint(0, (end - start).days))

    def year_between(self, first: int, last: int) -> datetime.date:
        return self.day(datetime.date(first, 1, 1), datetime.date(last, 12, 31))

    def count(self, special: str) -> int:
        full, minimum = SPECIAL_COUNTS[special]
        return max(minimum, round(full * self.scale))

    def clerk_of(self, unit: str):
        specs = [s for s in ACCOUNT_SPECS if s.role == Role.CLERK and s.organization == unit]
        return self.users[specs[0].username] if specs else None

    # --- the tree ---

    def choose_units(self) -> list[UnitSpec]:
        wanted = min(len(CATALOGUE), max(MIN_UNITS, round(BASE_UNITS * self.scale)))
        others = [spec.code for spec in CATALOGUE if spec.code not in PRIORITY_UNITS]
        chosen = {*PRIORITY_UNITS, *self.rng.sample(others, wanted - len(PRIORITY_UNITS))}
        units = [spec for spec in CATALOGUE if spec.code in chosen]
        # Above the catalogue's size, larger cells make up for the units it does not have.
        self.size_factor = max(1.0, self.scale * BASE_UNITS / len(units))
        total = len(units)
        targets = {
            Stage.APPROVED: round(total / 3),
            Stage.RETURNED: max(1, round(total * 0.025)),
            Stage.SUBMITTED: round(total * 0.17),
            Stage.PROPOSED: round(total * 0.22),
        }
        for stage in PRIORITY_UNITS.values():
            targets[stage] = targets.get(stage, 0) - 1
        rest = [spec.code for spec in units if spec.code not in PRIORITY_UNITS]
        pending = [stage for stage, n in targets.items() for _ in range(max(n, 0))]
        pending = (pending + [Stage.STARTED] * len(rest))[: len(rest)]
        self.rng.shuffle(pending)
        self.stage = {**PRIORITY_UNITS, **dict(zip(rest, pending, strict=True))}
        return units

    def create_organization(self, *, parent: Organization | None, code: str, **fields: Any):
        organization = organization_create(parent=parent, code=code, **fields)
        self.orgs[code] = organization
        if parent is not None:
            self.parent_of[code] = parent.code
            self.unit_of[code] = self.unit_of.get(parent.code, code)
        return organization

    def create_organizations(self, units: list[UnitSpec]) -> None:
        bloc = self.create_organization(
            parent=None,
            code=BLOC_CODE,
            kind=OrganizationKind.BLOC,
            name=BLOC_NAME,
            founded_on=datetime.date(1992, 9, 1),
            address="Thành phố Biên Hòa, tỉnh Đồng Nai",
        )
        for spec in units:
            founded = NEW_UNIT_FOUNDED if spec.code == NEW_UNIT else self.year_between(1976, 2012)
            unit = self.create_organization(
                parent=bloc,
                code=spec.code,
                kind=spec.kind,
                name=spec.name,
                grassroots_type=spec.grassroots_type,
                founded_on=founded,
            )
            if spec.kind == CB:
                self.cells_of[spec.code].append(spec.code)
            for number, cell in enumerate(spec.cells, start=1):
                new = (spec.code, cell) == (NEW_CELL_UNIT, NEW_CELL_NAME)
                self.create_cell(
                    parent=unit,
                    code=f"{spec.code}-{number:02d}",
                    name=cell,
                    founded_on=NEW_CELL_FOUNDED if new else self.year_between(founded.year, 2019),
                )
            for number, (sub_name, sub_cells) in enumerate(spec.subs, start=1):
                sub = self.create_organization(
                    parent=unit,
                    code=f"{spec.code}-B{number}",
                    kind=OrganizationKind.SUB_COMMITTEE,
                    name=f"Đảng bộ bộ phận {sub_name}",
                    founded_on=self.year_between(max(founded.year, 1995), 2015),
                )
                self.subs_of[spec.code].append(sub.code)
                for cell_number, cell in enumerate(sub_cells, start=1):
                    self.create_cell(
                        parent=sub,
                        code=f"{sub.code}-{cell_number:02d}",
                        name=cell,
                        founded_on=self.year_between(sub.founded_on.year, 2019),
                    )

    def create_cell(self, *, parent: Organization, code: str, name: str, founded_on) -> None:
        self.create_organization(
            parent=parent,
            code=code,
            kind=OrganizationKind.CELL,
            name=f"Chi bộ {name}",
            founded_on=founded_on,
        )
        self.cells_of[self.unit_of[code]].append(code)

    def cell_named(self, unit: str, name: str) -> str:
        return next(c for c in self.cells_of[unit] if self.orgs[c].name == f"Chi bộ {name}")

    # --- people ---

    def name(self, gender: str, born: datetime.date) -> str:
        rng = self.rng

        def pick(pairs) -> str:
            values, weights = zip(*pairs, strict=True)
            return rng.choices(values, weights)[0]

        family = pick(FAMILY_NAMES)
        if gender == Gender.MALE:
            middle, givens = [pick(MALE_MIDDLE)], MALE_GIVEN
        else:
            givens = FEMALE_GIVEN
            if rng.random() < (0.85 if born.year < 1980 else 0.65):
                middle = ["Thị", pick(FEMALE_MIDDLE)] if rng.random() < 0.4 else ["Thị"]
            else:
                middle = [pick(FEMALE_MIDDLE)]
        given = rng.choice(givens)
        while given in middle:
            given = rng.choice(givens)
        return " ".join([family, *middle, given])

    def person(self, *, cell: str, born_to: int = 1998, female_share: float = 0.48) -> MemberPlan:
        """Born 1962–1998, admitted at 20–40 (mostly in the twenties), official a year later."""
        rng = self.rng
        gender = Gender.FEMALE if rng.random() < female_share else Gender.MALE
        born = self.year_between(1962, born_to)
        age = 20 + int(rng.betavariate(1.6, 3.2) * 20)
        admitted = _add_years(born, age) + datetime.timedelta(days=rng.randint(0, 364))
        admitted = max(min(admitted, datetime.date(2020, 6, 30)), _add_years(born, 20))
        return MemberPlan(
            cell=cell,
            unit=self.unit_of[cell],
            full_name=self.name(gender, born),
            gender=gender,
            date_of_birth=born,
            admitted_on=admitted,
            official_on=_add_years(admitted, 1),
            is_civil_servant=rng.random() < 0.5,
        )

    def leader(self, *, cell: str, post: str, level: str, born_to: int, seat: str = ""):
        plan = self.person(cell=cell, born_to=born_to, female_share=0.3)
        plan.leadership_post, plan.managing_level, plan.board_seat = post, level, seat
        plan.is_civil_servant = True
        return plan

    def plan_members(self, units: list[UnitSpec]) -> None:
        """Each unit: its head and deputies, the head of each office, then the other members."""
        rng = self.rng
        new_cell = self.cell_named(NEW_CELL_UNIT, NEW_CELL_NAME)
        for spec in units:
            if spec.code == NEW_UNIT:
                continue  # staffed by internal transfers (plan_special_cases)
            cells = [cell for cell in self.cells_of[spec.code] if cell != new_cell]
            low, high = (9, 30) if spec.kind == CB else (12, 24) if spec.big else (6, 18)
            sizes = {c: max(3, round(rng.randint(low, high) * self.size_factor)) for c in cells}
            people: list[MemberPlan] = []
            if spec.code == "CQDUK":
                sizes[spec.code] += len(BLOC_STAFF)
                people += [
                    self.leader(cell=spec.code, post=post, level=level, born_to=1975, seat=seat)
                    for post, level, seat in BLOC_STAFF
                ]
            else:
                head_level = (
                    ManagingLevel.DISTRICT
                    if spec.kind == CB and spec.grassroots_type != GrassrootsType.STATE_AGENCY
                    else ManagingLevel.PROVINCE
                )
                people.append(
                    self.leader(cell=cells[0], post=spec.head, level=head_level, born_to=1978)
                )
                for index in range(1 if spec.kind == CB else rng.randint(2, 3)):
                    people.append(
                        self.leader(
                            cell=cells[min(index + 1, len(cells) - 1)],
                            post=spec.deputy,
                            level=ManagingLevel.DISTRICT,
                            born_to=1982,
                        )
                    )
            if spec.kind == DB:
                for cell in cells:
                    post = _office_head(self.orgs[cell].name.removeprefix("Chi bộ "))
                    if post:
                        people.append(
                            self.leader(
                                cell=cell, post=post, level=ManagingLevel.GRASSROOTS, born_to=1988
                            )
                        )
            placed = Counter(plan.cell for plan in people)
            for cell in cells:
                people += [self.person(cell=cell) for _ in range(sizes[cell] - placed[cell])]
            self.plans += people

    def plan_special_cases(self) -> None:
        """Spread the special cases of DOMAIN.md §4–5 over plain members, one case each."""
        rng = self.rng
        plain = [plan for plan in self.plans if plan.is_plain and plan.unit != "CQDUK"]
        rng.shuffle(plain)
        new_cell = self.cell_named(NEW_CELL_UNIT, NEW_CELL_NAME)

        def take(count: int, condition=lambda plan: True) -> list[MemberPlan]:
            free = (p for p in plain if not p.special and not p.move_to and condition(p))
            return [plan for plan, _ in zip(free, range(count), strict=False)]

        # The newly formed unit and cell are staffed by internal transfers.
        state_agencies = {
            s.code for s in CATALOGUE if s.grassroots_type == GrassrootsType.STATE_AGENCY
        }
        movers = take(
            max(6, round(12 * self.size_factor)),
            lambda p: p.unit in state_agencies and p.unit != NEW_CELL_UNIT,
        )
        for plan in movers:
            self.plan_move(plan, NEW_UNIT, NEW_UNIT_FOUNDED, "Điều động về đơn vị mới thành lập")
        spec = CATALOGUE_BY_CODE[NEW_UNIT]
        movers[0].leadership_post, movers[0].managing_level = spec.head, ManagingLevel.DISTRICT
        movers[1].leadership_post, movers[1].managing_level = spec.deputy, ManagingLevel.GRASSROOTS
        movers[0].is_civil_servant = movers[1].is_civil_servant = True
        for plan in take(6, lambda p: p.unit == NEW_CELL_UNIT):
            self.plan_move(plan, new_cell, NEW_CELL_FOUNDED, "Chuyển về chi bộ mới thành lập")

        for plan in take(self.count("new_member"), lambda p: p.date_of_birth.year >= 1984):
            plan.special = "new_member"
            plan.admitted_on = self.day(datetime.date(2021, 6, 1), datetime.date(2021, 11, 5))
            plan.official_on = None
        # Probationary and rated: admitted 7 to 11 months before the reference date.
        for plan in take(self.count("probationary"), lambda p: p.date_of_birth.year >= 1982):
            plan.special = "probationary"
            plan.admitted_on = self.day(datetime.date(2020, 12, 16), datetime.date(2021, 4, 15))
            plan.official_on = None
        for plan in take(self.count("exempt"), lambda p: p.date_of_birth.year <= 1968):
            plan.special = "exempt"
        for special in ("suspended", "long_sick_leave", "short_sick_leave", "disciplined"):
            for plan in take(self.count(special)):
                plan.special = special
        for plan in take(
            self.count("maternity_leave"),
            lambda p: p.gender == Gender.FEMALE and p.date_of_birth.year >= 1984,
        ):
            plan.special = "maternity_leave"
        for plan in take(self.count("transferred_in")):
            plan.special = "transferred_in"
            plan.transferred_in_on = self.day(
                datetime.date(2021, 1, 4), datetime.date(2021, 10, 29)
            )
            plan.transferred_from = rng.choice(OUTSIDE_BODIES)
        for plan in take(self.count("internal_transfer")):
            targets = [c for c in self.cells_of[plan.unit] if c not in (plan.cell, new_cell)]
            if not targets:  # a chi bộ cơ sở: to a cell of another unit
                targets = [
                    cell
                    for unit, cells in self.cells_of.items()
                    if unit not in (plan.unit, NEW_UNIT)
                    for cell in cells
                    if cell != new_cell
                ]
            plan.special = "internal_transfer"
            on = self.day(datetime.date(2021, 2, 1), datetime.date(2021, 9, 30))
            self.plan_move(
                plan, rng.choice(targets), on, "Chuyển sinh hoạt theo điều động công tác"
            )
        for plan in take(self.count("civil_service_not_completed")):
            plan.special = "civil_service_not_completed"
            plan.is_civil_servant = True

    def plan_move(self, plan: MemberPlan, to: str, on: datetime.date, note: str) -> None:
        plan.move_to, plan.move_on, plan.move_note = to, on, note
        plan.unit = self.unit_of[to]

    def plan_card_numbers(self) -> None:
        """Unique 8-digit numbers; none yet for the newest members and for some probationary."""
        numbers = self.rng.sample(range(10_000_000, 100_000_000), len(self.plans))
        for plan, number in zip(self.plans, numbers, strict=True):
            no_card = plan.special == "new_member" or (
                plan.special == "probationary" and self.rng.random() < 0.5
            )
            plan.card_number = "" if no_card else f"{number:08d}"

    def create_members(self) -> None:
        rng = self.rng
        for plan in self.plans:
            plan.member = member_create(
                organization=self.orgs[plan.cell],
                full_name=plan.full_name,
                transferred_in_on=plan.transferred_in_on,
                transferred_from=plan.transferred_from,
                gender=plan.gender,
                date_of_birth=plan.date_of_birth,
                card_number=plan.card_number,
                admitted_on=plan.admitted_on,
                official_on=plan.official_on,
                is_civil_servant=plan.is_civil_servant,
                leadership_post=plan.leadership_post,
                managing_level=plan.managing_level,
            )
        for plan in self.plans:
            if plan.move_to:
                plan.member = member_transfer(
                    member=plan.member,
                    to_organization=self.orgs[plan.move_to],
                    on=plan.move_on,
                    note=plan.move_note,
                )
        for plan in self.plans:
            for period in self.status_periods(plan):
                status_period_record(
                    member=plan.member,
                    **{name: getattr(period, name) for name in STATUS_PERIOD_FIELDS},
                )
        disciplined = [plan for plan in self.plans if plan.special == "disciplined"]
        for number, plan in enumerate(disciplined, start=1):
            warning = number % 3 == 2  # one in three: cảnh cáo
            cell = self.orgs[plan.move_to or plan.cell]
            member_discipline(
                member=plan.member,
                form=DisciplineForm.WARNING if warning else DisciplineForm.REPRIMAND,
                decision_number=(
                    f"{rng.randint(10, 60)}-QĐ/UBKTĐUK"
                    if warning
                    else f"{rng.randint(1, 20)}-QĐ/CB"
                ),
                decided_on=self.day(datetime.date(2021, 3, 1), datetime.date(2021, 10, 29)),
                violation=rng.choice(VIOLATIONS),
                issued_by="Ủy ban Kiểm tra Đảng ủy Khối" if warning else cell.name,
            )

    def status_periods(self, plan: MemberPlan) -> list[StatusPeriod]:
        rng, days, kinds = self.rng, datetime.timedelta, StatusPeriod.Kind

        def period(kind: str, start: datetime.date, length: int | None, **fields) -> StatusPeriod:
            ends = start + days(length) if length is not None else None
            return StatusPeriod(
                member=plan.member, kind=kind, starts_on=start, ends_on=ends, **fields
            )

        if plan.special == "exempt":
            return [
                period(
                    kinds.EXEMPT,
                    self.day(datetime.date(2019, 6, 1), datetime.date(2021, 6, 30)),
                    None,
                    reference=f"{rng.randint(20, 90)}-QĐ/ĐU",
                    note="Bệnh hiểm nghèo, điều trị dài ngày.",
                )
            ]
        if plan.special == "suspended":
            return [
                period(
                    kinds.SUSPENDED,
                    self.day(datetime.date(2021, 4, 1), datetime.date(2021, 10, 15)),
                    None,
                    reference=f"{rng.randint(10, 60)}-QĐ/UBKTĐUK",
                    note="Trong thời gian cơ quan chức năng điều tra.",
                )
            ]
        if plan.special == "long_sick_leave":
            first = self.day(datetime.date(2021, 1, 11), datetime.date(2021, 6, 1))
            if rng.random() < 0.4:  # two spells that add up to three months or more
                second = first + days(rng.randint(70, 90))
                return [
                    period(kinds.SICK_LEAVE, first, 49, note="Điều trị phẫu thuật"),
                    period(kinds.SICK_LEAVE, second, 44, note="Điều trị sau phẫu thuật"),
                ]
            return [period(kinds.SICK_LEAVE, first, rng.randint(95, 150), note="Ốm dài ngày")]
        if plan.special == "short_sick_leave":
            start = self.day(datetime.date(2021, 2, 1), datetime.date(2021, 9, 1))
            return [period(kinds.SICK_LEAVE, start, rng.randint(14, 60), note="Nghỉ ốm")]
        if plan.special == "maternity_leave":
            start = self.day(datetime.date(2021, 1, 15), datetime.date(2021, 7, 15))
            return [period(kinds.MATERNITY_LEAVE, start, 181, note="Nghỉ chế độ thai sản")]
        return []

    # --- accounts ---

    def create_users(self) -> None:
        """No service creates users: `create_user` hashes the password; an existing account is
        kept as it is (its password untouched)."""
        user_model = get_user_model()
        for spec in ACCOUNT_SPECS:
            user = user_model.objects.filter(username=spec.username).first()
            if user is None:
                fields = {
                    "first_name": spec.first_name,
                    "last_name": spec.last_name,
                    "is_staff": not spec.role,
                    "is_superuser": not spec.role,
                }
                validate_password(DEMO_PASSWORD, user_model(username=spec.username, **fields))
                user = user_model.objects.create_user(
                    spec.username, password=DEMO_PASSWORD, **fields
                )
            self.users[spec.username] = user
            if spec.role:
                if spec.organization == "cell":
                    organization = self.orgs[self.cell_named(*SECRETARY_CELL)]
                else:
                    organization = self.orgs[spec.organization]
                role_assign(user=user, organization=organization, role=spec.role)

    # --- leadership collectives ---

    def create_collectives(self, units: list[UnitSpec]) -> None:
        """The bloc's standing board and each đảng bộ cơ sở's executive committee.

        No service writes collectives yet: plain rows, each checked by full_clean.
        """
        rng = self.rng
        memberships: list[CollectiveMembership] = []

        def collective(organization: Organization, name: str, kind: str, level: str, formed):
            row = LeadershipCollective(
                organization=organization,
                name=name,
                kind=kind,
                managing_level=level,
                formed_on=formed,
            )
            row.full_clean()
            row.save()
            return row

        board = collective(
            self.orgs[BLOC_CODE],
            STANDING_BOARD_NAME,
            CollectiveKind.STANDING_BOARD,
            ManagingLevel.PROVINCE,
            STANDING_BOARD_FORMED,
        )
        seats = [(plan, plan.board_seat) for plan in self.plans if plan.board_seat]
        heads = [
            plan
            for plan in self.plans
            if plan.managing_level == ManagingLevel.PROVINCE and not plan.board_seat
        ]
        seats += [
            (plan, "Ủy viên Ban Thường vụ") for plan in heads[: STANDING_BOARD_SIZE - len(seats)]
        ]
        memberships += [
            CollectiveMembership(
                collective=board,
                member=plan.member,
                position=position,
                starts_on=STANDING_BOARD_FORMED,
            )
            for plan, position in seats
        ]
        for spec in units:
            if spec.kind != DB:
                continue
            formed = self.day(datetime.date(2020, 4, 6), datetime.date(2020, 6, 26))
            committee = collective(
                self.orgs[spec.code],
                f"Ban Chấp hành {spec.name}",
                CollectiveKind.PARTY_COMMITTEE,
                ManagingLevel.DISTRICT,
                formed,
            )
            people = [
                p for p in self.plans if p.unit == spec.code and not p.special and not p.move_to
            ]
            # The head (secretary), the deputies, then members without a post: an office head
            # managed by the unit would have to wait for the bloc to rate this committee (§6).
            leaders = [p for p in people if p.managing_level in TOP_LEVELS]
            others = [p for p in people if not p.leadership_post]
            size = rng.choice((7, 7, 9) if len(people) > 80 else (5, 5, 7))
            chosen = leaders[: size - 3]
            chosen += rng.sample(others, size - len(chosen))
            self.committee_size[spec.code] = len(chosen)
            positions = ["Bí thư", "Phó Bí thư"] + ["Ủy viên Ban Chấp hành"] * (len(chosen) - 2)
            memberships += [
                CollectiveMembership(
                    collective=committee, member=plan.member, position=position, starts_on=formed
                )
                for plan, position in zip(chosen, positions, strict=True)
            ]
        for membership in memberships:
            membership.full_clean()
        CollectiveMembership.objects.bulk_create(memberships)

    # --- the cycle ---

    def open_cycle(self) -> None:
        board = self.users["bantochuc"]
        cycle = cycle_create(
            organization=self.orgs[BLOC_CODE],
            year=YEAR,
            title=CYCLE_TITLE,
            rule_set=RuleSetCode.HD21_2019,
            deadline=DEADLINE,
            reference_date=REFERENCE_DATE,
            legal_references=LEGAL_REFERENCES,
            quota_rate=Decimal("0.200"),
            acting_user=board,
        )
        # Opening prepares the pools, one rating record per subject and the submissions.
        self.cycle = cycle_change_status(cycle=cycle, status=CycleStatus.OPEN, acting_user=board)

    def guidance_and_suggestions(self) -> None:
        """Letter points 2 and 4 in the demo: the Board publishes the cycle's documents; the
        Inspection Committee issues suggestions to Bệnh viện Đa khoa's committee and to one of
        its leaders, answered and accepted (before the unit is approved), and one to Sở Tài
        chính's committee still waiting; Sở Tài chính asks about a member on long sick leave,
        the Board answers it for all units; Sở Y tế's question still waits."""
        board, inspector = self.users["bantochuc"], self.users["uybankiemtra"]
        for number, issued_on, title, slug in GUIDING_DOCUMENTS:
            guiding_document_publish(
                cycle=self.cycle,
                number=number,
                issued_on=issued_on,
                title=title,
                upload=SimpleUploadedFile(f"{slug}.docx", _sample_docx(f"{number}: {title}")),
                acting_user=board,
            )
        committees = {
            c.organization.code: c
            for c in LeadershipCollective.objects.filter(
                kind=CollectiveKind.PARTY_COMMITTEE
            ).select_related("organization")
        }
        hospital_leader = next(
            plan.member
            for plan in self.plans
            if plan.unit == "BVDK" and plan.managing_level == ManagingLevel.PROVINCE
        )
        targets = [
            ("BVDK", {"collective": committees["BVDK"]}, True),
            ("BVDK", {"member": hospital_leader}, True),
            ("STC", {"collective": committees["STC"]}, False),
        ]
        for number, (unit, target, answered) in enumerate(targets, start=1):
            title, issues = SUGGESTION_TEXTS[number - 1]
            suggestion = suggestion_draft(
                cycle=self.cycle, title=title, issues=issues, acting_user=inspector, **target
            )
            suggestion_issue(
                suggestion=suggestion,
                document_number=f"{240 + number}-CV/ĐUK",
                issued_on=datetime.date(2021, 10, 28),
                acting_user=inspector,
            )
            if not answered:
                continue
            for issue in suggestion.issues.all():
                issue_answer(
                    issue=issue,
                    explanation=SUGGESTION_ANSWER,
                    cause="Chủ quan: chưa sâu sát; khách quan: dịch bệnh COVID-19 kéo dài.",
                    responsibility="Tập thể Ban Thường vụ và đồng chí Bí thư.",
                    acting_user=self.clerk_of(unit),
                )
                issue_review(issue=issue, accept=True, comment="", acting_user=inspector)
        sick = (
            Member.objects.filter(
                organization__path__startswith=self.orgs["STC"].path,
                status_periods__kind=StatusPeriod.Kind.SICK_LEAVE,
            ).first()
            or Member.objects.filter(organization__path__startswith=self.orgs["STC"].path).first()
        )
        clerk = self.users["canbo.stc"]
        question = question_ask(
            cycle=self.cycle,
            unit=self.orgs["STC"],
            title="Xếp loại đảng viên nghỉ ốm dài ngày",
            text=(
                f"Đồng chí {sick.full_name} nghỉ ốm cộng dồn hơn 3 tháng trong năm 2021. "
                "Đề nghị Ban Tổ chức hướng dẫn đồng chí có được xếp loại không, ở mức nào?"
            ),
            member=sick,
            rule="HD 21-HD/BTCTW, điểm 1.3",
            acting_user=clerk,
        )
        question_act(
            question=question,
            action="answer",
            text=(
                "Đảng viên nghỉ ốm từ 3 tháng trở lên trong năm vẫn kiểm điểm và xếp loại, "
                "nhưng không xếp loại cao hơn “Hoàn thành nhiệm vụ” (HD 21-HD/BTCTW). "
                "Áp dụng chung cho các đơn vị."
            ),
            share=True,
            acting_user=board,
        )
        question_ask(
            cycle=self.cycle,
            unit=self.orgs["SYT"],
            title="Chi bộ mới thành lập sau sáp nhập",
            text=(
                "Chi bộ được thành lập lại tháng 8/2021 do sáp nhập hai phòng: có xếp loại "
                "chất lượng tổ chức đảng năm nay không?"
            ),
            rule="HD 21-HD/BTCTW, mục về tổ chức đảng mới thành lập",
            acting_user=None,
        )

    def submit(self) -> None:
        """Units past their decisions: pools finalized, dossier attached, sent; then approved or
        returned by the Ban Tổ chức. A few are sent after the deadline."""
        rng = self.rng
        board = self.users["bantochuc"]
        pools = defaultdict(list)
        for pool in Pool.objects.filter(cycle=self.cycle).select_related("owner").order_by("pk"):
            pools[pool.owner.code].append(pool)
        approved = sorted(unit for unit, stage in self.stage.items() if stage == Stage.APPROVED)
        late = set(rng.sample(approved, max(1, round(len(approved) * 0.12))))
        comments = iter(RETURN_COMMENTS * len(self.stage))
        submissions = Submission.objects.filter(cycle=self.cycle).select_related("organization")
        for submission in sorted(submissions, key=lambda s: s.organization.path):
            unit = submission.organization.code
            stage = self.stage[unit]
            if stage not in Stage.DECIDED:
                continue
            clerk = self.clerk_of(unit)
            for pool in pools[unit]:
                pool_finalize(pool=pool, acting_user=clerk)
            name = submission.organization.name
            for kind in REQUIRED_DOSSIER_KINDS:
                title, slug = DOSSIER_TITLES[kind]
                content = _sample_docx(
                    "ĐẢNG BỘ KHỐI CÁC CƠ QUAN TỈNH ĐỒNG NAI",
                    name.upper(),
                    title.upper(),
                    CYCLE_TITLE,
                    "(Tài liệu mẫu của dữ liệu trình diễn)",
                )
                dossier_item_add(
                    submission=submission,
                    kind=kind,
                    upload=SimpleUploadedFile(f"{slug}-{unit.lower()}.docx", content),
                    acting_user=clerk,
                    title=f"{title} năm 2021 - {name}",
                )
            if unit in late:
                day = self.day(DEADLINE + datetime.timedelta(days=1), datetime.date(2021, 11, 30))
            else:
                day = self.day(datetime.date(2021, 11, 16), datetime.date(2021, 11, 24))
            at = _aware(day, rng.randint(7, 16), rng.choice((0, 15, 30, 45)))
            submission = submission_change_state(
                submission=submission, state=SubmissionState.SUBMITTED, acting_user=clerk, at=at
            )
            later = at + datetime.timedelta(days=rng.randint(1, 4), hours=rng.randint(0, 3))
            if stage == Stage.APPROVED:
                submission_change_state(
                    submission=submission,
                    state=SubmissionState.APPROVED,
                    acting_user=board,
                    at=later,
                )
            elif stage == Stage.RETURNED:
                submission_change_state(
                    submission=submission,
                    state=SubmissionState.RETURNED,
                    acting_user=board,
                    at=later,
                    comment=next(comments),
                )
        # The Board reopens one approved report: a decision must be corrected.
        if REOPENED_UNIT in self.stage:
            submission = Submission.objects.get(
                cycle=self.cycle, organization=self.orgs[REOPENED_UNIT]
            )
            submission_change_state(
                submission=submission,
                state=SubmissionState.REOPENED,
                acting_user=board,
                at=_aware(datetime.date(2021, 11, 26), 9, 30),
                comment=REOPEN_COMMENT,
            )


# --- Ratings -------------------------------------------------------------------------------------


class _Ratings:
    """Fills the rating records the opening created, with one `ratings_record` call per pool.

    A level is drawn from the published distributions, bounded by the rules (the forced and
    capped levels `eligibilities` reports), then cut to each pool's quota the way a committee
    does: the proposal keeps the cell's HTXSNV, the decision cuts it to HTTNV.
    """

    def __init__(self, builder: _Builder):
        self.b = builder
        self.rng = builder.rng
        self.cycle = builder.cycle
        self.rules = rule_set_for(self.cycle.rule_set)
        self.plan_of = {plan.member.pk: plan for plan in builder.plans}
        self.code_of = {org.pk: code for code, org in builder.orgs.items()}
        self.changes: dict[int, dict[int, dict[str, Any]]] = defaultdict(dict)
        self.pool_owner: dict[int, str] = {}
        self.pool_kind: dict[int, str] = {}
        self.pool_depth: dict[int, int] = {}
        self.member_levels: dict[int, str] = {}  # would-be decided level per rated member id
        self.civil_levels: dict[int, str] = {}
        self.cell_quality: dict[str, str] = {}  # drawn per member-holding organization

    def record(self) -> None:
        for pool in Pool.objects.filter(cycle=self.cycle).select_related("owner"):
            self.pool_owner[pool.pk] = pool.owner.code
            self.pool_kind[pool.pk] = pool.subject_kind
            self.pool_depth[pool.pk] = pool.owner.depth
        ratings = list(
            Rating.objects.filter(cycle=self.cycle)
            .select_related("member", "organization", "collective")
            .order_by("pk")
        )
        by_kind: dict[str, list[Rating]] = defaultdict(list)
        for rating in ratings:
            by_kind[rating.subject_kind].append(rating)
        self.rate_members(by_kind[SubjectKind.MEMBER])
        self.rate_leaders(by_kind[SubjectKind.LEADER])
        self.rate_organizations(by_kind[SubjectKind.ORGANIZATION])
        self.rate_collectives(by_kind[SubjectKind.COLLECTIVE])
        # Lower before higher (a unit's cells before the bloc decides the unit), a collective
        # before its members, a unit before its head (§6).
        order = [
            SubjectKind.MEMBER,
            SubjectKind.ORGANIZATION,
            SubjectKind.COLLECTIVE,
            SubjectKind.LEADER,
        ]
        board = self.b.users["bantochuc"]
        for pool_id in sorted(
            self.changes,
            key=lambda pk: (order.index(self.pool_kind[pk]), -self.pool_depth[pk], pk),
        ):
            owner = self.pool_owner[pool_id]
            ratings_record(
                cycle=self.cycle,
                changes=self.changes[pool_id],
                acting_user=board if owner == BLOC_CODE else self.b.clerk_of(owner),
                reason=HISTORY_REASON,
            )

    # --- shared steps ---

    def stage_of(self, organization_id: int) -> str | None:
        unit = self.b.unit_of.get(self.code_of[organization_id])
        return self.b.stage.get(unit) if unit else None

    def draw(self, distribution) -> str:
        levels, weights = zip(*distribution, strict=True)
        return self.rng.choices(levels, weights)[0]

    @staticmethod
    def bound(level: str, verdict) -> str:
        """The level, lowered to what the rules allow (or the level they force)."""
        if verdict.forced_level:
            return verdict.forced_level
        return max(level, verdict.max_level, key=LEVEL_RANK.__getitem__)

    def verdicts(self, ratings: list[Rating]) -> dict[int, Any]:
        return dict(
            zip([r.pk for r in ratings], eligibilities(ratings, cycle=self.cycle), strict=True)
        )

    def fit_quota(self, levels: dict[Any, str]) -> dict[Any, str]:
        """Cut HTXSNV to HTTNV, in a random order, until the pool is within its quota."""
        result = dict(levels)
        excellent = [key for key, level in result.items() if level == Level.EXCELLENT]
        self.rng.shuffle(excellent)
        while (
            excellent
            and quota_status_from_counts(cycle=self.cycle, counts=Counter(result.values())).is_over
        ):
            result[excellent.pop()] = Level.GOOD
        return result

    def self_level(self, level: str) -> str:
        """People and committees rate themselves a notch above the decision now and then."""
        roll = self.rng.random()
        better = {Level.GOOD: 0.18, Level.COMPLETED: 0.35, Level.NOT_COMPLETED: 0.6}
        if roll < better.get(level, 0):
            return Level.values[LEVEL_RANK[level] - 1]
        return level

    def votes(self, present: int, level: str) -> dict[str, int]:
        against = self.rng.choice(
            (0, 0, 1, 1, 2, 3)
            if level == Level.EXCELLENT
            else (0, 0, 0, 0, 1)
            if level == Level.GOOD
            else (0, 1, 2)
        )
        present = max(present, 1)
        against = min(against, present // 2)
        return {"votes_for": present - against, "votes_against": against}

    def put(self, rating: Rating, **fields: Any) -> None:
        fields = {key: value for key, value in fields.items() if value not in ("", None)}
        if fields:
            self.changes[rating.pool_id][rating.pk] = fields

    # --- members: one pool per grassroots unit ---

    def rate_members(self, ratings: list[Rating]) -> None:
        merit = {}
        for rating in ratings:
            cell = self.code_of[rating.member.organization_id]
            if cell not in self.cell_quality:
                self.cell_quality[cell] = self.draw(ORGANIZATION_MERIT)
            merit[rating.pk] = self.draw(MEMBER_MERIT[self.cell_quality[cell]])
            if rating.member.is_leader and merit[rating.pk] == Level.NOT_COMPLETED:
                merit[rating.pk] = Level.COMPLETED  # a failing head is a rule case, not chance
            if rating.member.is_civil_servant:
                rating.civil_service_level = self.civil_service_level(rating, merit[rating.pk])
            self.civil_levels[rating.member_id] = rating.civil_service_level
        verdicts = self.verdicts(ratings)
        by_pool: dict[int, list[Rating]] = defaultdict(list)
        for rating in ratings:
            by_pool[rating.pool_id].append(rating)
        for pool_id, pool_ratings in by_pool.items():
            stage = self.b.stage[self.pool_owner[pool_id]]
            proposed = {
                r.pk: self.bound(merit[r.pk], verdicts[r.pk])
                for r in pool_ratings
                if verdicts[r.pk].is_rated
            }
            decided = self.fit_quota(proposed)
            reviewed = Counter(
                r.member.organization_id for r in pool_ratings if verdicts[r.pk].is_reviewed
            )
            share_started = 0.3 + 0.4 * self.rng.random()
            for rating in pool_ratings:
                if rating.pk in decided:
                    self.member_levels[rating.member_id] = decided[rating.pk]
                if stage == Stage.STARTED:
                    if rating.pk in decided and self.rng.random() < share_started:
                        self.put(rating, self_level=self.self_level(decided[rating.pk]))
                    continue
                fields: dict[str, Any] = {}
                if verdicts[rating.pk].is_reviewed:
                    fields["civil_service_level"] = rating.civil_service_level
                if rating.pk in decided:
                    present = reviewed[rating.member.organization_id] - self.rng.choice(
                        (0, 0, 1, 2)
                    )
                    fields.update(
                        self_level=self.self_level(proposed[rating.pk]),
                        proposal_level=proposed[rating.pk],
                        **self.votes(present, proposed[rating.pk]),
                    )
                    if stage in Stage.DECIDED:
                        fields["decision_level"] = decided[rating.pk]
                self.put(rating, **fields)

    def civil_service_level(self, rating: Rating, merit: str) -> str:
        """The CCVC rating comes first (HD 21): HTXSNV for every member worth HTXSNV."""
        if self.plan_of[rating.member_id].special == "civil_service_not_completed":
            return Level.NOT_COMPLETED
        if merit == Level.EXCELLENT:
            return Level.EXCELLENT
        if merit == Level.GOOD:
            return Level.EXCELLENT if self.rng.random() < 0.12 else Level.GOOD
        return Level.COMPLETED

    # --- individual leaders: the unit decides for those it manages, the bloc for the others ---

    def rate_leaders(self, ratings: list[Rating]) -> None:
        for rating in ratings:
            rating.civil_service_level = self.civil_levels.get(rating.member_id, "")
        verdicts = self.verdicts(ratings)
        by_pool: dict[int, list[Rating]] = defaultdict(list)
        for rating in ratings:
            if verdicts[rating.pk].is_rated and rating.member_id in self.member_levels:
                by_pool[rating.pool_id].append(rating)
        for pool_id, pool_ratings in by_pool.items():
            decides = {Stage.APPROVED} if self.pool_owner[pool_id] == BLOC_CODE else Stage.DECIDED
            proposed = {
                r.pk: self.bound(self.member_levels[r.member_id], verdicts[r.pk])
                for r in pool_ratings
            }
            stages = {r.pk: self.stage_of(r.member.organization_id) for r in pool_ratings}
            decided = self.fit_quota(
                {pk: level for pk, level in proposed.items() if stages[pk] in decides}
            )
            for rating in pool_ratings:
                if stages[rating.pk] in (None, Stage.STARTED):
                    continue
                self.put(
                    rating,
                    civil_service_level=rating.civil_service_level,
                    self_level=self.self_level(proposed[rating.pk]),
                    decision_level=decided.get(rating.pk, ""),
                )

    # --- organizations: cells and sub-committees by their unit, units by the bloc ---

    def level_for(self, code: str, levels_below: list[str]) -> str:
        """HD 21: HTXSNV only with 100% of those rated HTNV or better and 80% HTTNV or better."""
        level = self.cell_quality.get(code) or self.draw(ORGANIZATION_MERIT)
        rated = [below for below in levels_below if below]
        if level == Level.EXCELLENT and not self.rules.organization_may_be_excellent(
            rated=len(rated),
            completed_or_better=sum(LEVEL_RANK[x] <= LEVEL_RANK[Level.COMPLETED] for x in rated),
            good_or_better=sum(LEVEL_RANK[x] <= LEVEL_RANK[Level.GOOD] for x in rated),
        ):
            return Level.GOOD
        return level

    def rate_organizations(self, ratings: list[Rating]) -> None:
        verdicts = self.verdicts(ratings)
        rating_of = {r.organization.code: r for r in ratings}
        members_of: dict[str, list[str]] = defaultdict(list)
        for plan in self.b.plans:
            level = self.member_levels.get(plan.member.pk)
            if level:
                members_of[self.code_of[plan.member.organization_id]].append(level)
        children: dict[str, list[str]] = defaultdict(list)
        for code, parent in self.b.parent_of.items():
            children[parent].append(code)

        levels: dict[str, str] = {}
        for unit, stage in self.b.stage.items():
            # Cells first, then the sub-committees over them (lower before higher, §6).
            nodes = [c for c in self.b.cells_of[unit] if c != unit] + self.b.subs_of[unit]
            proposed = {}
            for code in nodes:
                if verdicts[rating_of[code].pk].is_rated:
                    below = (
                        members_of[code]
                        if self.b.orgs[code].holds_members
                        else [levels[c] for c in children[code] if c in levels]
                    )
                    proposed[code] = levels[code] = self.level_for(code, below)
            decided = self.fit_quota(proposed)
            levels.update(decided)
            if stage == Stage.STARTED:
                continue
            for code, level in proposed.items():
                present = (
                    len(members_of[code])
                    if self.b.orgs[code].holds_members
                    else self.rng.randint(5, 7)
                )
                self.put(
                    rating_of[code],
                    self_level=self.self_level(level),
                    proposal_level=level,
                    **self.votes(present, level),
                    decision_level=decided[code] if stage in Stage.DECIDED else "",
                )

        # The grassroots units, decided by the bloc's standing board once their report is approved.
        proposed = {}
        for unit in self.b.stage:
            if verdicts[rating_of[unit].pk].is_rated:
                below = (
                    members_of[unit]
                    if self.b.orgs[unit].holds_members
                    else [levels[c] for c in children[unit] if c in levels]
                )
                proposed[unit] = self.level_for(unit, below)
        decided = self.fit_quota(
            {
                unit: level
                for unit, level in proposed.items()
                if self.b.stage[unit] == Stage.APPROVED
            }
        )
        for unit, level in proposed.items():
            stage = self.b.stage[unit]
            if stage == Stage.STARTED:
                continue
            fields: dict[str, Any] = {"self_level": self.self_level(level)}
            if stage == Stage.APPROVED:
                present = self.b.committee_size.get(unit) or len(members_of[unit])
                fields.update(
                    proposal_level=level, decision_level=decided[unit], **self.votes(present, level)
                )
            self.put(rating_of[unit], **fields)

    # --- leadership collectives: decided by the bloc once the unit is approved ---

    def rate_collectives(self, ratings: list[Rating]) -> None:
        verdicts = self.verdicts(ratings)
        proposed = {
            r.pk: self.bound(self.draw(COLLECTIVE_MERIT), verdicts[r.pk])
            for r in ratings
            if verdicts[r.pk].is_rated
        }
        # The bloc's standing board sits in the bloc's own pool: decided with the approved units.
        stages = {
            r.pk: self.stage_of(r.collective.organization_id) or Stage.APPROVED for r in ratings
        }
        decided = self.fit_quota(
            {pk: level for pk, level in proposed.items() if stages[pk] == Stage.APPROVED}
        )
        for rating in ratings:
            if rating.pk in proposed and stages[rating.pk] != Stage.STARTED:
                self.put(
                    rating,
                    self_level=self.self_level(proposed[rating.pk]),
                    decision_level=decided.get(rating.pk, ""),
                )
