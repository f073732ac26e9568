"""Importers that write each row through the ledger's own service (contracts, the sales ledger):
every rule and audit event of the forms applies, nothing is inserted behind the service's back.

A row is new, a duplicate of a record already there, or a duplicate of an earlier row of the
file. Under the skip rule a duplicate is skipped; under the update rule it updates the record,
checked again at write time against the record as earlier rows left it.
"""

from flask_babel import gettext as _

from app.extensions import db
from app.models import DuplicateRule
from app.services.imports.base import Importer, Outcome, Plan


class RowState:
    """What checking one file needs across its chunks: the rows that create a record (by each of
    their duplicate keys) and, in the job, the record each of those rows created."""

    def __init__(self, actor, rule: DuplicateRule):
        self.actor, self.rule = actor, rule
        self.seen: dict[tuple, int] = {}
        self.created: dict[int, int] = {}

    def earlier(self, keys: list[tuple]) -> int | None:
        """The earlier row of the file that creates a record with one of these keys."""
        return next((self.seen[key] for key in keys if key in self.seen), None)

    def note(self, keys: list[tuple], row: int) -> None:
        for key in keys:
            self.seen.setdefault(key, row)

    def forget(self, rows: set[int]) -> None:
        """Drops what a chunk that was rolled back had noted."""
        self.seen = {key: row for key, row in self.seen.items() if row not in rows}
        self.created = {row: rid for row, rid in self.created.items() if row not in rows}


class RowByRowImporter(Importer):
    """Subclasses say how a record is found changed (`changes`), created and saved."""

    model = None  # the record's model, to find the record an earlier row created

    def changes(self, record, values: dict, state) -> tuple[Outcome, str, object]:
        """(UPDATE, reason, new values), (SKIP, reason, None) or (ERROR, reason, None)."""
        raise NotImplementedError

    def create(self, plan: Plan, state) -> tuple[int | None, str | None]:
        """Writes a new record: (its id, None), or (None, why a rule refused it)."""
        raise NotImplementedError

    def save(self, record, new_values, state) -> str | None:
        """Writes an update: None, or why a rule refused it."""
        raise NotImplementedError

    def duplicate(self, row: int, label: str, values: dict, found, reason: str, state) -> Plan:
        """The plan of a row whose record exists (`found`) or an earlier row creates (its row)."""
        if isinstance(found, int):
            return Plan(row, label, Outcome.SKIP, _("与第 %(row)d 行重复。", row=found), values,
                        existing=found, on_update=Outcome.UPDATE,
                        update_reason=_("将更新第 %(row)d 行导入的记录。", row=found))
        outcome, why, _new_values = self.changes(found, values, state)
        return Plan(row, label, Outcome.SKIP, reason, values, existing=found, on_update=outcome,
                    update_reason=why)

    def write(self, plans, state, batch):
        """Writes a chunk row by row, in order; returns each plan's final (outcome, reason)."""
        finals = []
        for plan in plans:
            outcome, reason = plan.under(state.rule)
            if outcome == Outcome.CREATE:
                record_id, refused = self.create(plan, state)
                if refused:
                    outcome, reason = Outcome.ERROR, refused
                else:
                    state.created[plan.row] = record_id
            elif outcome == Outcome.UPDATE:
                outcome, reason = self._update(plan, state)
            finals.append((plan, outcome, reason))
        return finals

    def _update(self, plan: Plan, state) -> tuple[Outcome, str]:
        """Checks the update again against the record as it is now (an earlier row may have
        created or changed it), then saves it."""
        record = plan.existing
        if isinstance(record, int):
            record_id = state.created.get(record)
            record = db.session.get(self.model, record_id) if record_id else None
            if record is None:
                return Outcome.ERROR, _("第 %(row)d 行未能导入，本行无法据其更新。",
                                        row=plan.existing)
        outcome, reason, new_values = self.changes(record, plan.values, state)
        if outcome != Outcome.UPDATE:
            return outcome, reason
        refused = self.save(record, new_values, state)
        return (Outcome.ERROR, refused) if refused else (Outcome.UPDATE, reason)
