"""Every write on consultations. Each function checks who acts and in which state,
changes the rows in one transaction, and writes out its side effects (timeline entry,
moderation log, notifications, map statistics).

A refused action raises ValidationError (a message the user can act on) or
PermissionDenied (the role does not allow it); nothing is changed in either case.

One module per part of a consultation's life: `consultations` (create, change, delete),
`transitions` (publish ... adopt), `articles`, `documents`, `recommendations`,
`moderation`, `synthesis` (the institution's answers), `debates`, `follows` (and
notifications); `common` holds what they share. Every name is importable from
`consultations.services`.
"""

from .articles import ARTICLE_HEADING, PREAMBLE_LABEL, consultation_set_articles, parse_articles
from .channels import OFF_PLATFORM_CHANNELS, RECORDING_STATES, recommendation_record
from .common import (
    MAX_RECOMMENDATION_CHARS,
    State,
    check_dates,
    clean_rich_text,
)
from .consultations import (
    EDITABLE_FIELDS,
    EDITABLE_WHEN_OPEN,
    consultation_create,
    consultation_delete,
    consultation_update,
)
from .debates import (
    debate_end,
    debate_mark_spoken,
    debate_publish_minutes,
    debate_record,
    debate_register,
    debate_request_create,
    debate_request_decline,
    debate_schedule,
    debate_unregister,
)
from .documents import document_add, document_add_version
from .follows import follow_create, follow_delete, notifications_mark_read, preference_set
from .moderation import MODERATION_ACTIONS, recommendation_moderate
from .package import consultation_import, prefill_from_announcement
from .recommendations import (
    DuplicateSubmission,
    check_accepting,
    recommendation_report,
    recommendation_submit,
    recommendation_update,
)
from .reports import annual_report_publish, annual_statement_save
from .synthesis import recommendations_answer
from .transitions import (
    PLATFORM_TRANSITIONS,
    close_expired_consultations,
    close_too_early_message,
    consultation_transition,
    open_due_consultations,
    transition_refusal,
)

__all__ = [
    "ARTICLE_HEADING",
    "EDITABLE_FIELDS",
    "EDITABLE_WHEN_OPEN",
    "MAX_RECOMMENDATION_CHARS",
    "MODERATION_ACTIONS",
    "OFF_PLATFORM_CHANNELS",
    "PLATFORM_TRANSITIONS",
    "PREAMBLE_LABEL",
    "RECORDING_STATES",
    "DuplicateSubmission",
    "State",
    "annual_report_publish",
    "annual_statement_save",
    "check_accepting",
    "check_dates",
    "clean_rich_text",
    "close_expired_consultations",
    "close_too_early_message",
    "consultation_create",
    "consultation_delete",
    "consultation_import",
    "consultation_set_articles",
    "consultation_transition",
    "consultation_update",
    "debate_end",
    "debate_mark_spoken",
    "debate_publish_minutes",
    "debate_record",
    "debate_register",
    "debate_request_create",
    "debate_request_decline",
    "debate_schedule",
    "debate_unregister",
    "document_add",
    "document_add_version",
    "follow_create",
    "follow_delete",
    "notifications_mark_read",
    "open_due_consultations",
    "parse_articles",
    "preference_set",
    "prefill_from_announcement",
    "recommendation_moderate",
    "recommendation_record",
    "recommendation_report",
    "recommendation_submit",
    "recommendation_update",
    "recommendations_answer",
    "transition_refusal",
]
