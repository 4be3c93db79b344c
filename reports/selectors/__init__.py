"""Reads for the reports (a package: the tables, the lists and the bundle of both)."""

from reports.selectors.data import ReportData, report_data
from reports.selectors.lists import (
    CellGroup,
    ExcellentGroup,
    MemberLine,
    MemberList,
    OrganizationLine,
    QuotaLine,
    QuotaSummary,
    Tree,
    comments_text,
    excellent_groups,
    organization_lines,
    override_text,
    quota_lines,
    quota_summary,
    suggestion_target,
    suggestions_in,
)
from reports.selectors.scope import check_report_node, is_bloc, is_report_node, subjects_under
from reports.selectors.tables import Row6F, StatRow, Table6F, rating_statistics, table_6f

__all__ = [
    "CellGroup",
    "ExcellentGroup",
    "MemberLine",
    "MemberList",
    "OrganizationLine",
    "QuotaLine",
    "QuotaSummary",
    "ReportData",
    "Row6F",
    "StatRow",
    "Table6F",
    "Tree",
    "check_report_node",
    "comments_text",
    "excellent_groups",
    "is_bloc",
    "is_report_node",
    "organization_lines",
    "override_text",
    "quota_lines",
    "quota_summary",
    "rating_statistics",
    "report_data",
    "subjects_under",
    "suggestion_target",
    "suggestions_in",
    "table_6f",
]
