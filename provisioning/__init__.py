"""Device identity: credentials now; the CA, enrollment tokens and broker ACL files later."""
