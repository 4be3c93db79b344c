"""Writes to cycles, pools, ratings and submissions. Every change leaves a record."""

from reviews.services.cycles import (
    cycle_change_status,
    cycle_create,
    cycle_prepare,
    cycle_update,
)
from reviews.services.guidance import (
    guiding_document_publish,
    guiding_document_withdraw,
    question_act,
    question_allows,
    question_ask,
)
from reviews.services.pools import (
    pool_apply_quota_proposal,
    pool_finalize,
    pool_problems,
    pool_reopen,
    pools_finalize,
    pools_problems,
)
from reviews.services.ratings import LEVEL_FIELDS, RATING_FIELDS, ratings_record
from reviews.services.submissions import (
    dossier_item_add,
    dossier_item_remove,
    submission_change_state,
    submission_problems,
)
from reviews.services.suggestions import (
    issue_answer,
    issue_review,
    suggestion_draft,
    suggestion_edit,
    suggestion_issue,
)

__all__ = [
    "LEVEL_FIELDS",
    "RATING_FIELDS",
    "cycle_change_status",
    "cycle_create",
    "cycle_prepare",
    "cycle_update",
    "dossier_item_add",
    "dossier_item_remove",
    "guiding_document_publish",
    "guiding_document_withdraw",
    "issue_answer",
    "issue_review",
    "pool_apply_quota_proposal",
    "pool_finalize",
    "pool_problems",
    "pool_reopen",
    "pools_finalize",
    "pools_problems",
    "question_act",
    "question_allows",
    "question_ask",
    "ratings_record",
    "submission_change_state",
    "submission_problems",
    "suggestion_draft",
    "suggestion_edit",
    "suggestion_issue",
]
