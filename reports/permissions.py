"""Who may download which report (issue "reports", point 5).

A unit's clerk: his unit's workbook, report (PDF and Word) and dossier bundle. The
Organization Board (and a superuser): every unit and the bloc. The Inspection Committee, the
Office and viewers: the workbook and the report of the nodes their role covers (on the bloc:
every unit and the bloc).
"""

from __future__ import annotations

from organizations.models import Organization, Role
from reports.selectors.scope import is_bloc, is_report_node
from reviews.models import ReviewCycle
from reviews.permissions import Scope, unit_is_locked_path

XLSX, PDF, DOCX, ZIP = "xlsx", "pdf", "docx", "zip"
FORMATS = (XLSX, PDF, DOCX, ZIP)
#: The formats a printed document comes in: PDF to send, Word to edit before signing.
DOCUMENT_FORMATS = (PDF, DOCX)
READING_ROLES = frozenset({Role.INSPECTION_COMMITTEE, Role.OFFICE, Role.VIEWER})


def allowed_formats(scope: Scope, cycle: ReviewCycle, node: Organization) -> tuple[str, ...]:
    """The formats the user may download for `node`, in display order; () when none."""
    if not is_report_node(cycle, node):
        return ()
    if scope.is_superuser or scope.covers(node.path, {Role.ORGANIZATION_BOARD}):
        formats: tuple[str, ...] = FORMATS
    elif node.is_grassroots and scope.covers(node.path, {Role.CLERK}):
        formats = FORMATS
    elif scope.covers(node.path, READING_ROLES):
        formats = (XLSX, PDF, DOCX)
    else:
        return ()
    if is_bloc(cycle, node):
        # The dossier bundle belongs to one unit's submission.
        formats = tuple(f for f in formats if f != ZIP)
    return formats


def may_fill_document(scope: Scope, cycle: ReviewCycle, node: Organization) -> bool:
    """The issuer's staff fill a report's number, signer and recipients before it goes out:
    the Board for every report, a unit's clerk for his unit's, while the cycle is open and the
    unit's report is not sent; readers only download."""
    if not is_report_node(cycle, node) or not cycle.is_open:
        return False
    if node.is_grassroots and unit_is_locked_path(cycle, node.path):
        return False  # a sent or approved report prints as it was sent
    if scope.is_superuser or scope.covers(node.path, {Role.ORGANIZATION_BOARD}):
        return True
    return node.is_grassroots and scope.covers(node.path, {Role.CLERK})
