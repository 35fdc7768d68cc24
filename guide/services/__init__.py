"""Every write of the guide app: `from guide import services; services.register(...)`."""

from .guide import (
    chapter_save,
    count_download,
    count_section_view,
    edition_publish,
    feedback_add,
    image_add,
    image_delete,
    section_save,
    template_add,
    template_delete,
)
from .practices import network_join, network_leave, practice_decide, practice_submit
from .training import (
    attendance_mark,
    cancel,
    feedback_give,
    register,
    send_feedback_requests,
    send_reminders,
    session_cancel,
    session_save,
)

__all__ = [
    "attendance_mark",
    "cancel",
    "chapter_save",
    "count_download",
    "count_section_view",
    "edition_publish",
    "feedback_add",
    "feedback_give",
    "image_add",
    "image_delete",
    "network_join",
    "network_leave",
    "practice_decide",
    "practice_submit",
    "register",
    "section_save",
    "send_feedback_requests",
    "send_reminders",
    "session_cancel",
    "session_save",
    "template_add",
    "template_delete",
]
