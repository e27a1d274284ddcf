"""Notifications (thông báo): an inbox per account, the live bell, e-mail, signed single-use action links."""
