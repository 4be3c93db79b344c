"""Screens of the review cycle: the pools a user may see, the rating table, finalization."""

import logging
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from organizations.http import pk_or_404
from organizations.models import MEMBER_HOLDING_KINDS, Organization
from organizations.text import percent_text
from organizations.widgets import PickerView
from reviews.forms import (
    OverrideForm,
    PoolFilterForm,
    RatingRowForm,
    ReasonForm,
    ReRatingForm,
)
from reviews.models import LEVEL_SHORT_LABELS, Level, Pool, PoolFlagKind, Rating, SubjectKind
from reviews.permissions import Scope, may_read_meeting, may_see_peer_groups
from reviews.quota import pool_quota, propose_keep, quotas_by_pool
from reviews.rules import rule_set_for
from reviews.selectors import (
    CYCLE_SESSION_KEY,
    cycle_for_user,
    next_undecided,
    pool_groups,
    pool_page,
    pool_ratings,
    pool_rows,
)
from reviews.selectors.pools import PAGE_SIZE
from reviews.services import (
    pool_apply_quota_proposal,
    pool_finalize,
    pool_reopen,
    ratings_record,
)
from reviews.services.notifications import CYCLE_PARAMETER
from reviews.services.rerating import rating_rerate
from reviews.services.roster import decision_basis_confirm

refused_log = logging.getLogger("kiemdiem.refused")


def error_messages(error: ValidationError, request) -> list[str]:
    """The messages to show for a refusal by a service; each refusal is logged with its codes."""
    items = (
        [item for items in error.error_dict.values() for item in items]
        if hasattr(error, "error_dict")
        else error.error_list
    )
    codes = sorted({item.code or "invalid" for item in items})
    limits = sorted({code for item in items for code in getattr(item, "limit_codes", ())})
    refused_log.warning(
        "refused",
        extra={
            "user": request.user.get_username(),
            "path": request.path,
            "codes": codes,
            "limits": limits,
        },
    )
    return [str(message) for message in error.messages]


class CycleMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        asked = request.GET.get(CYCLE_PARAMETER, "")
        found = cycle_for_user(request.user, int(asked)) if asked.isdigit() else None
        if found is not None and found.pk == int(asked):
            # A link from a notice opens in its cycle, and the user goes on working there.
            request.session[CYCLE_SESSION_KEY] = int(asked)
        self.cycle = cycle_for_user(request.user, request.session.get(CYCLE_SESSION_KEY))
        if self.cycle is None:
            raise Http404(_("Chưa có kỳ đánh giá."))
        self.scope = Scope(request.user, self.cycle)
        return super().dispatch(request, *args, **kwargs)

    def get_pool(self, pk) -> Pool:
        return get_object_or_404(self.scope.visible_pools(self.cycle), pk=pk)


class PoolListView(CycleMixin, TemplateView):
    """Every pool the user may see in the cycle, with its quota status."""

    template_name = "reviews/pool_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        pools = list(self.scope.visible_pools(self.cycle).order_by("owner__path", "subject_kind"))
        # Counts of a pool decided above the user's scope would tell about other units.
        own = [pool for pool in pools if self.scope.covers(pool.owner.path)]
        quotas = quotas_by_pool(own)
        context["cycle"] = self.cycle
        context["pools"] = [(pool, quotas.get(pool.pk)) for pool in pools]
        return context


FILTER_ATTENTION = "can-xem"
NEXT_UNDECIDED = "chua-quyet-dinh"
LEVEL_CHOICES_SHORT = [(level, LEVEL_SHORT_LABELS[level]) for level in Level.values]


