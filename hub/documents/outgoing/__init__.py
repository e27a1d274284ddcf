"""Outgoing documents: drafts, the approval chain, release, revocation (issue 15 item 3)."""
