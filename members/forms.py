"""Forms of the member screens: shape and types only."""

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from organizations.models import Organization
from organizations.widgets import SearchSelect


class MemberFilterForm(forms.Form):
    """The member list's unit filter, searchable (a bloc has 60–130 grassroots units)."""

    to_chuc = forms.ModelChoiceField(
        label=_("Tổ chức cơ sở đảng"),
        queryset=Organization.objects.none(),
        required=False,
        empty_label=_("Tất cả trong phạm vi"),
        widget=SearchSelect(
            search_url=reverse_lazy("organizations:picker"),
            placeholder=_("Gõ để tìm theo tên hoặc mã đơn vị…"),
        ),
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_chuc"].queryset = units
        self.fields["to_chuc"].widget.attrs["class"] = "form-select"
