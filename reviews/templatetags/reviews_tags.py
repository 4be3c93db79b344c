from decimal import Decimal, InvalidOperation

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from organizations.text import NO_NUMBER, decimal_text, share_text
from reviews.permissions import may_read_any_self_review

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


@register.simple_tag
def reads_any_register(scope, pool) -> bool:
    """Whether the user reads the task register of anyone in the pool (its download is offered
    only then)."""
    return may_read_any_self_review(scope, pool)


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


#: The trend chart's colours by level, best at the bottom (the quota line is read from there).
TREND_COLOURS = (
    ("HTXSNV", "#a51c1f"),
    ("HTTNV", "#2e7d32"),
    ("HTNV", "#f2a900"),
    ("KHTNV", "#616161"),
)
TREND_HEIGHT, TREND_BAR, TREND_GAP, TREND_TOP, TREND_LEFT = 180, 44, 28, 16, 40


def _svg(value: float) -> str:
    """A coordinate as SVG reads it: a decimal point, whatever the page's language."""
    return f"{value:.1f}"


@register.inclusion_tag("reviews/_trend.html")
def level_trend_chart(trend, title=""):
    """A stacked bar per year of the shares at each level, with the quota's ceiling for HTXSNV
    drawn on each bar as a dashed line (an SVG drawn here: no chart library, no CDN)."""
    bars = []
    for index, year in enumerate(trend):
        x = TREND_LEFT + index * (TREND_BAR + TREND_GAP)
        bottom = TREND_TOP + TREND_HEIGHT
        segments = []
        for level, colour in TREND_COLOURS:
            height = round(year.share(level) * TREND_HEIGHT, 1)
            bottom -= height
            segments.append({"y": _svg(bottom), "height": _svg(height), "colour": colour})
        ceiling_y = _svg(TREND_TOP + TREND_HEIGHT - year.ceiling_share * TREND_HEIGHT)
        bars.append(
            {
                "x": x,
                "year": year.year,
                "segments": segments,
                "ceiling_y": ceiling_y,
                "excellent": share_text(100 * year.share("HTXSNV")),
                "ceiling": share_text(100 * year.ceiling_share),
                "rated": year.rated,
                "label_x": x + TREND_BAR / 2,
                "over": year.share("HTXSNV") > year.ceiling_share + 1e-9,
                "shares": [share_text(100 * year.share(level)) for level, _c in TREND_COLOURS],
            }
        )
    width = TREND_LEFT + max(len(bars), 1) * (TREND_BAR + TREND_GAP) + 8
    return {
        "bars": bars,
        "title": title,
        "width": width,
        "height": TREND_TOP + TREND_HEIGHT + 34,
        "axis_y": TREND_TOP + TREND_HEIGHT,
        "top": TREND_TOP,
        "bar": TREND_BAR,
        "levels": [level for level, _c in TREND_COLOURS],
        "colours": TREND_COLOURS,
        "ticks": [
            {"y": _svg(TREND_TOP + TREND_HEIGHT * (1 - p / 100)), "label": f"{p}%"}
            for p in (0, 50, 100)
        ],
    }
