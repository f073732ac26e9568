"""The record form's parts rows without JavaScript: 添加 / 删除 buttons post the form back with
an `op` and the page comes back with the rows rearranged (htmx swaps just the form)."""

import re

from flask import request
from werkzeug.datastructures import MultiDict

from app.models.service.records import ServiceRecord
from app.services.service.records.data import tags_of

PART_FIELDS = ("name", "spec", "quantity", "sold", "unit_price")
# ASCII row numbers of a few digits (int() of thousands of digits, or of other scripts', raises).
_ROW = re.compile(r"^parts-([0-9]{1,6})-")
_COMMAND = re.compile(r"^(add-part|remove-part-([0-9]{1,6}))$")


def _rows(formdata) -> list[dict[str, str]]:
    indices = sorted({int(m.group(1)) for key in formdata if (m := _ROW.match(key))})
    return [{name: formdata.get(f"parts-{i}-{name}", "") for name in PART_FIELDS}
            for i in indices]


def rearranged(formdata, command: str) -> MultiDict:
    """The form data after "add-part" or "remove-part-2"; "save" drops rows left blank."""
    rows = _rows(formdata)
    match = _COMMAND.match(command)
    if match and match.group(2) is None:
        rows.append(dict.fromkeys(PART_FIELDS, ""))
    elif match and int(match.group(2)) < len(rows):
        del rows[int(match.group(2))]
    if command == "save":
        rows = [r for r in rows if any((r.get(n) or "").strip() for n in ("name", "quantity"))]
    kept = [(k, v) for k, v in formdata.items(multi=True) if not _ROW.match(k) and k != "op"]
    return MultiDict(kept + [(f"parts-{i}-{name}", value) for i, row in enumerate(rows)
                             for name, value in row.items() if value or name != "sold"])


def posted(command: str):
    """The form data to build the form from (None on a GET)."""
    return rearranged(request.form, command) if request.method == "POST" else None


def form_values(record: ServiceRecord, contract_number: str | None,
                rework_number: str | None) -> dict:
    """A record's content as the edit form shows it (parts loaded; the phone is left blank:
    it is shown masked, and a blank keeps it)."""
    values = {name: getattr(record, name) for name in (
        "service_at", "communicated_at", "content", "request_text", "customer_contact",
        "expected_at", "place", "delivery_address", "major", "solution", "result", "feedback",
        "remarks")}
    values.update(
        customer_id=str(record.customer_id), service_type=record.service_type.value,
        after_sales_kind=record.after_sales_kind.value if record.after_sales_kind else "",
        priority=record.priority.value, tags=[t.value for t in tags_of(record.tags)],
        contract_number=contract_number or "", rework_of=rework_number or "",
        collaborator_ids=[u.id for u in record.collaborators],
        parts=[{"name": p.name, "spec": p.spec, "quantity": f"{p.quantity.normalize():f}",
                "sold": p.sold, "unit_price": f"{p.unit_price:.2f}"} for p in record.parts])
    return values
