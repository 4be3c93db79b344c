"""Form widgets shared by the apps' screens."""

from __future__ import annotations

from django import forms


class SearchSelect(forms.Select):
    """A select with a search box above it (htmx): typing asks `search_url` for the matching
    options and replaces the list, so a long list of people or units is found by name,
    position or unit with the keyboard alone. Without JavaScript the full select still works.

    The view behind `search_url` answers `<option>` elements (templates/widgets/options.html),
    from the same scoped queryset as the form field.
    """

    template_name = "widgets/search_select.html"

    def __init__(self, *, search_url: str, attrs=None):
        super().__init__(attrs=attrs)
        self.search_url = search_url

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["search_url"] = self.search_url
        return context
