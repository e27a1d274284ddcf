"""Who sees what (issue 15 item 6): security clearances, involvement, grants, audited openings and
watermarked downloads of secret documents."""
