"""Which ledgers can be imported: one importer per ledger, registered by its module."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.services.imports.base import Importer
from app.services.imports.xlsx import BadFile

LEDGERS = {"customers": _l("客户档案"), "contracts": _l("销售合同"), "sales": _l("销售台账")}
_IMPORTERS: dict[str, Importer] = {}


def register(importer: Importer) -> None:
    """Makes `importer` the one for its ledger."""
    if importer.ledger not in LEDGERS:
        raise ValueError(f"unknown ledger {importer.ledger!r}")
    _IMPORTERS[importer.ledger] = importer


def importers() -> list[Importer]:
    """The importers, in the order of LEDGERS."""
    return [_IMPORTERS[key] for key in LEDGERS if key in _IMPORTERS]


def importer_for(ledger: str) -> Importer:
    """The ledger's importer; refuses (BadFile) a ledger that cannot be imported."""
    if ledger not in _IMPORTERS:
        raise BadFile(_("请选择要导入的台账。"))
    return _IMPORTERS[ledger]