class PoolView(CycleMixin, TemplateView):
    """The rating table of one pool, a page at a time: rows by cell, the rules' limits, inline
    editing, a search and a jump to the next row still undecided."""

    template_name = "reviews/pool.html"

    def get(self, request, *args, **kwargs):
        self.pool = self.get_pool(kwargs["pk"])
        self.filters = self.read_filters(request)
        if request.GET.get("tiep") == NEXT_UNDECIDED:
            return self.jump_to_next_undecided(request)
        return super().get(request, *args, **kwargs)

    def read_filters(self, request) -> dict:
        group_id = request.GET.get("chi_bo", "")
        group = get_object_or_404(Organization, pk=pk_or_404(group_id)) if group_id else None
        level = request.GET.get("muc", "")
        return {
            "group": group,
            "level": level if level in Level.values else "",
            "search": request.GET.get("q", "").strip()[:100],
            "attention": request.GET.get("loc", "") == FILTER_ATTENTION,
        }

    def querystring(self) -> str:
        """The filters as a query string, for the pages and the jump."""
        filters = self.filters
        params = {
            "chi_bo": filters["group"].pk if filters["group"] else "",
            "muc": filters["level"],
            "q": filters["search"],
            "loc": FILTER_ATTENTION if filters["attention"] else "",
        }
        return urlencode({key: value for key, value in params.items() if value})

    def jump_to_next_undecided(self, request):
        """The page holding the first undecided row after the page the user is on."""
        filters = {k: v for k, v in self.filters.items() if k != "attention"}
        ratings = pool_ratings(self.pool, self.scope, **filters)
        page = request.GET.get("page", "1")
        after = (int(page) if page.isdigit() and int(page) > 0 else 1) * PAGE_SIZE - 1
        found = next_undecided(ratings, after=after)
        url = reverse("reviews:pool", args=[self.pool.pk])
        query = self.querystring()
        if found is None:
            messages.info(request, _("Không còn dòng nào chưa quyết định."))
            return redirect(f"{url}?{query}" if query else url)
        position, rating_pk = found
        number = position // PAGE_SIZE + 1
        query = f"{query}&page={number}" if query else f"page={number}"
        return redirect(f"{url}?{query}#rating-{rating_pk}")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        pool, filters = self.pool, self.filters
        groups = pool_groups(pool, self.scope)
        shown = pool_page(
            pool,
            self.scope,
            groups=groups,
            page_number=self.request.GET.get("page", 1),
            **filters,
        )
        owner_visible = self.scope.covers(pool.owner.path)
        quota = pool_quota(pool) if owner_visible else None
        group_list = list(groups.values())
        context.update(
            cycle=self.cycle,
            pool=pool,
            groups=group_list,
            shown=shown.runs,
            page_obj=shown.page,
            querystring=self.querystring(),
            next_undecided=NEXT_UNDECIDED,
            owner_visible=owner_visible,
            can_import=self.scope.can_edit_anything() and self.cycle.is_open,
            quota=quota,
            proposal=propose_keep(pool, rate=quota.rate) if quota else None,
            pending_flags=list(pool.flags.unresolved().select_related("member"))
            if owner_visible
            else [],
            basis_removed=PoolFlagKind.BASIS_REMOVED,
            can_decide=self.scope.can_decide(pool) and self.cycle.is_open,
            levels=Level.choices,
            level_choices=LEVEL_CHOICES_SHORT,
            group_id=str(filters["group"].pk) if filters["group"] else "",
            level=filters["level"],
            search=filters["search"],
            attention=filters["attention"],
            attention_value=FILTER_ATTENTION,
            total_rows=sum(group.size for group in group_list),
            undecided_rows=sum(group.counts.undecided for group in group_list),
            filter_form=PoolFilterForm(
                {"chi_bo": str(filters["group"].pk) if filters["group"] else ""},
                groups=group_list,
                search_url=reverse("reviews:pool-groups", args=[pool.pk]),
            ),
            proposals_pending=sum(group.proposals_pending for group in group_list),
            # Each cell's review meeting, for those who read its minutes.
            minutes_groups={
                group.organization.pk
                for group, _rows in shown.runs
                if group.organization.kind in MEMBER_HOLDING_KINDS
                and may_read_meeting(self.scope, group.organization)
            },
            is_member_pool=pool.subject_kind in (SubjectKind.MEMBER, SubjectKind.LEADER),
            uses_peer_groups=rule_set_for(self.cycle.rule_set).uses_peer_groups,
            # The page of the body's peer groups is linked for those who may open it.
            sees_peer_groups=may_see_peer_groups(self.scope, pool),
            exception=pool.exceptions.in_force().select_related("granted_by").first(),
            exception_ceiling_percent=(
                percent_text(self.cycle.exception_ceiling)
                if self.cycle.exception_ceiling is not None
                else ""
            ),
            can_grant_exception=self.cycle.exception_ceiling is not None
            and self.cycle.is_open
            and not pool.is_finalized
            and self.scope.can_grant_exception(pool),
        )
        return context


