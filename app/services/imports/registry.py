"""Which ledgers can be imported: one importer per ledger, registered by its module.

The stable interface names three ledgers (customers, contracts, sales); an importer for the
contracts and the sales ledger registers here once those services exist.
"""

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


def available(ledger: str) -> bool:
    return ledger in _IMPORTERS


def importer_for(ledger: str) -> Importer:
    """The ledger's importer; refuses (BadFile) a ledger unknown or not open for import yet."""
    if ledger not in LEDGERS:
        raise BadFile(_("请选择要导入的台账。"))
    if ledger not in _IMPORTERS:
        open_ones = "、".join(str(LEDGERS[key]) for key in LEDGERS if key in _IMPORTERS)
        raise BadFile(_("「%(ledger)s」的导入尚未开放；目前可导入：%(open)s。",
                        ledger=LEDGERS[ledger], open=open_ones))
    return _IMPORTERS[ledger]
