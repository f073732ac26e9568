"""保管期限表 (/archive/retention/): the schedule and its history (routes.py), editing a rule and
recomputing expiry dates (edit_routes.py), their forms (forms.py)."""
