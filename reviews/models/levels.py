"""Levels, regimes and quota settings shared by every sub-domain (DOMAIN.md §2, §3, §10)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    """The four rating levels, best first (DOMAIN.md §2)."""

    EXCELLENT = "HTXSNV", _("Hoàn thành xuất sắc nhiệm vụ")
    GOOD = "HTTNV", _("Hoàn thành tốt nhiệm vụ")
    COMPLETED = "HTNV", _("Hoàn thành nhiệm vụ")
    NOT_COMPLETED = "KHTNV", _("Không hoàn thành nhiệm vụ")


LEVEL_SHORT_LABELS = {
    Level.EXCELLENT: _("Xuất sắc"),
    Level.GOOD: _("Tốt"),
    Level.COMPLETED: _("Hoàn thành"),
    Level.NOT_COMPLETED: _("Không hoàn thành"),
}
#: Lower is better: used to compare a level with a cap.
LEVEL_RANK = {level: index for index, level in enumerate(Level.values)}


class RuleSetCode(models.TextChoices):
    """Regulation regimes (DOMAIN.md §10); each code has a rule set in `reviews.rules`."""

    HD21_2019 = "hd21_2019", _("QĐ 132-QĐ/TW, HD 21-HD/BTCTW (2019–2022)")
    QD124_2023 = "qd124_2023", _("QĐ 124-QĐ/TW, HD 25-HD/BTCTW (2023–2024)")
    QD366_2025 = "qd366_2025", _("QĐ 366-QĐ/TW, HD 43-HD/BTCTW (từ 2025)")


class Framework(models.TextChoices):
    """The scoring frameworks of HD 43-HD/BTCTW, one self-review form each (DOMAIN.md §13)."""

    COLLECTIVE = "pl1", _("Tập thể (Phụ lục 1, Mẫu 01)")
    LEADER = "pl3", _("Cá nhân lãnh đạo, quản lý (Phụ lục 3, Mẫu 2A)")
    MEMBER = "pl4", _("Đảng viên không giữ chức vụ lãnh đạo, quản lý (Phụ lục 4, Mẫu 2B)")
    OUTSIDE = "pl5", _("Đảng viên không làm việc trong hệ thống chính trị (Phụ lục 5, Mẫu 2C)")


class CriterionPart(models.TextChoices):
    """The two parts of a score out of 100 (QĐ 366-QĐ/TW, Điều 10)."""

    GENERAL = "general", _("Tiêu chí chung")
    TASKS = "tasks", _("Kết quả thực hiện nhiệm vụ")


#: Each part's maximum (QĐ 366-QĐ/TW, Điều 10): general criteria /30, task results /70.
PART_MAXIMUM = {CriterionPart.GENERAL: 30, CriterionPart.TASKS: 70}


class QuotaBasis(models.TextChoices):
    GOOD_ONLY = "good_only", _('Số được xếp loại đúng mức "Hoàn thành tốt nhiệm vụ"')
    GOOD_OR_BETTER = "good_or_better", _('Số được xếp loại "Hoàn thành tốt nhiệm vụ" trở lên')


class QuotaRounding(models.TextChoices):
    FLOOR = "floor", _("Làm tròn xuống (không vượt quá)")
    NEAREST = "nearest", _("Làm tròn đến số gần nhất")
