"""Every change of state in the meetings app; the API, pages, admin, tasks and commands call these."""
from .analysis import queue_analysis, run_analysis, start_analysis
from .common import item_for, may_edit, meeting_for
from .items import accept_item, add_item, set_item_status, update_item
from .meetings import (
    add_comment,
    create_meeting,
    delete_meeting,
    diff_versions,
    restore_meeting,
    set_meeting_status,
    update_meeting,
)
from .recordings import meeting_context, run_transcription, start_transcription, transcript_segments, upload_recording
from .search import rebuild_search, refresh_search, search_meetings
from .tasks import convert_to_task

__all__ = [
    "accept_item", "add_comment", "add_item", "convert_to_task", "create_meeting", "delete_meeting",
    "diff_versions", "item_for", "may_edit", "meeting_context", "meeting_for", "queue_analysis", "rebuild_search",
    "refresh_search", "restore_meeting", "run_analysis", "run_transcription", "search_meetings", "set_item_status",
    "set_meeting_status", "start_analysis", "start_transcription", "transcript_segments", "update_item",
    "update_meeting", "upload_recording",
]
