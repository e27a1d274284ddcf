"""Backups of a hub: its database (pg_dump), its content store and its secrets (encrypted); verify, restore,
scheduled backups with retention (issue 19)."""
