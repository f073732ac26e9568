"""Follow-ups (跟进) on service records: adding one (补录 when late), the cadence rule table
and the next due date it gives each open record, the record page's section, the overdue list."""