def render_row(request, row, *, pool, scope, errors=None, saved=False):
    """The saved row with the pool's quota panel and its group's counts (out of band): costs
    the same on a pool of ten and of ten thousand."""
    owner_visible = scope.covers(pool.owner.path)
    quota = pool_quota(pool) if owner_visible else None
    number = request.POST.get("number", "")
    row.number = int(number) if number.isdigit() and len(number) < 7 else None
    return render(
        request,
        "reviews/_row_response.html",
        {
            "row": row,
            "pool": pool,
            "quota": quota,
            "errors": errors or [],
            "saved": saved,
            "proposal": propose_keep(pool, rate=quota.rate) if quota else None,
            "owner_visible": owner_visible,
            "cycle": pool.cycle,
            "level_choices": LEVEL_CHOICES_SHORT,
            "group": pool_groups(pool, scope, only=row.group).get(row.group.path),
        },
    )


class RatingUpdateView(CycleMixin, View):
    """POST one row (htmx): the service applies the rules; the row and the quota panel return."""

    def post(self, request, pk):
        rating = get_object_or_404(self.scope.visible_ratings(self.cycle), pk=pk)
        pool = self.get_pool(rating.pool_id)
        row = self._row(pool, rating.pk)
        if not row.rights.any:
            raise PermissionDenied(_("Bạn không có quyền thực hiện thao tác này."))
        form = RatingRowForm(
            request.POST,
            rights=row.rights,
            comments=row.comment_fields,
            facts=row.fact_fields,
            scores=row.scores,
        )
        if not form.is_valid():
            errors = [str(e) for errs in form.errors.values() for e in errs]
            return render_row(request, row, pool=pool, scope=self.scope, errors=errors)
        try:
            scores = form.scores()
            ratings_record(
                cycle=self.cycle,
                changes={rating.pk: form.changes()},
                acting_user=request.user,
                expected_versions={rating.pk: form.cleaned_data["version"]},
                scores={rating.pk: scores} if scores else None,
            )
        except ValidationError as error:
            return render_row(
                request,
                self._row(pool, rating.pk),
                pool=pool,
                scope=self.scope,
                errors=error_messages(error, request),
            )
        return render_row(
            request, self._row(pool, rating.pk), pool=pool, scope=self.scope, saved=True
        )

    def _row(self, pool, rating_pk):
        rows = pool_rows(pool, self.scope, only=[rating_pk])
        if not rows:
            raise Http404
        return rows[0]


class PoolActionView(CycleMixin, View):
    """Base of the POST-only actions on a pool; each redirects back to the pool screen."""

    def post(self, request, pk):
        pool = self.get_pool(pk)
        if not self.scope.can_decide(pool) or not self.cycle.is_open:
            raise PermissionDenied(_("Bạn không có quyền thực hiện thao tác này."))
        try:
            message = self.act(request, pool)
        except ValidationError as error:
            for text in error_messages(error, request):
                messages.error(request, text)
        else:
            messages.success(request, message)
        return redirect(reverse("reviews:pool", args=[pool.pk]) + self.anchor(request, pool))

    def anchor(self, request, pool) -> str:
        """Where the page opens again after the action (the top by default)."""
        return ""

    def act(self, request, pool) -> str:
        raise NotImplementedError


