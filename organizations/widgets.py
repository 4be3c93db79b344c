"""Form widgets shared by the apps' screens."""

from __future__ import annotations

from django import forms
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Q
from django.shortcuts import render
from django.views import View

from organizations.text import normalize_name


class SearchSelect(forms.Select):
    """A select with a search box above it (htmx): typing asks `search_url` for the matching
    options and replaces the list, so a long list of people or units is found by name,
    position or unit with the keyboard alone. Without JavaScript the full select still works.

    The view behind `search_url` answers `<option>` elements (templates/widgets/options.html),
    from the same scoped queryset as the form field.
    """

    template_name = "widgets/search_select.html"

    def __init__(self, *, search_url: str, placeholder: str = "", attrs=None):
        super().__init__(attrs=attrs)
        self.search_url = search_url
        self.placeholder = placeholder

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["search_url"] = self.search_url
        context["widget"]["placeholder"] = self.placeholder
        return context


#: How many options a search answers at most (the list says how many more there are).
PICKER_LIMIT = 50


class PickerView(LoginRequiredMixin, View):
    """The options of a `SearchSelect` matching what was typed: every word must appear in one
    of `search_fields`. Subclasses give the user's scoped `queryset` and the `label`."""

    search_fields: tuple[str, ...] = ()

    def queryset(self, request):
        raise NotImplementedError

    def label(self, item) -> str:
        return str(item)

    def get(self, request, *args, **kwargs):
        matches = self.queryset(request, *args, **kwargs)
        query = normalize_name(request.GET.get("q", ""))[:100]
        for word in query.split():
            condition = Q()
            for field in self.search_fields:
                condition |= Q(**{f"{field}__icontains": word})
            matches = matches.filter(condition)
        found = list(matches[: PICKER_LIMIT + 1])
        more = matches.count() - PICKER_LIMIT if len(found) > PICKER_LIMIT else 0
        options = [(item.pk, self.label(item)) for item in found[:PICKER_LIMIT]]
        return render(request, "widgets/options.html", {"options": options, "more": more})
