"""Inventory (kiểm kê, issue 16 item 5): sessions, reads from fixed readers and handhelds, differences."""
