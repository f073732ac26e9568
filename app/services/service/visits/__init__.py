"""Return visits (回访, seeds a6/a9): the schedule that generates them, recording and
rescheduling one, the list, and the home page's tiles.

Seams (how visits are generated without other departments knowing about them):
- Contracts (sales) and the customer master import no department. The service department
  listens to SQLAlchemy's flush (listeners.py): an active contract's delivery date or status,
  a customer's grade regenerate the open schedule; a customer's confidentiality is copied to
  its visits. Sales code is unchanged; its models are read, never imported from sales services.
- A service record's completion is seen as the insert of a ServiceEvent whose to_status is
  已完成 (mapper event), so the records' services need no call of their own.
- Complaints (not built yet) call complaint.require_before_close() and complaint.is_done().
- The rolling horizon and the December survey are topped up by jobs.daily() (the CLI command
  `flask service visits-daily`, or a Huey periodic task), which is idempotent.

Assignee: the customer's service handler, i.e. the 负责人 of the customer's latest service record
who is an active member of 客服部; without one the visit is unassigned and the 客服 manager, who
sees all of 客服部's visits, assigns it (the 未分配 filter)."""
