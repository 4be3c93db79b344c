"""Template helpers of the reports: the download buttons' rights and the PDF's numbers."""

from __future__ import annotations

from django import template

from reports.formatting import number, percent
from reports.permissions import allowed_formats, may_fill_document
from reports.selectors import StatRow, suggestion_target
from reports.selectors.lists import question_answer, question_text
from reviews.models import Level, NotRatedReason
from reviews.permissions import Scope
from reviews.selectors import CYCLE_SESSION_KEY, cycle_for_user

register = template.Library()


def _scope_and_cycle(context):
    """The current user's scope in the page's cycle (or his cycle), read once per request and
    kept on it; (None, None) for an anonymous user or without a cycle."""
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    if user is None or not user.is_authenticated:
        return None, None
    session = getattr(request, "session", None)
    chosen = session.get(CYCLE_SESSION_KEY) if session is not None else None
    cycle = context.get("cycle") or cycle_for_user(user, chosen)
    if cycle is None:
        return None, None
    scopes = getattr(request, "_report_scopes", None)
    if scopes is None:
        scopes = {}
        if request is not None:
            request._report_scopes = scopes
    if cycle.pk not in scopes:
        scopes[cycle.pk] = Scope(user, cycle)
    return scopes[cycle.pk], cycle


@register.simple_tag(takes_context=True)
def report_formats(context, unit) -> tuple[str, ...]:
    """The formats the current user may download for `unit`; () for none."""
    scope, cycle = _scope_and_cycle(context)
    if unit is None or scope is None:
        return ()
    return allowed_formats(scope, cycle, unit)


@register.simple_tag(takes_context=True)
def fills_report(context, unit) -> bool:
    """Whether the current user fills the number, signer and recipients of `unit`'s report."""
    scope, cycle = _scope_and_cycle(context)
    return unit is not None and scope is not None and may_fill_document(scope, cycle, unit)


@register.filter
def num(value) -> str:
    return number(value) if isinstance(value, int) else ("" if value is None else str(value))


@register.filter
def pct(value) -> str:
    return percent(value)


@register.filter
def level_phrases(row: StatRow) -> list[tuple[str, str, int, float | None]]:
    labels = dict(Level.choices)
    return [
        (level, str(labels[level]), count, of_rated)
        for level, count, of_rated, _of_total in row.level_cells
    ]


@register.filter
def reason_phrases(row: StatRow) -> list[tuple[str, int]]:
    labels = dict(NotRatedReason.choices)
    return [(str(labels[reason]), count) for reason, count in row.reason_cells if count]


@register.filter
def target(suggestion) -> str:
    return suggestion_target(suggestion)


register.filter("question_answer", question_answer)
register.filter("question_text", question_text)