class TakeProposalsView(PoolActionView):
    """ "Lấy đề xuất của chi bộ làm quyết định" for one cell (or every cell)."""

    def act(self, request, pool):
        group_id = request.POST.get("chi_bo", "")
        group = get_object_or_404(Organization, pk=pk_or_404(group_id)) if group_id else None
        waiting = (
            pool_ratings(pool, self.scope, group=group)
            .filter(decision_level="")
            .exclude(proposal_level="")
            .values_list("pk", flat=True)
        )
        rows = [
            row for row in pool_rows(pool, self.scope, only=list(waiting)) if row.rights.decision
        ]
        if not rows:
            raise ValidationError(
                _("Không có đề xuất nào đang chờ quyết định."), code="nothing_to_take"
            )
        # Under QĐ 366 the self-scores become the decided scores where none is given yet.
        scores = {
            row.rating.pk: {
                line.criterion.pk: {"decided_points": line.self_points}
                for line in row.scores
                if line.decided_points is None and line.self_points is not None
            }
            for row in rows
        }
        ratings_record(
            cycle=self.cycle,
            changes={row.rating.pk: {"decision_level": row.rating.proposal_level} for row in rows},
            acting_user=request.user,
            reason=_("Lấy đề xuất của chi bộ làm quyết định"),
            scores={pk: lines for pk, lines in scores.items() if lines} or None,
        )
        return _("Đã lấy %(count)s đề xuất làm quyết định.") % {"count": len(rows)}

    def anchor(self, request, pool) -> str:
        """Back at the cell whose proposals were taken, on the page where it starts, not at
        the top of a long screen."""
        group_id = request.POST.get("chi_bo", "")
        group = Organization.objects.filter(pk=pk_or_404(group_id)).first() if group_id else None
        if group is None:
            return ""
        before = pool_ratings(pool, self.scope).filter(group_path__lt=group.path).count()
        return f"?page={before // PAGE_SIZE + 1}#chi-bo-{group.pk}"


class ApplyQuotaProposalView(PoolActionView):
    """Keep the ranked candidates the quota allows as HTXSNV; decide the others HTTNV."""

    def act(self, request, pool):
        proposal = pool_apply_quota_proposal(pool=pool, acting_user=request.user)
        return _(
            "Giữ %(keep)s “Hoàn thành xuất sắc nhiệm vụ”, chuyển %(cut)s sang "
            "“Hoàn thành tốt nhiệm vụ”."
        ) % {"keep": len(proposal.keep), "cut": len(proposal.cut)}


class FinalizePoolView(PoolActionView):
    def act(self, request, pool):
        pool_finalize(pool=pool, acting_user=request.user)
        return _("Đã chốt kết quả xếp loại.")


class ReopenPoolView(PoolActionView):
    def act(self, request, pool):
        form = ReasonForm(request.POST)
        if not form.is_valid():
            raise ValidationError(_("Mở lại kết quả cần nêu lý do."), code="reason_required")
        pool_reopen(pool=pool, acting_user=request.user, reason=form.cleaned_data["reason"])
        return _("Đã mở lại kết quả để điều chỉnh.")


class ConfirmDecisionView(PoolActionView):
    """ "Giữ nguyên quyết định": the deciding body keeps a decision whose basis went."""

    def act(self, request, pool):
        flag = get_object_or_404(
            pool.flags.unresolved().filter(kind=PoolFlagKind.BASIS_REMOVED),
            pk=request.POST.get("flag"),
        )
        decision_basis_confirm(flag=flag, acting_user=request.user)
        return _("Đã giữ nguyên quyết định cho %(member)s.") % {"member": flag.member}


