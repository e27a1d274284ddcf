"""NiceGUI pages: admin web UI, meeting-room display, terminal greeting screen.

Pages talk to the hub through `hub.services` only, never SQL.
"""
