"""The shipped criteria templates, one per framework of HD 43-HD/BTCTW (DOMAIN.md §13).

General criteria /30 and task results /70 (QĐ 366-QĐ/TW, Điều 10). The split inside the 30 and
the 70 is for the committee above to set (HD 43 §7.12): a cycle copies this template and edits
its copy. Rows: (code, part, title, maximum).
"""

from __future__ import annotations

from decimal import Decimal

from reviews.models import CriterionPart, Framework

G, T = CriterionPart.GENERAL, CriterionPart.TASKS

CRITERIA_TEMPLATES: dict[str, tuple[tuple[str, str, str, Decimal], ...]] = {
    Framework.COLLECTIVE: (
        ("1", G, "Thực hiện quy chế làm việc, nguyên tắc tập trung dân chủ", Decimal(10)),
        (
            "2",
            G,
            "Lãnh đạo công tác xây dựng Đảng về chính trị, tư tưởng, đạo đức, tổ chức và cán bộ",
            Decimal(10),
        ),
        (
            "3",
            G,
            "Trách nhiệm của tập thể trong lãnh đạo, chỉ đạo, kiểm tra, giám sát",
            Decimal(10),
        ),
        (
            "4",
            T,
            "Kết quả thực hiện nghị quyết đại hội và các chỉ tiêu, nhiệm vụ của kế hoạch năm",
            Decimal(50),
        ),
        (
            "5",
            T,
            "Kết quả lãnh đạo thực hiện nhiệm vụ chính trị, nhiệm vụ đột xuất của cơ quan, đơn vị",
            Decimal(20),
        ),
    ),
    Framework.LEADER: (
        ("1", G, "Chính trị, tư tưởng", Decimal(6)),
        ("2", G, "Đạo đức, lối sống, ý thức tổ chức kỷ luật", Decimal(6)),
        ("3", G, "Năng lực lãnh đạo, quản lý, điều hành", Decimal(6)),
        ("4", G, "Uy tín, đoàn kết nội bộ", Decimal(6)),
        ("5", G, "Tự phê bình và phê bình", Decimal(6)),
        ("6", T, "Thực hiện chức trách, nhiệm vụ được giao", Decimal(30)),
        ("7", T, "Kết quả lãnh đạo, chỉ đạo lĩnh vực, cơ quan, đơn vị phụ trách", Decimal(25)),
        (
            "8",
            T,
            "Kết quả đánh giá tập thể, cá nhân thuộc quyền quản lý trực tiếp",
            Decimal(15),
        ),
    ),
    Framework.MEMBER: (
        ("1", G, "Chính trị, tư tưởng", Decimal(10)),
        ("2", G, "Đạo đức, lối sống", Decimal(10)),
        ("3", G, "Ý thức tổ chức kỷ luật, tác phong, lề lối làm việc", Decimal(10)),
        ("4", T, "Sản phẩm, tiến độ, chất lượng công việc được giao", Decimal(50)),
        ("5", T, "Thực hiện nhiệm vụ chi bộ giao, nhiệm vụ đột xuất", Decimal(20)),
    ),
    Framework.OUTSIDE: (
        ("1", G, "Chính trị, tư tưởng, đạo đức, lối sống", Decimal(15)),
        ("2", G, "Ý thức tổ chức kỷ luật, giữ mối liên hệ với nơi cư trú", Decimal(15)),
        ("3", T, "Thực hiện nhiệm vụ chi bộ phân công", Decimal(40)),
        ("4", T, "Học tập, quán triệt, thực hiện nghị quyết", Decimal(15)),
        ("5", T, "Nhiệm vụ đột xuất phù hợp sức khỏe, độ tuổi", Decimal(15)),
    ),
}