class OverrideView(CycleMixin, View):
    """A decision beyond what the rules allow, with its reason and decision reference."""

    template_name = "reviews/override.html"

    def get_row(self, pk):
        rating = get_object_or_404(self.scope.visible_ratings(self.cycle), pk=pk)
        pool = self.get_pool(rating.pool_id)
        rows = pool_rows(pool, self.scope, only=[rating.pk])
        if not rows or not rows[0].rights.decision:
            raise PermissionDenied(_("Bạn không có quyền thực hiện thao tác này."))
        return pool, rows[0]

    def get(self, request, pk):
        pool, row = self.get_row(pk)
        form = OverrideForm(
            initial={
                "version": row.rating.version,
                "decision_level": row.rating.decision_level,
                "override_reason": row.rating.override_reason,
                "override_reference": row.rating.override_reference,
            }
        )
        return render(request, self.template_name, {"form": form, "row": row, "pool": pool})

    def post(self, request, pk):
        pool, row = self.get_row(pk)
        form = OverrideForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                ratings_record(
                    cycle=self.cycle,
                    changes={
                        row.rating.pk: {
                            "decision_level": data["decision_level"],
                            "override_reason": data["override_reason"].strip(),
                            "override_reference": data["override_reference"].strip(),
                        }
                    },
                    acting_user=request.user,
                    expected_versions={row.rating.pk: data["version"]},
                    reason=_("Điều chỉnh ngoài quy định"),
                )
            except ValidationError as error:
                for text in error_messages(error, request):
                    form.add_error(None, text)
            else:
                messages.success(request, _("Đã ghi điều chỉnh ngoài quy định."))
                return redirect("reviews:pool", pk=pool.pk)
        return render(request, self.template_name, {"form": form, "row": row, "pool": pool})


class RatingHistoryView(CycleMixin, TemplateView):
    """A rating's history, its re-ratings, and the re-rating form for the body that decided."""

    template_name = "reviews/history.html"

    def get_rating(self, pk) -> Rating:
        return get_object_or_404(
            self.scope.visible_ratings(self.cycle).select_related(
                "member", "organization", "collective", "pool__owner", "pool__cycle"
            ),
            pk=pk,
        )

    def may_rerate(self, rating: Rating) -> bool:
        return bool(rating.decision_level) and self.scope.can_decide(rating.pool)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rating = self.get_rating(kwargs["pk"])
        context["rating"] = rating
        context["changes"] = rating.changes.select_related("changed_by")
        context["pool_transitions"] = rating.pool.transitions.select_related("changed_by")
        context["re_ratings"] = rating.re_ratings.select_related("decided_by")
        if self.may_rerate(rating):
            context["rerate_form"] = kwargs.get("rerate_form") or ReRatingForm(
                initial={"decided_on": timezone.localdate()}
            )
        return context

    def post(self, request, pk):
        """Re-rate (QĐ 366-QĐ/TW, Điều 15): the decided result is cancelled and replaced."""
        rating = self.get_rating(pk)
        if not self.may_rerate(rating):
            raise PermissionDenied(_("Bạn không có quyền thực hiện thao tác này."))
        form = ReRatingForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                rating_rerate(
                    rating=rating,
                    level=data["level"],
                    findings=data["findings"],
                    reference=data["reference"],
                    decided_on=data["decided_on"],
                    acting_user=request.user,
                )
            except ValidationError as error:
                for text in error_messages(error, request):
                    form.add_error(None, text)
            else:
                messages.success(request, _("Đã ghi quyết định xếp loại lại."))
                return redirect("reviews:rating-history", pk=rating.pk)
        return self.render_to_response(self.get_context_data(pk=pk, rerate_form=form))


class PoolGroupPickerView(CycleMixin, PickerView):
    """The cells of a member pool the user may see, by name (the pool screen's cell filter)."""

    search_fields = ("name",)

    def queryset(self, request, pk):
        pool = self.get_pool(pk)
        cells = Rating.objects.filter(self.scope.subject_filter(), pool=pool).values("unit")
        return Organization.objects.filter(pk__in=cells).order_by("path")
