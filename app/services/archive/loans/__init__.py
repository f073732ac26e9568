"""Loans (借阅) of filed items: asking (requests), the approval kind and its card (kind,
cards), handing out, returning, renewing and closing at expiry (execution), reading in the
viewer (viewer), the list and its export (lists), the home page's tile (tiles), and the one
registration (registration)."""
