"""Text as people type it: one normalization for names and searches, in every app."""

import unicodedata


def normalize_name(text: str) -> str:
    """NFC form, single spaces, no leading or trailing blanks (a name typed in NFD, with
    doubled spaces, is the same name)."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def field_label(model, name: str) -> str:
    """A model field's Vietnamese name, for messages that name the field."""
    field = model._meta.get_field(name)
    return str(getattr(field, "verbose_name", name))
