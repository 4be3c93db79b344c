"""Re-rating: the competent body cancels a decided result and rates again (QĐ 366-QĐ/TW,
Điều 15; HD 43-HD/BTCTW, Mẫu 03)."""

from __future__ import annotations

import datetime
from collections import Counter

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from reviews.models import Level, Pool, Rating, RatingChange, ReRating
from reviews.quota import quota_exceeded_error, quota_status_from_counts, rates_in_force
from reviews.rules.base import limits_text, rule_violation
from reviews.selectors import eligibilities


@transaction.atomic
def rating_rerate(
    *,
    rating: Rating,
    level: str,
    findings: str,
    reference: str,
    decided_on: datetime.date,
    acting_user: User | None,
) -> ReRating:
    """When later findings show a decided result was wrong, the body that decided it cancels
    it and rates again by a decision: allowed in a finalized pool and a closed cycle, as a
    recorded act; the new level must be one the rules allow and, for HTXSNV, one the pool's
    quota still has room for. The first result and the reason stay in the history.

    Raises ValidationError: not_decided, same_level, rerating_needs_reason, override_needs_user,
    decided_in_future, rule_violation, quota_exceeded.
    """
    pool = (
        Pool.objects.select_for_update(of=("self",)).select_related("cycle").get(pk=rating.pool_id)
    )
    rating = (
        Rating.objects.select_for_update(of=("self",))
        .select_related("member", "organization", "collective")
        .get(pk=rating.pk)
    )
    if not rating.decision_level:
        raise ValidationError(_("Chưa có quyết định xếp loại để xếp loại lại."), code="not_decided")
    if level == rating.decision_level:
        raise ValidationError(
            _("Mức xếp loại lại trùng với kết quả đã quyết định."), code="same_level"
        )
    if not findings.strip() or not reference.strip():
        raise ValidationError(
            _("Xếp loại lại cần nêu căn cứ và số quyết định."), code="rerating_needs_reason"
        )
    if acting_user is None:
        raise ValidationError(
            _("Xếp loại lại phải ghi rõ người thực hiện."), code="override_needs_user"
        )
    if decided_on > timezone.localdate():
        raise ValidationError(_("Ngày quyết định không thể ở tương lai."), code="decided_in_future")
    cycle = pool.cycle
    verdict = eligibilities([rating], cycle=cycle)[0]
    if not verdict.allows(level) and not rating.has_override:
        raise rule_violation(
            _("Mức “%(level)s” vượt quá mức quy định cho phép: %(why)s")
            % {"level": Level(level).label, "why": limits_text(verdict)},
            verdict,
        )
    if level == Level.EXCELLENT:
        counts = Counter(
            Rating.objects.filter(pool=pool)
            .rated()
            .exclude(pk=rating.pk)
            .values_list("decision_level", flat=True)
        )
        counts[Level.EXCELLENT] += 1
        status = quota_status_from_counts(
            cycle=cycle, counts=counts, rate=rates_in_force([pool])[pool.pk]
        )
        if status.is_over:
            raise quota_exceeded_error(status, pool=pool)
    old = rating.decision_level
    Rating.objects.filter(pk=rating.pk).update(
        decision_level=level,
        decided_at=timezone.now(),
        decided_by=acting_user,
        version=F("version") + 1,
        updated_at=timezone.now(),
    )
    RatingChange.objects.create(
        rating=rating,
        field="decision_level",
        old_value=old,
        new_value=level,
        reason=(
            _("Xếp loại lại theo quyết định %(reference)s: %(findings)s")
            % {"reference": reference.strip(), "findings": findings.strip()}
        )[:500],
        changed_by=acting_user,
    )
    return ReRating.objects.create(
        rating=rating,
        old_level=old,
        new_level=level,
        findings=findings.strip(),
        reference=reference.strip(),
        decided_on=decided_on,
        decided_by=acting_user,
    )
