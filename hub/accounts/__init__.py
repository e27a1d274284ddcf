"""Accounts (tài khoản): users linked to employees, roles scoped to org units, sessions, audit log."""
