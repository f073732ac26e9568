"""The contract form's rows without JavaScript: 添加 / 删除 buttons post the form back with an `op`
and the page comes back with the rows rearranged (htmx swaps just the form)."""

import re

from werkzeug.datastructures import MultiDict

from app.models import TermKind
from app.services.sales.contracts.data import HEADER_FIELDS, ContractData

LINE_FIELDS = ("product", "spec", "unit", "quantity", "unit_price")
TERM_FIELDS = ("term_id", "kind", "amount", "due_date")
FIELDS = {"lines": LINE_FIELDS, "terms": TERM_FIELDS}
# What makes a row more than an untouched blank (a new term row already has a kind).
CONTENT = {"lines": LINE_FIELDS, "terms": ("amount", "due_date")}
# ASCII row numbers of a few digits: int() of another script's digits, or of thousands of
# them, raises.
_ROW = re.compile(r"^(lines|terms)-([0-9]{1,6})-")
_COMMAND = re.compile(r"^(add|remove)-(line|term)(?:-([0-9]{1,6}))?$")


def submitted_rows(formdata, group: str) -> list[dict[str, str]]:
    """One group's rows as typed, in their order on the page."""
    indices = sorted({int(m.group(2)) for key in formdata
                      if (m := _ROW.match(key)) and m.group(1) == group})
    return [{name: formdata.get(f"{group}-{i}-{name}", "") for name in FIELDS[group]}
            for i in indices]


def _blank(row: dict, group: str) -> bool:
    return not any((row.get(name) or "").strip() for name in CONTENT[group])


def new_term(rows: list[dict]) -> dict:
    """A term row of the first kind not yet used (预付款, then 验收款, then 质保金)."""
    used = {row.get("kind") for row in rows}
    kind = next((k.value for k in TermKind if k.value not in used), TermKind.ADVANCE.value)
    return {"term_id": "", "kind": kind, "amount": "", "due_date": ""}


def _changed(rows: dict[str, list[dict]], command: str) -> None:
    match = _COMMAND.match(command)
    if not match:
        return
    verb, what, index = match.groups()
    group = f"{what}s"
    if verb == "add":
        rows[group].append(new_term(rows[group]) if group == "terms"
                           else dict.fromkeys(LINE_FIELDS, ""))
    elif index is not None and int(index) < len(rows[group]):
        del rows[group][int(index)]


def rearranged(formdata, command: str) -> MultiDict:
    """The form data after "add-line", "remove-line-2", "add-term", "remove-term-0"; "save"
    drops rows left completely blank; any other command ("refresh") changes nothing."""
    rows = {group: submitted_rows(formdata, group) for group in FIELDS}
    _changed(rows, command)
    if command == "save":
        rows = {group: [r for r in found if not _blank(r, group)] for group, found in rows.items()}
    kept = [(key, value) for key, value in formdata.items(multi=True)
            if not _ROW.match(key) and key != "op"]
    return MultiDict(kept + [(f"{group}-{i}-{name}", value)
                             for group, found in rows.items()
                             for i, row in enumerate(found) for name, value in row.items()])


def form_values(data: ContractData) -> dict:
    """A contract's values as the form shows them (quantities without trailing zeros)."""
    values = {name: getattr(data, name) for name in HEADER_FIELDS}
    values.update(
        customer_id=str(data.customer_id) if data.customer_id else "", kind=data.kind.value,
        template_source=data.template_source.value if data.template_source else "",
        confidentiality=int(data.confidentiality))
    values["lines"] = [{"product": ln.product, "spec": ln.spec, "unit": ln.unit,
                        "quantity": f"{ln.quantity.normalize():f}",
                        "unit_price": f"{ln.unit_price:.2f}"} for ln in data.lines]
    values["terms"] = [{"term_id": t.id or "", "kind": t.kind.value,
                        "amount": f"{t.amount:.2f}", "due_date": t.due_date} for t in data.terms]
    return values


def blank_values(customer_id: int | None = None) -> dict:
    """A new contract: one empty line, one 预付款 term."""
    return {"customer_id": str(customer_id or ""), "lines": [dict.fromkeys(LINE_FIELDS, "")],
            "terms": [new_term([])]}
