"""Legal holds (冻结, /archive/holds/): placing a hold on an item, a customer's items or a kind's
items and releasing it (operations), which items a hold covers (coverage), the state 冻结 they
show (marks), and the one check every deletion path asks, can_destroy (guard)."""
