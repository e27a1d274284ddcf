"""Case files (hồ sơ) and the hand-over to the agency archive (issue 15 item 7)."""
