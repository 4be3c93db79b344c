"""Forms of the rating screens: shape and types only; the services apply the rules."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from organizations.widgets import SearchSelect
from reviews.models import (
    SECTION_FIELDS,
    SECTION_MAX_LENGTH,
    CriterionPart,
    Level,
    ShortcomingsFixed,
    TaskItem,
    TaskQuality,
)

LEVEL_CHOICES = [("", "—"), *Level.choices]
MAX_VOTES = 10_000


def _percent(label):
    return forms.DecimalField(
        label=label,
        min_value=0,
        max_value=100,
        max_digits=4,
        decimal_places=1,
        required=False,
        localize=True,
    )


class RatingRowForm(forms.Form):
    """One row of a pool screen; only the fields the user may change are bound."""

    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    self_level = forms.ChoiceField(
        label=_("Tự đánh giá, xếp loại"), choices=LEVEL_CHOICES, required=False
    )
    proposal_level = forms.ChoiceField(
        label=_("Chi bộ đề xuất"), choices=LEVEL_CHOICES, required=False
    )
    votes_for = forms.IntegerField(
        label=_("Tán thành"), min_value=0, max_value=MAX_VOTES, required=False
    )
    votes_against = forms.IntegerField(
        label=_("Không tán thành"), min_value=0, max_value=MAX_VOTES, required=False
    )
    decision_level = forms.ChoiceField(
        label=_("Cấp ủy quyết định"), choices=LEVEL_CHOICES, required=False
    )
    civil_service_level = forms.ChoiceField(
        label=_("Xếp loại CCVC"), choices=LEVEL_CHOICES, required=False
    )
    targets_under_half = forms.BooleanField(label=_("Dưới 50% chỉ tiêu"), required=False)
    degradation_concluded = forms.BooleanField(label=_("Kết luận suy thoái"), required=False)
    previous_cell_comments = forms.CharField(
        label=_("Nhận xét của chi bộ nơi chuyển đi"), max_length=4000, required=False
    )
    host_cell_comments = forms.CharField(
        label=_("Nhận xét của chi bộ nơi sinh hoạt tạm thời"), max_length=4000, required=False
    )
    # QĐ 366-QĐ/TW, Điều 11: the task results and the facts that force KHTNV.
    tasks_done_percent = _percent(_("Hoàn thành (%)"))
    tasks_beyond_percent = _percent(_("Vượt yêu cầu (%)"))
    tasks_late_percent = _percent(_("Chậm tiến độ (%)"))
    shortcomings_fixed = forms.ChoiceField(
        label=_("Hạn chế kỳ trước"),
        choices=[("", "—"), *ShortcomingsFixed.choices],
        required=False,
    )
    broke_prohibitions = forms.BooleanField(label=_("Vi phạm điều cấm"), required=False)
    personnel_wrongdoing = forms.BooleanField(
        label=_("Sai phạm công tác cán bộ, mất đoàn kết"), required=False
    )
    collective_disciplined = forms.BooleanField(label=_("Tập thể bị kỷ luật"), required=False)
    corruption_in_scope = forms.BooleanField(
        label=_("Tham nhũng, tiêu cực trong phạm vi phụ trách"), required=False
    )
    confidence_low_percent = _percent(_("Phiếu tín nhiệm thấp (%)"))
    overseen_not_completed_percent = _percent(_("Đơn vị phụ trách không hoàn thành (%)"))

    FIELDS_BY_RIGHT = {
        "self_level": ("self_level",),
        "proposal": ("proposal_level", "votes_for", "votes_against"),
        "decision": ("decision_level",),
    }
    #: Field-name prefixes of a criterion's self-score and decided score (`s12`, `d12`).
    SELF_PREFIX, DECIDED_PREFIX = "s", "d"

    def __init__(self, *args, rights, comments=(), facts=(), scores=(), **kwargs):
        """`comments`: the comment fields the row shows (a transfer, a temporary attendance);
        `facts`: the facts the cycle's rules read for this subject; `scores`: its criteria
        (`ScoreLine`s). A field the row does not show is never bound, so it cannot be cleared
        by accident. Points are text (8,5 or 8.5); the service checks them."""
        super().__init__(*args, **kwargs)
        allowed = {"version"}
        for right, names in self.FIELDS_BY_RIGHT.items():
            if getattr(rights, right):
                allowed.update(names)
        if rights.facts:
            allowed.update(comments)
            allowed.update(facts)
        for name in list(self.fields):
            if name not in allowed:
                del self.fields[name]
        self.criterion_ids = [line.criterion.pk for line in scores]
        for line in scores:
            if rights.self_level:
                self.fields[f"{self.SELF_PREFIX}{line.criterion.pk}"] = self._points(line)
            if rights.decision:
                self.fields[f"{self.DECIDED_PREFIX}{line.criterion.pk}"] = self._points(line)

    @staticmethod
    def _points(line) -> forms.CharField:
        return forms.CharField(label=line.criterion.title, max_length=8, required=False)

    def clean(self):
        data = super().clean()
        votes_for, votes_against = data.get("votes_for"), data.get("votes_against")
        if votes_against is not None and votes_for is None:
            self.add_error("votes_for", _("Nhập số tán thành trước số không tán thành."))
        return data

    def changes(self) -> dict:
        """The submitted values of the bound fields, as the service takes them."""
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name != "version" and not self._is_points(name)
        }

    def scores(self) -> dict[int, dict[str, str]]:
        """Criterion id → {self_points, decided_points} for the bound score fields."""
        result: dict[int, dict[str, str]] = {}
        for criterion_id in self.criterion_ids:
            for prefix, key in (
                (self.SELF_PREFIX, "self_points"),
                (self.DECIDED_PREFIX, "decided_points"),
            ):
                name = f"{prefix}{criterion_id}"
                # Only the points the request carries: a row saved without its score inputs
                # (a script, an older page) leaves the scores as they are.
                if name in self.cleaned_data and name in self.data:
                    result.setdefault(criterion_id, {})[key] = self.cleaned_data[name]
        return result

    def _is_points(self, name: str) -> bool:
        return name[:1] in (self.SELF_PREFIX, self.DECIDED_PREFIX) and name[1:].isdigit()


class OverrideForm(forms.Form):
    """A decision beyond the rules ("Điều chỉnh ngoài quy định"): who, why and the reference."""

    decision_level = forms.ChoiceField(label=_("Mức xếp loại quyết định"), choices=Level.choices)
    override_reason = forms.CharField(
        label=_("Lý do điều chỉnh"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    override_reference = forms.CharField(
        label=_("Số văn bản cho phép"),
        max_length=100,
        help_text=_("Ví dụ: 15-QĐ/ĐUK ngày 20/11/2021."),
    )
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class QuotaExceptionForm(forms.Form):
    """The competent body's decision allowing a pool a higher rate (QĐ 366: up to 25%)."""

    rate_percent = forms.DecimalField(
        label=_("Tỷ lệ được phép (%)"),
        min_value=1,
        max_value=100,
        max_digits=4,
        decimal_places=1,
        localize=True,
    )
    reason = forms.CharField(
        label=_("Lý do (thành tích nổi bật của đơn vị)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    reference = forms.CharField(
        label=_("Số văn bản cho phép"),
        max_length=100,
        help_text=_("Ví dụ: 215-QĐ/ĐU ngày 20/11/2026."),
    )


class PeerGroupForm(forms.Form):
    name = forms.CharField(label=_("Tên nhóm mới"), max_length=200)


class ReRatingForm(forms.Form):
    """Re-rating by the competent body (QĐ 366-QĐ/TW, Điều 15; Mẫu 03)."""

    level = forms.ChoiceField(label=_("Mức xếp loại lại"), choices=Level.choices)
    findings = forms.CharField(
        label=_("Căn cứ (kết luận, phát hiện sau khi xếp loại)"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    reference = forms.CharField(
        label=_("Số quyết định"), max_length=100, help_text=_("Ví dụ: 45-QĐ/ĐU.")
    )
    decided_on = forms.DateField(label=_("Ngày quyết định"), help_text=_("dd/mm/yyyy"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs["class"] = f"{css} form-control-sm"


class CriterionForm(forms.Form):
    """One criterion of a framework's tree (QĐ 366-QĐ/TW, Điều 10; HD 43 §7.12)."""

    code = forms.CharField(label=_("Số hiệu"), max_length=16)
    part = forms.ChoiceField(label=_("Phần"), choices=CriterionPart.choices)
    title = forms.CharField(label=_("Nội dung tiêu chí"), max_length=500)
    max_points = forms.DecimalField(
        label=_("Điểm tối đa"),
        min_value=Decimal("0.5"),
        max_value=70,
        max_digits=4,
        decimal_places=1,
        localize=True,
    )


CriterionFormSet = forms.formset_factory(CriterionForm, extra=2, can_delete=True)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


#: Above this many cells a list is searched rather than scrolled (issue "hardening", point 6).
SEARCHABLE_FROM = 20


class PoolFilterForm(forms.Form):
    """The pool screen's cell filter: a plain select, searchable when the unit has many cells."""

    chi_bo = forms.ChoiceField(label=_("Chi bộ"), required=False)

    def __init__(self, *args, groups, search_url, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["chi_bo"]
        field.choices = [("", _("Tất cả"))] + [
            (str(group.organization.pk), f"{group.organization.name} ({group.size})")
            for group in groups
        ]
        if len(groups) > SEARCHABLE_FROM:
            field.widget = SearchSelect(
                search_url=search_url, placeholder=_("Gõ để tìm theo tên chi bộ…")
            )
            field.widget.choices = field.choices
        field.widget.attrs.update({"class": "form-select form-select-sm", "id": "chi_bo"})


class SelfReviewSectionsForm(forms.Form):
    """Part A of a self-review, one text per section; `form_version` is the version the page
    was read at. Length is checked by the service, which names the limit (the textarea stops
    typing at it too)."""

    form_version = forms.IntegerField(min_value=1, widget=forms.HiddenInput, required=False)

    def __init__(self, *args, self_review, **kwargs):
        super().__init__(*args, **kwargs)
        for section in self_review.sections():
            self.fields[section.field] = forms.CharField(
                label=f"{section.numeral}. {section.title}",
                required=False,
                strip=False,
                initial=section.text,
                widget=forms.Textarea(
                    attrs={"rows": 6, "maxlength": SECTION_MAX_LENGTH, "class": "form-control"}
                ),
            )
        self.fields["form_version"].initial = self_review.version

    def sections(self) -> dict[str, str]:
        """The sections the request carries (a request without one leaves it as it is)."""
        return {
            field: self.cleaned_data[field]
            for field, _numeral in SECTION_FIELDS
            if field in self.data and field in self.cleaned_data
        }


class MeetingForm(forms.Form):
    """The minutes' own fields; attendance comes as `member` ids with `present_<id>` and
    `reason_<id>` (checked by the service against those who belong to the meeting)."""

    held_on = forms.DateField(label=_("Ngày họp (dd/mm/yyyy)"))
    starts_at = forms.TimeField(
        label=_("Bắt đầu lúc (giờ:phút)"),
        required=False,
        widget=forms.TimeInput(format="%H:%M"),
    )
    place = forms.CharField(label=_("Địa điểm"), max_length=255)
    chair = forms.TypedChoiceField(label=_("Chủ trì"), coerce=int, required=False, empty_value=None)
    secretary = forms.TypedChoiceField(
        label=_("Thư ký"), coerce=int, required=False, empty_value=None
    )
    draft_sent_on = forms.DateField(
        label=_("Ngày gửi dự thảo báo cáo kiểm điểm (dd/mm/yyyy)"), required=False
    )
    conclusions = forms.CharField(
        label=_("Kết luận của hội nghị"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": SECTION_MAX_LENGTH}),
    )
    #: The minutes' version the page was read at; 0 while none were recorded.
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput, required=False)

    def __init__(self, *args, participants, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "—")] + [(member.pk, member.full_name) for member in participants]
        self.fields["chair"].choices = choices
        self.fields["secretary"].choices = choices
        for name, field in self.fields.items():
            if name != "version":
                field.widget.attrs.setdefault(
                    "class", "form-select" if name in ("chair", "secretary") else "form-control"
                )


class TaskItemForm(forms.ModelForm):
    """One task of the register (shape only; `reviews.services.tasks` writes)."""

    class Meta:
        model = TaskItem
        fields = (
            "title",
            "quarter",
            "due_on",
            "done_on",
            "quality",
            "beyond_requirement",
            "evidence",
        )
        widgets = {
            "due_on": forms.DateInput(format="%d/%m/%Y"),
            "done_on": forms.DateInput(format="%d/%m/%Y"),
        }
        labels = {
            "due_on": _("Hạn hoàn thành (dd/mm/yyyy)"),
            "done_on": _("Ngày hoàn thành (dd/mm/yyyy)"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quality"].choices = [("", "—"), *TaskQuality.choices]
        self.fields["quarter"].widget = forms.Select(
            choices=[("", _("Cả năm"))] + [(q, _("Quý %(q)s") % {"q": q}) for q in (1, 2, 3, 4)]
        )
        for name, field in self.fields.items():
            css = "form-check-input" if name == "beyond_requirement" else "form-control"
            if name in ("quarter", "quality"):
                css = "form-select"
            field.widget.attrs.setdefault("class", css)
