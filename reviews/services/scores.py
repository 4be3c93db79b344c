"""Criteria trees and scores out of 100 (QĐ 366-QĐ/TW, Điều 10; HD 43 §7.12).

A cycle that uses scores copies the shipped templates (`reviews.data.criteria`) when it is
prepared; its Board may edit the copy while no score has been entered on it. Scores are written
by `reviews.services.ratings.ratings_record(scores=...)`, which calls `scores_apply` here: each
criterion's points are checked against its maximum, and the totals are computed, never typed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from organizations.rows import rows_insert
from organizations.text import decimal_text
from reviews.data.criteria import CRITERIA_TEMPLATES
from reviews.models import (
    PART_MAXIMUM,
    Criterion,
    CriterionPart,
    CriterionScore,
    Framework,
    Rating,
    ReviewCycle,
)
from reviews.rules.peer_groups import framework_of

SCORE_FIELDS = ("self_points", "decided_points")
TOTAL_FIELDS = {"self_points": "self_score", "decided_points": "decided_score"}


@transaction.atomic
def criteria_copy_template(*, cycle: ReviewCycle) -> int:
    """Give a scored cycle its own criteria trees, copied from the shipped templates, for the
    frameworks it lacks (idempotent). Returns how many criteria were created."""
    if not cycle.uses_scores:
        return 0
    present = set(Criterion.objects.filter(cycle=cycle).values_list("framework", flat=True))
    created = [
        Criterion(
            cycle=cycle,
            framework=framework,
            part=part,
            code=code,
            order=order,
            title=title,
            max_points=maximum,
        )
        for framework, rows in CRITERIA_TEMPLATES.items()
        if framework not in present
        for order, (code, part, title, maximum) in enumerate(rows, start=1)
    ]
    Criterion.objects.bulk_create(created)
    return len(created)


def check_criteria_sums(rows: list[tuple[str, Decimal]], *, framework: str) -> None:
    """The leaves of each part add up to its maximum: /30 and /70 (QĐ 366, Điều 10)."""
    sums: dict[str, Decimal] = defaultdict(Decimal)
    for part, maximum in rows:
        sums[part] += maximum
    for part, expected in PART_MAXIMUM.items():
        if sums[part] != expected:
            raise ValidationError(
                _("%(framework)s — %(part)s: tổng điểm tối đa là %(sum)s, phải bằng %(expected)s.")
                % {
                    "framework": Framework(framework).label,
                    "part": CriterionPart(part).label,
                    "sum": decimal_text(sums[part]),
                    "expected": expected,
                },
                code="criteria_sum_mismatch",
            )


@transaction.atomic
def criteria_save(
    *,
    cycle: ReviewCycle,
    framework: str,
    rows: list[Mapping[str, Any]],
    acting_user: User | None,
) -> list[Criterion]:
    """Replace a framework's criteria of a cycle (rows: code, part, title, max_points, in
    order). Refused when the parts do not add up to 30 and 70, or when scores were entered on
    it and the maxima change (the entered scores were given against them)."""
    check_criteria_sums(
        [(row["part"], Decimal(row["max_points"])) for row in rows], framework=framework
    )
    existing = list(Criterion.objects.filter(cycle=cycle, framework=framework).order_by("order"))
    scored = CriterionScore.objects.filter(criterion__in=existing).exists()
    shape = [(c.code, c.part, c.max_points) for c in existing]
    new_shape = [(row["code"], row["part"], Decimal(row["max_points"])) for row in rows]
    if scored and shape != new_shape:
        raise ValidationError(
            _("Đã có điểm chấm theo bộ tiêu chí này: chỉ sửa được nội dung, không sửa số điểm."),
            code="criteria_in_use",
        )
    if scored:
        for criterion, row in zip(existing, rows, strict=True):
            if criterion.title != row["title"]:
                criterion.title = row["title"]
                criterion.save(update_fields=["title"])
        return existing
    Criterion.objects.filter(pk__in=[c.pk for c in existing]).delete()
    created = []
    for order, row in enumerate(rows, start=1):
        criterion = Criterion(
            cycle=cycle,
            framework=framework,
            part=row["part"],
            code=row["code"],
            order=order,
            title=row["title"],
            max_points=Decimal(row["max_points"]),
        )
        criterion.full_clean(exclude=["cycle"])
        created.append(criterion)
    return Criterion.objects.bulk_create(created)


def parse_points(value: Any) -> Decimal | None:
    """A criterion's points as typed: '', None → not scored; '8,5' or '8.5' → 8.5."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        points = (
            value if isinstance(value, Decimal) else Decimal(str(value).strip().replace(",", "."))
        )
    except InvalidOperation:
        points = None
    if points is None or not points.is_finite():  # "NaN", "Infinity" parse but are no score
        raise ValidationError(
            _("Điểm “%(value)s” không phải là số.") % {"value": value}, code="score_not_a_number"
        )
    return points


