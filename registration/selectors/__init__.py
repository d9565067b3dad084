"""Registration read paths, one module per subject, the attendees' ones re-exported here.

attendees: registration_for (the active registration), my_bookings_by_day, delegations, seminars_for_member,
  seat_status_for_day, stream_link_for (who sees a seminar's stream link), streamed_items_for
feedback: feedback results per seminar and track, and a speaker's own aggregates
checkpoints: the doors of a conference (Checkpoint, parse_checkpoint, checkpoints_by_day)
door: live door counts (door_counts, checkpoint_counts)
"""

from .attendees import (  # noqa: F401
    coordinated_delegation,
    delegation_members,
    my_bookings_by_day,
    registration_for,
    seat_status_for_day,
    seminars_for_member,
    stream_link_for,
    streamed_items_for,
)
