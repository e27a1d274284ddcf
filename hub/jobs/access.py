"""Who may see and retry the job queue's work (công việc nền), declared once (hub.access)."""

from __future__ import annotations

from hub.access import Action

VIEW = Action("jobs.view", "xem công việc nền", "see background jobs", roles=(), note="the queue spans every unit")
RETRY = Action("jobs.retry", "chạy lại công việc nền", "retry a background job", roles=())

ACTIONS = (VIEW, RETRY)
