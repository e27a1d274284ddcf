"""Who may do what with tagged assets (tài sản), declared once (hub.access). No route or page yet:
`cces rfid …` works with the machine operator's authority."""

from __future__ import annotations

ACTIONS = ()
