"""Forms of the reports app: the fields an issuer fills on a report (shape only; the service
writes)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from reports.models import DOCUMENT_FIELD_NAMES, DocumentFields


class DocumentFieldsForm(forms.ModelForm):
    """Validation of the typed fields; `reports.services.document_fields_save` keeps them."""

    class Meta:
        model = DocumentFields
        fields = DOCUMENT_FIELD_NAMES
        widgets = {
            "recipients": forms.Textarea(attrs={"rows": 5}),
            "proposals": forms.Textarea(attrs={"rows": 5}),
            "issued_on": forms.DateInput(format="%d/%m/%Y"),
        }
        labels = {"issued_on": _("Ngày ban hành (dd/mm/yyyy)")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control")
