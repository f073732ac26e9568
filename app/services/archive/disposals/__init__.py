"""Disposal (销毁, /archive/disposals/): the due list (due), disposal lists drafted by the
archivist and signed through the approval engine (kind, cards, operations), their resumable
execution (execution) with PIPL §47's erasure of personal data (privacy), the 销毁清册 and the
lists (lists), and the destruction certificate (certificate). Nothing is destroyed but through
holds.guard.can_destroy."""
