"""The archive's rules, one module per ledger (items, handovers, loans, holds, disposals,
checks, retention), each exporting RULES = {Model: rules object}; rules() hands them all to
policy.register."""

from app.policy.archive import checks, disposals, handovers, holds, items, loans, retention


def rules() -> dict:
    """Every archive model and its rules, for policy.register."""
    merged: dict = {}
    for module in (items, handovers, loans, holds, disposals, checks, retention):
        merged.update(module.RULES)
    return merged
