"""Summary reporting (tổng hợp – báo cáo) under Decree 09/2019/NĐ-CP (issue 18; DOMAIN.md §2)."""
