"""Meeting-room displays (màn hình phòng họp): each room's display state, computed from the meetings service and
published retained on `cces/v1/rooms/{room_id}/display` (issue 17 item 5)."""
