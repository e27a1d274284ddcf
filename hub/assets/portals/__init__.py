"""Door portals (issue 16 item 6): an asset leaving without an approved movement raises an alert."""
