"""Benchmarks that print figures (`cces bench …`); timing goals live here, not in tests."""
