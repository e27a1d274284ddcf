"""Model packs the hub offers to devices (gói mô hình), pinned by the SHA-256 of their archive."""
