"""客服部 (customer service): service records, follow-ups, return visits, SLAs, satisfaction,
the duty roster, fault reports, statistics. One subpackage per ledger."""
