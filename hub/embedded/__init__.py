"""The embedded parts `cces hub` starts when no production database or broker is configured."""
