"""SLA 时限 (/service/sla/): the policies, on-site profiles and their contracts, and the
progress of the recompute job."""
