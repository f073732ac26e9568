"""Which ledgers can be imported: one importer per ledger, each registered with its name by its
department's plug_in (the kit imports no department)."""

from flask_babel import gettext as _

from app.services.imports.base import Importer
from app.services.imports.xlsx import BadFile

_IMPORTERS: dict[str, Importer] = {}
_LABELS: dict[str, str] = {}


def register(importer: Importer, label) -> None:
    """Makes `importer` the one for its ledger; `label` (lazily translated) names the ledger.
    Ledgers are offered in the order they were registered."""
    _IMPORTERS[importer.ledger] = importer
    _LABELS[importer.ledger] = label


def labels() -> dict[str, str]:
    """Each importable ledger's key and name, in registration order."""
    return dict(_LABELS)


def importers() -> list[Importer]:
    """The importers, in registration order."""
    return list(_IMPORTERS.values())


def importer_for(ledger: str) -> Importer:
    """The ledger's importer; refuses (BadFile) a ledger that cannot be imported."""
    if ledger not in _IMPORTERS:
        raise BadFile(_("请选择要导入的台账。"))
    return _IMPORTERS[ledger]
