"""Score bands and task conditions (QĐ 366-QĐ/TW, Điều 11), shared by every scored rule set."""

from __future__ import annotations

import functools
from decimal import Decimal

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from organizations.text import decimal_text
from reviews.models import LEVEL_RANK, Level, ShortcomingsFixed
from reviews.rules.base import Limit, RuleContext, TaskFacts

SOURCE = "QĐ 366-QĐ/TW, Điều 11"
HUNDRED = Decimal("100")


def band_level(score: Decimal, context: RuleContext) -> str:
    """The best level a total reaches on the cycle's bands: HTXSNV ≥ 90, HTTNV 70 to under 90,
    HTNV 50 to under 70, KHTNV under 50 by default (QĐ 366, Điều 11)."""
    for minimum, level in context.score_bands:
        if score >= minimum:
            return level
    return Level.NOT_COMPLETED


def score_limits(
    tasks: TaskFacts, context: RuleContext, *, excellent_blockers: tuple[str, ...] = ()
) -> tuple[list[Limit], str]:
    """The limits the score and the task results set, and a sentence saying what they allow
    (`_score_limits`). A pure function of its arguments and the active language, remembered for
    the last 4,096 of them: a province's 100,000 members hold a few hundred distinct task
    results, and the sentences cost three translations each (issue #16)."""
    limits, explanation = _score_limits(tasks, context, excellent_blockers, get_language())
    return list(limits), explanation


@functools.lru_cache(maxsize=4096)
def _score_limits(
    tasks: TaskFacts, context: RuleContext, excellent_blockers: tuple[str, ...], language: str
) -> tuple[tuple[Limit, ...], str]:
    """The limits the score and the task results set, and a sentence saying what they allow.

    HTXSNV also needs 100% of tasks done with at least the cycle's share beyond what was
    required and every shortcoming of the last review fixed (and, for a collective, nobody below
    it disciplined: `excellent_blockers`); HTTNV needs 100% on time; HTNV 100% with at most the
    cycle's share late. A fact not recorded yet does not lower HTTNV or HTNV, but HTXSNV must be
    shown to be met.
    """
    if not context.score_bands:
        return (), ""
    if tasks.score is None:
        return (), _("Chưa chấm điểm: chưa xác định được mức xếp loại theo điểm.")
    band = band_level(tasks.score, context)
    limits: list[Limit] = []
    score_text = decimal_text(tasks.score)
    if band == Level.NOT_COMPLETED:
        limits.append(
            Limit(
                code="score_below_completed",
                message=_("Tổng điểm %(score)s/100, dưới %(minimum)s: “Không hoàn thành nhiệm vụ”.")
                % {"score": score_text, "minimum": decimal_text(context.score_bands[-1][0])},
                source=SOURCE,
                forced_level=Level.NOT_COMPLETED,
            )
        )
        return tuple(limits), limits[0].message
    if band != Level.EXCELLENT:
        limits.append(
            Limit(
                code="score_band",
                message=_("Tổng điểm %(score)s/100: cao nhất “%(level)s”.")
                % {"score": score_text, "level": Level(band).label},
                source=SOURCE,
                max_level=band,
            )
        )
    done, late, beyond = tasks.done_percent, tasks.late_percent, tasks.beyond_percent
    missing: list[str] = list(excellent_blockers)
    if done is None or done < HUNDRED:
        missing.append(_("chưa ghi nhận hoàn thành 100% nhiệm vụ"))
    minimum_beyond = context.tasks_beyond_min_percent or Decimal(0)
    if beyond is None or beyond < minimum_beyond:
        missing.append(
            _("nhiệm vụ vượt yêu cầu %(beyond)s%%, cần ít nhất %(minimum)s%%")
            % {
                "beyond": decimal_text(beyond) if beyond is not None else "?",
                "minimum": decimal_text(minimum_beyond),
            }
        )
    if tasks.shortcomings_fixed not in (ShortcomingsFixed.NONE, ShortcomingsFixed.FIXED):
        missing.append(_("hạn chế của kỳ trước chưa được ghi nhận là đã khắc phục xong"))
    if band == Level.EXCELLENT and missing:
        limits.append(
            Limit(
                code="excellent_conditions_unmet",
                message=_("Chưa đủ điều kiện “Hoàn thành xuất sắc nhiệm vụ”: %(missing)s.")
                % {"missing": "; ".join(missing)},
                source=SOURCE,
                max_level=Level.GOOD,
            )
        )
    late_max = context.tasks_late_max_percent
    short_of_tasks = done is not None and done < HUNDRED
    too_late = late is not None and late_max is not None and late > late_max
    if short_of_tasks or too_late:
        limits.append(
            Limit(
                code="completed_conditions_unmet",
                message=_(
                    "Hoàn thành %(done)s%% nhiệm vụ, %(late)s%% chậm tiến độ: chưa đạt điều kiện "
                    "“Hoàn thành nhiệm vụ” (100%% nhiệm vụ, chậm không quá %(late_max)s%%)."
                )
                % {
                    "done": decimal_text(done) if done is not None else "?",
                    "late": decimal_text(late) if late is not None else "?",
                    "late_max": decimal_text(late_max) if late_max is not None else "?",
                },
                source=SOURCE,
                forced_level=Level.NOT_COMPLETED,
            )
        )
    elif late is not None and late > 0 and band in (Level.EXCELLENT, Level.GOOD):
        limits.append(
            Limit(
                code="good_conditions_unmet",
                message=_(
                    "%(late)s%% nhiệm vụ chậm tiến độ: chưa đạt điều kiện “Hoàn thành tốt nhiệm "
                    "vụ” (100%% nhiệm vụ đúng tiến độ, bảo đảm chất lượng)."
                )
                % {"late": decimal_text(late)},
                source=SOURCE,
                max_level=Level.COMPLETED,
            )
        )
    return tuple(limits), _explain(score_text, band, limits)


def _explain(score_text: str, band: str, limits: list[Limit]) -> str:
    forced = [limit for limit in limits if limit.forced_level]
    if forced:
        return forced[0].message
    caps = [limit.max_level for limit in limits if limit.max_level]
    allowed = max(caps, key=LEVEL_RANK.__getitem__) if caps else band
    return _("Tổng điểm %(score)s/100 và điều kiện về nhiệm vụ: cao nhất “%(level)s”.") % {
        "score": score_text,
        "level": Level(allowed).label,
    }
