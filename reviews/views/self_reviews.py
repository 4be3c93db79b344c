"""The self-review form in the browser: part A as typed (saved as one types), part B as the
rating's self-scores and self-rating, the suggested issues to explain (issue #14)."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from organizations.models import Role
from organizations.text import thousands_text
from reviews.forms import RatingRowForm, SelfReviewSectionsForm
from reviews.models import PART_MAXIMUM, SECTION_MAX_LENGTH, Level, Rating, SelfReview
from reviews.permissions import (
    RowRights,
    Scope,
    is_author,
    may_read_self_review,
    may_write_self_review,
)
from reviews.selectors.pools import score_lines
from reviews.selectors.quarters import quarter_lines
from reviews.selectors.self_reviews import suggested_issues
from reviews.services import ratings_record
from reviews.services.scores import parse_points
from reviews.services.self_reviews import (
    self_review_finish,
    self_review_new,
    self_review_open,
    self_review_reopen,
    self_review_save,
)
from reviews.views.ratings import error_messages

#: Part B's self-rating and self-scores, as the rating table takes them.
PART_B_RIGHTS = RowRights(self_level=True)


class RatingPapersMixin(LoginRequiredMixin):
    """The views of a rating's papers (self-review, quarters, task register): the rating, the
    user's scope in its cycle, 404 for anyone who may not read it (issue #14), and whether he
    writes it — exempt or suspended members are not reviewed and write none (QĐ 366, Điều 5)."""

    not_found = _("Không tìm thấy bản kiểm điểm.")
    subject_kinds: tuple[str, ...] = ()

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        ratings = Rating.objects.select_related(
            "cycle__organization",
            "member__account",
            "organization",
            "collective",
            "unit",
            "pool__owner",
            "pool__cycle",
        )
        if self.subject_kinds:
            ratings = ratings.filter(subject_kind__in=self.subject_kinds)
        self.rating = get_object_or_404(ratings, pk=kwargs["pk"])
        self.scope = Scope(request.user, self.rating.cycle)
        if not may_read_self_review(self.scope, self.rating):
            raise Http404(self.not_found)
        self.may_write = self.rating.is_reviewed and may_write_self_review(self.scope, self.rating)
        return super().dispatch(request, *args, **kwargs)


class SelfReviewView(RatingPapersMixin, View):
    """GET the form; POST `action` = save (also the htmx autosave), finish or reopen."""

    template_name = "reviews/self_review.html"

    @property
    def part_b_editable(self) -> bool:
        return self.may_write and not self.rating.pool.is_finalized

    def stored(self) -> SelfReview | None:
        return SelfReview.objects.filter(rating=self.rating).first()

    def lines(self):
        return score_lines(self.rating.cycle, [self.rating]).get(self.rating.pk, [])

    def context(self, self_review: SelfReview, *, form=None, errors=()) -> dict:
        rating = self.rating
        lines = self.lines()
        totals = dict.fromkeys(PART_MAXIMUM, 0)
        for line in lines:
            if line.self_points is not None:
                totals[line.criterion.part] += line.self_points
        issues = list(suggested_issues(rating))
        for issue in issues:
            # Explanations are given on the suggestion's page, by the unit it is addressed to.
            addressed_to = issue.suggestion.addressed_to
            roles = {Role.CLERK} if addressed_to.depth > 1 else {Role.OFFICE}
            issue.may_answer = rating.cycle.is_open and self.scope.covers(addressed_to.path, roles)
        return {
            "rating": rating,
            "cycle": rating.cycle,
            "self_review": self_review,
            "form": form or SelfReviewSectionsForm(self_review=self_review),
            "errors": list(errors),
            "may_write": self.may_write and not self_review.is_finished,
            "may_reopen": self.may_write and self_review.is_finished,
            "part_b_editable": self.part_b_editable and not self_review.is_finished,
            "lines": lines,
            "part_totals": [
                (part, totals[part], maximum) for part, maximum in PART_MAXIMUM.items()
            ],
            "level_choices": Level.choices,
            "section_limit": thousands_text(SECTION_MAX_LENGTH),
            "issues": issues,
            "is_author": is_author(self.request.user, rating),
            "quarters": quarter_lines(rating),
            "sees_pool": self.scope.covers(rating.unit.path) or self.scope.can_decide(rating.pool),
            "history": self_review.changes.select_related("changed_by")[:20]
            if self_review.pk
            else [],
        }

    def get(self, request, pk):
        self_review = self.stored() or self_review_new(self.rating)
        return render(request, self.template_name, self.context(self_review))

    def post(self, request, pk):
        if not self.may_write:
            raise PermissionDenied(_("Bạn không có quyền sửa bản kiểm điểm này."))
        action = request.POST.get("action", "save")
        if action not in ("save", "finish", "reopen"):
            raise Http404
        stored = self.stored()
        if action == "reopen":
            return self.reopen(stored)
        self_review = stored or self_review_new(self.rating)
        form = SelfReviewSectionsForm(request.POST, self_review=self_review)
        errors: list[str] = []
        if not form.is_valid():
            errors = [str(e) for errs in form.errors.values() for e in errs]
        else:
            # The draft is kept even when finishing is refused (a section still empty).
            try:
                with transaction.atomic():
                    self_review = self.save(form)
                if action == "finish":
                    self_review = self_review_finish(
                        self_review=self_review, acting_user=request.user
                    )
            except ValidationError as error:
                errors = error_messages(error, request)
                self_review = self.stored() or self_review
        if request.htmx:
            return render(
                request,
                "reviews/_self_review_status.html",
                {
                    "self_review": self_review,
                    "errors": errors,
                    "saved_at": timezone.now(),
                    "rating_version": Rating.objects.filter(pk=self.rating.pk)
                    .values_list("version", flat=True)
                    .first()
                    if self.part_b_editable
                    else None,
                },
            )
        if errors:
            # The text as typed stays on the page, read at the versions now stored: saving
            # again after the warning keeps what is shown.
            data = request.POST.copy()
            data["form_version"] = str(self_review.version)
            data["version"] = str(
                Rating.objects.filter(pk=self.rating.pk).values_list("version", flat=True).get()
            )
            form = SelfReviewSectionsForm(data, self_review=self_review)
            form.is_valid()
            return render(
                request, self.template_name, self.context(self_review, form=form, errors=errors)
            )
        messages.success(
            request,
            _("Đã hoàn thành bản kiểm điểm.") if action == "finish" else _("Đã lưu bản kiểm điểm."),
        )
        return redirect("reviews:self-review", pk=self.rating.pk)

    def save(self, form: SelfReviewSectionsForm) -> SelfReview:
        """Part A through its service, then part B (self-rating and self-scores) through the
        rating's one write path when it changed."""
        self_review = self_review_open(rating=self.rating, acting_user=self.request.user)
        self_review = self_review_save(
            self_review=self_review,
            sections=form.sections(),
            expected_version=form.cleaned_data.get("form_version"),
            acting_user=self.request.user,
        )
        if self.part_b_editable:
            self.save_part_b()
        return self_review

    def save_part_b(self) -> None:
        lines = self.lines()
        part_b = RatingRowForm(self.request.POST, rights=PART_B_RIGHTS, scores=lines)
        if "version" not in self.request.POST:
            return
        if not part_b.is_valid():
            raise ValidationError([str(e) for errs in part_b.errors.values() for e in errs])
        changes = {
            name: value
            for name, value in part_b.changes().items()
            if name in self.request.POST and value != getattr(self.rating, name)
        }
        stored_points = {line.criterion.pk: line.self_points for line in lines}
        scores = {
            criterion_id: values
            for criterion_id, values in part_b.scores().items()
            if _points_changed(values.get("self_points"), stored_points.get(criterion_id))
        }
        if not changes and not scores:
            return
        ratings_record(
            cycle=self.rating.cycle,
            changes={self.rating.pk: changes},
            acting_user=self.request.user,
            expected_versions={self.rating.pk: part_b.cleaned_data["version"]},
            scores={self.rating.pk: scores} if scores else None,
        )

    def reopen(self, stored: SelfReview | None):
        if stored is None:
            raise Http404
        try:
            self_review_reopen(self_review=stored, acting_user=self.request.user)
        except ValidationError as error:
            for text in error_messages(error, self.request):
                messages.error(self.request, text)
        else:
            messages.success(self.request, _("Đã mở lại bản kiểm điểm để sửa."))
        return redirect("reviews:self-review", pk=self.rating.pk)


def _points_changed(typed, stored) -> bool:
    """Whether typed points ("8,5", "") differ from the stored ones (8.5, None)."""
    try:
        return parse_points(typed) != stored
    except ValidationError:
        return True  # the service names what is wrong with it
