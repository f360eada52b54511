"""Event types the meetings app publishes on the bus.

Every event goes to ``meeting:<id>`` (the meeting page follows it); data carries the meeting
id and a ``summary`` line. Only people who may see the meeting may follow its topic.
"""

MEETING_CHANGED = "meeting.changed"
"""A meeting was created, edited, published, archived, deleted or restored; ``data.status`` says which state."""

COMMENT_ADDED = "meeting.comment_added"
"""Someone commented on the meeting or replied to a comment."""

RECORDING_UPLOADED = "recording.uploaded"
"""A recording was stored and queued for transcription."""

TRANSCRIPTION_PROGRESS = "recording.progress"
"""The transcription advanced; ``data.progress`` is the share done (0 to 1), ``data.status`` its state."""

TRANSCRIPTION_DONE = "recording.transcribed"
"""A transcription finished; ``data.segments`` is how many segments it produced."""

TRANSCRIPTION_FAILED = "recording.failed"
"""A transcription stopped; ``data.error`` says why."""

ANALYSIS_PROGRESS = "analysis.progress"
"""The analysis was queued or started; ``data.status`` says which."""

ANALYSIS_DONE = "analysis.done"
"""The analysis finished: summary, decisions and proposed action items are on the meeting."""

ANALYSIS_FAILED = "analysis.failed"
"""The analysis stopped; ``data.error`` says why."""

ACTION_ITEM_CHANGED = "action_item.changed"
"""An action item was accepted, edited, dropped, completed, reopened or turned into a project task."""
