"""Factories: real rows through the real services (or stored directly where a test says so),
returned detached for reading in tests. Import from the module of each kind: people,
customers, approvals, sales, world."""
