"""The leader's instruction on incoming documents (phiếu giải quyết) and its follow-up (issue 15 item 2)."""
