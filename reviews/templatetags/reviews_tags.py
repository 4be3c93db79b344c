from decimal import Decimal, InvalidOperation

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from organizations.text import NO_NUMBER, decimal_text, share_text

register = template.Library()


@register.simple_tag
def deadline_badge(cycle, today=None, unit=None):
    """'Còn N ngày' / 'Hôm nay là hạn cuối' / 'Quá hạn N ngày' (UI-VI.md), counted to the day
    the work must be finished by; a closed cycle is over, not overdue."""
    if cycle.status == "closed":
        return format_html('<span class="text-body-secondary">{}</span>', _("Đã kết thúc"))
    today = today or timezone.localdate()
    days = cycle.days_left(today, unit)
    if days > 0:
        css = "deadline-soon" if days <= 7 else "text-success"
        text = ngettext("Còn %(days)s ngày", "Còn %(days)s ngày", days) % {"days": days}
    elif days == 0:
        css, text = "deadline-soon", _("Hôm nay là hạn cuối")
    else:
        css = "deadline-overdue"
        text = ngettext("Quá hạn %(days)s ngày", "Quá hạn %(days)s ngày", -days) % {"days": -days}
    return format_html('<span class="{}">{}</span>', css, text)


@register.filter
def percent_of(part, whole):
    """12,5% with a decimal comma (UI-VI.md); an em dash when there is no whole."""
    if not whole:
        return NO_NUMBER
    return f"{share_text(100 * part / whole)}%"


@register.inclusion_tag("reviews/_deadlines.html")
def cycle_deadlines(cycle, *, strong=False, unit=None):
    """The cycle's deadlines as the screens say them: to finish by (a special unit's own date),
    then the dossier's (QĐ 366), or the one deadline of HD 21 cycles."""
    special = bool(unit is not None and unit.special_deadline and cycle.special_finish_by)
    return {
        "cycle": cycle,
        "strong": strong,
        "finish_by": cycle.finish_by_for(unit) if cycle.finish_by else None,
        "special": special,
    }


@register.filter
def points(value, empty=NO_NUMBER):
    """A score or a percentage the Vietnamese way: 76,5 (no trailing zeros); `empty` if none."""
    if value is None or value == "":
        return empty
    try:
        number = Decimal(str(value).replace(",", "."))
    except InvalidOperation:
        return str(value)  # what a user typed, shown back as typed
    return decimal_text(number)
