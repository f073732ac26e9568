"""Which ledgers can be imported: one importer per ledger, each registered with its name and
the department whose ledger it fills by that department's plug_in (the kit imports no
department). The department decides who imports the ledger and who sees its batches
(policy.imports), and on which department's import pages it is offered."""

from flask_babel import gettext as _

from app.models import DeptCode
from app.policy import imports as import_policy
from app.services.imports.base import Importer
from app.services.imports.xlsx import BadFile

_IMPORTERS: dict[str, Importer] = {}
_LABELS: dict[str, str] = {}


def register(importer: Importer, label, department: DeptCode) -> None:
    """Makes `importer` the one for its ledger, a ledger of `department`; `label` (lazily
    translated) names the ledger. Ledgers are offered in the order they were registered."""
    _IMPORTERS[importer.ledger] = importer
    _LABELS[importer.ledger] = label
    import_policy.assign(importer.ledger, department)


def _of(department: DeptCode | None) -> list[str]:
    """The ledgers of `department` (all of them for None), in registration order."""
    if department is None:
        return list(_IMPORTERS)
    return import_policy.ledgers_of(department)


def labels(department: DeptCode | None = None) -> dict[str, str]:
    """Each importable ledger's key and name (of `department` only, when given)."""
    return {ledger: _LABELS[ledger] for ledger in _of(department)}


def importers(department: DeptCode | None = None) -> list[Importer]:
    """The importers (of `department` only, when given), in registration order."""
    return [_IMPORTERS[ledger] for ledger in _of(department)]


def department_of(ledger: str) -> DeptCode | None:
    """The department whose ledger `ledger` is; None for one that cannot be imported."""
    return import_policy.department_of(ledger)


def importer_for(ledger: str, department: DeptCode | None = None) -> Importer:
    """The ledger's importer; refuses (BadFile) a ledger that cannot be imported, or that is
    not `department`'s when one is given."""
    if ledger not in _IMPORTERS or (department is not None
                                    and department_of(ledger) != department):
        raise BadFile(_("请选择要导入的台账。"))
    return _IMPORTERS[ledger]
