"""Kiosk screens: full-screen pages with no sign-in, showing only what a door or room screen shows.

`terminal` is the door terminal's greeting screen, run on the device by `cces terminal` (fed by
the local agent, works with no hub) or served by the hub at `/kiosk/terminal/{device_id}` for a
thin-client screen; `room` is the meeting-room display (a placeholder until meetings exist).
Nothing here imports the hub at run time, so the device needs only NiceGUI.
"""
