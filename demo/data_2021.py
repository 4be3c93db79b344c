"""The 2021 demo's data: the bloc's units, accounts, names, texts and distributions.

Tables only; `demo.year_2021` builds the bloc and its cycle from them.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings

from members.models import ManagingLevel, SeatRole
from organizations.models import (
    GrassrootsType,
    OrganizationKind,
    Role,
)
from reviews.models import (
    DossierKind,
    Level,
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

#: The role each seat title of the demo's collectives carries (the order rules read the role;
#: any other title is a plain member's seat).
SEAT_ROLES = {
    "Bí thư": SeatRole.HEAD,
    "Phó Bí thư Thường trực": SeatRole.DEPUTY,
    "Phó Bí thư": SeatRole.DEPUTY,
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
    DossierKind.SELF_REVIEWS: ("Bản tự kiểm điểm, tự chấm điểm của cá nhân", "ban-kiem-diem"),
    DossierKind.RESIDENCE_COMMENTS: ("Nhận xét của chi ủy nơi cư trú", "nhan-xet-noi-cu-tru"),
    DossierKind.APPRAISAL: ("Tổng hợp kết quả thẩm định, đánh giá", "tong-hop-tham-dinh"),
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
