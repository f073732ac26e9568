"""Follow-ups (跟进) of service records: adding one from the record's page, the overdue list
and its export, the cadence rule table."""
