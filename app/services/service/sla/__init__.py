"""客服部 SLAs: the policies (policies), the clock that turns a record's history into stored
deadlines (clock, deadlines), the recompute job over open records (recompute) and the SLA
state lists read from the stored columns (state)."""
