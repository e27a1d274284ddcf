"""The reporting service (issue 18 items 1–4): regimes as versioned data, each reporting unit's report of a
period opened with its pre-filled figures, filled and corrected with a note, submitted, returned with
comments or accepted, late units reminded (and, from the third reminder, their receiving unit told), the
list of who has not submitted, consolidation up the unit tree and its exports. Transactions, access checks
(hub.reporting.access) and audit live in its parts, one module each:

- `hub.reporting.core` — the pool, clock, attachment store; units, reporters, locks, the official heading;
- `hub.reporting.regimes` — regimes (versioned; a regime changed mid-year keeps old reports on their old
  version) and opening each period's reports (idempotent: one report per regime, period and unit);
- `hub.reporting.filling` — reading, filling, submit / return / accept, fill from reporters, attachments;
- `hub.reporting.following` — who has not submitted, reminders and escalation, consolidation, exports.
"""

from __future__ import annotations

from hub.reporting.core import Filled, export_format
from hub.reporting.filling import ReportingFilling
from hub.reporting.following import ReportingFollowing
from hub.reporting.regimes import ReportingRegimes
from hub.reporting.template import TemplateError

__all__ = ["Filled", "ReportingService", "TemplateError", "export_format"]


class ReportingService(ReportingRegimes, ReportingFilling, ReportingFollowing):
    """The whole reporting service: its parts share `hub.reporting.core.ReportingCore`."""
