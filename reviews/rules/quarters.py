"""Roll-up of the quarterly results into the year (DOMAIN.md §14; QĐ 366-QĐ/TW, KL 198-KL/TW:
"kết quả đánh giá hằng quý … làm căn cứ đánh giá hằng năm"). The two rules here are local
ones a competent body may adopt for its cycle (interpretation): each is off by default.

Pure functions of the quarters' results (Q1–Q3, '' for a quarter not assessed).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from django.utils.translation import gettext as _

from reviews.models import Level
from reviews.rules.base import Limit

SOURCE = "Quy định của cấp ủy về đánh giá hằng quý (QĐ 366-QĐ/TW; KL 198-KL/TW)"


def quarter_limits(results: Sequence[str], *, bars_excellent: bool) -> tuple[Limit, ...]:
    """One quarter "Không hoàn thành nhiệm vụ" bars "Hoàn thành xuất sắc nhiệm vụ" for the
    year, when the cycle adopts the rule."""
    if not bars_excellent:
        return ()
    failed = [index + 1 for index, level in enumerate(results) if level == Level.NOT_COMPLETED]
    if not failed:
        return ()
    return (
        Limit(
            code="quarter_not_completed",
            message=_("Quý %(quarters)s “Không hoàn thành nhiệm vụ”: cả năm không được “%(best)s”.")
            % {"quarters": ", ".join(str(q) for q in failed), "best": Level.EXCELLENT.label},
            source=SOURCE,
            max_level=Level.GOOD,
        ),
    )


def needs_personnel_attention(results: Sequence[str]) -> bool:
    """Two consecutive quarters "Không hoàn thành nhiệm vụ": the person is reported to the
    personnel body (cơ quan tham mưu về công tác cán bộ)."""
    return any(
        first == second == Level.NOT_COMPLETED for first, second in itertools.pairwise(results)
    )
