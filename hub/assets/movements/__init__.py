"""Asset movements (issue 16 item 7): check-out and return, transfer, repair, loan, liquidation."""
