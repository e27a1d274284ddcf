"""Face snapshots of door events (ảnh chụp khi chấm công): sealed at rest, kept for a set time, audited when opened."""