def scores_apply(
    *,
    cycle: ReviewCycle,
    ratings: dict[int, Rating],
    scores: Mapping[int, Mapping[int, Mapping[str, Any]]],
    acting_user: User | None,
) -> dict[int, dict[str, Decimal | None]]:
    """Write criterion scores (rating id → criterion id → {self_points, decided_points}) and
    return each touched rating's new totals ({self_score, decided_score}), for the caller to
    record on the rating with its history. A total is the sum of every leaf of the subject's
    framework, or None while one is unscored.

    Raises ValidationError: scores_not_in_regime, criterion_not_found, score_negative,
    score_above_maximum, score_too_precise, score_not_a_number.
    """
    if not scores:
        return {}
    if not cycle.uses_scores:
        raise ValidationError(
            _("Kỳ này không chấm điểm (quy định của kỳ không dùng thang điểm 100)."),
            code="scores_not_in_regime",
        )
    # Unordered reads: the models' orderings would join the cycle, the ratings, their pools.
    criteria = {c.pk: c for c in Criterion.objects.filter(cycle=cycle).order_by()}
    leaves_by_framework: dict[str, list[Criterion]] = defaultdict(list)
    parents = {c.parent_id for c in criteria.values() if c.parent_id}
    for criterion in criteria.values():
        if criterion.pk not in parents:
            leaves_by_framework[criterion.framework].append(criterion)
    stored: dict[tuple[int, int], dict[str, Decimal | None]] = {
        (rating_id, criterion_id): dict(zip(SCORE_FIELDS, points, strict=True))
        for rating_id, criterion_id, *points in CriterionScore.objects.filter(
            rating_id__in=list(scores)
        )
        .order_by()
        .values_list("rating_id", "criterion_id", *SCORE_FIELDS)
    }
    written: dict[tuple[int, int], dict[str, Decimal | None]] = {}
    for rating_id, by_criterion in scores.items():
        rating = ratings[rating_id]
        framework = framework_of(subject_kind=rating.subject_kind, subject=rating.subject)
        for criterion_id, values in by_criterion.items():
            found = criteria.get(int(criterion_id))
            if found is None or found.framework != framework or found.pk in parents:
                raise ValidationError(
                    _("Tiêu chí không thuộc bộ tiêu chí của %(subject)s.")
                    % {"subject": rating.subject},
                    code="criterion_not_found",
                )
            points_of = stored.setdefault((rating_id, found.pk), dict.fromkeys(SCORE_FIELDS))
            written[(rating_id, found.pk)] = points_of
            for field in SCORE_FIELDS:
                if field in values:
                    points = parse_points(values[field])
                    _check_points(points, criterion=found, subject=rating.subject)
                    points_of[field] = points
    # One upsert for new and changed scores alike; the ratings are locked by the caller, so no
    # other write races it (bulk_update's CASE/WHEN cost 4 s of the demo's 2026 cycle).
    acting_user_id = acting_user.pk if acting_user else None
    rows_insert(
        CriterionScore,
        [
            {
                "rating_id": rating_id,
                "criterion_id": criterion_id,
                **points_of,
                "updated_by_id": acting_user_id,
            }
            for (rating_id, criterion_id), points_of in written.items()
        ],
        unique=["rating", "criterion"],
        update=[*SCORE_FIELDS, "updated_by", "updated_at"],
    )
    totals: dict[int, dict[str, Decimal | None]] = {}
    for rating_id in scores:
        rating = ratings[rating_id]
        framework = framework_of(subject_kind=rating.subject_kind, subject=rating.subject)
        leaves = leaves_by_framework[framework]
        totals[rating_id] = {}
        for field, total_field in TOTAL_FIELDS.items():
            leaf_points: list[Decimal | None] = [
                stored.get((rating_id, leaf.pk), {}).get(field) for leaf in leaves
            ]
            given = [value for value in leaf_points if value is not None]
            complete = bool(leaves) and len(given) == len(leaf_points)
            totals[rating_id][total_field] = sum(given, Decimal(0)) if complete else None
    return totals


def _check_points(points: Decimal | None, *, criterion: Criterion, subject: Any) -> None:
    """Points within 0 and the criterion's maximum, with at most one decimal (QĐ 366)."""
    if points is None:
        return
    exponent = points.normalize().as_tuple().exponent
    if points < 0:
        code = "score_negative"
        message = _("%(subject)s, tiêu chí %(criterion)s: điểm không được âm (%(points)s).")
    elif points > criterion.max_points:
        code = "score_above_maximum"
        message = _("%(subject)s, tiêu chí %(criterion)s: %(points)s vượt điểm tối đa %(maximum)s.")
    elif isinstance(exponent, int) and exponent < -1:
        code = "score_too_precise"
        message = _(
            "%(subject)s, tiêu chí %(criterion)s: điểm chỉ lấy một chữ số thập phân (%(points)s)."
        )
    else:
        return
    raise ValidationError(
        message
        % {
            "subject": subject,
            "criterion": criterion.code,
            "points": decimal_text(points),
            "maximum": decimal_text(criterion.max_points),
        },
        code=code,
    )
