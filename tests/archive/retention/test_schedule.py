"""The schedule's page and its edits: the spec's defaults listed, a change saved with its reason
and history and audited, the seeds' floors, stale forms, unchanged forms, new rules, the
exports and the print."""

import io
import json
from datetime import date

import pypdf
from sqlalchemy import delete, func, select

from app.extensions import db
from app.models import AuditEvent
from app.models.archive import (
    ArchiveItem,
    RetentionRule,
    RetentionRuleChange,
    RetentionRun,
    RetentionRunStatus,
)
from tests.archive.retention.conftest import edit_form, rule_of
from tests.factories.archive import catalogue_item
from tests.factories.people import make_people
from tests.support import sheet

SPEC_DEFAULTS = {  # seeds-wave2 d4 (migrations 0020 and 0028)
    "Customer": ("D3", 3, "relationship_end"), "ServiceRecord": ("D4", 4, "closure"),
    "Contract": ("D10", 10, "completion"), "ContractChange": ("D10", 10, "completion"),
    "Complaint": ("D3", 3, "closure"), "CreditInvestigation": ("D3", 3, "superseded"),
    "CreditRating": ("D3", 3, "superseded"), "CreditLimit": ("D3", 3, "superseded"),
    "ReturnVisit": ("D3", 3, "closure"), "FaultReport": ("D3", 3, "closure"),
    "AuditTrail": ("Y", None, "filing"), "DisposalList": ("Y", None, "filing"),
}


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_schedule_lists_the_spec_defaults_for_every_kind(app, client):
    """Customers 3 years after the relationship ends, signed service records 4, contracts and
    their changes 10 after completion, complaints 3 after closure, credit files 3 after being
    superseded, the audit trail and destruction lists permanent; the page shows each."""
    with app.app_context():
        stored = {r.record_type: (r.code, r.years, r.trigger.value)
                  for r in db.session.scalars(select(RetentionRule))}
    assert stored == SPEC_DEFAULTS
    make_people(app, "archivist")
    client.login("archivist")
    page = client.get("/archive/retention/").get_data(as_text=True)
    assert 'id="rule-Contract" data-years="10"' in page
    assert 'id="rule-DisposalList" data-years="permanent"' in page and "永久" in page
    assert "履行完毕" in page and 'id="edit-Contract"' not in page  # the archivist reads


def test_a_change_is_saved_with_its_reason_history_and_audit(app, client):
    """The administrator sets contracts to 15 years: the code follows (D15), the history keeps
    old → new with the reason, the audit trail records it, and the type's items get their
    expiry recomputed (from their stored trigger)."""
    people = make_people(app, "admin", "archivist")
    item = catalogue_item(app, people["archivist"], trigger_date=date(2027, 2, 28),
                          expiry_date=date(2037, 2, 28))
    client.login("admin")
    rule = rule_of(app, "Contract")
    response = edit_form(client, rule.id, years="15", reason="集团档案管理办法修订")
    assert response.status_code == 303
    assert (rule_of(app, "Contract").code, rule_of(app, "Contract").years) == ("D15", 15)
    with app.app_context():
        change = db.session.scalar(select(RetentionRuleChange))
        assert (change.old_code, change.old_years, change.new_code, change.new_years) == (
            "D10", 10, "D15", 15)
        assert change.reason == "集团档案管理办法修订"
        run = db.session.get(RetentionRun, change.run_id)
        assert (run.record_type, run.status, run.changed) == (
            "Contract", RetentionRunStatus.DONE, 1)
        assert db.session.get(ArchiveItem, item.id).expiry_date == date(2042, 2, 28)
        event = db.session.scalar(select(AuditEvent).where(
            AuditEvent.action == "retention_rule_changed"))
        assert json.loads(event.changes)["years"] == ["10 年", "15 年"]
        assert "集团档案管理办法修订" in event.changes


def test_the_seeds_floors_and_the_reason_are_enforced(app, client):
    """Nothing under three years, signed service records at least four, the audit trail only
    permanent, at most 100 years, a reason always: each refused on its field, nothing saved."""
    make_people(app, "admin")
    client.login("admin")
    cases = [("Customer", {"years": "2"}, "保管年限应为 3 至 100 年"),
             ("ServiceRecord", {"years": "3"}, "不少于 4 年"),
             ("AuditTrail", {"years": "30"}, "须永久保存"),
             ("Contract", {"years": "101"}, "更长请选择永久"),
             ("Contract", {"years": "十"}, "请填写保管年限"),
             ("Contract", {"years": "12", "reason": " "}, "请填写修改原因")]
    for record_type, values, message in cases:
        response = edit_form(client, rule_of(app, record_type).id, **values)
        assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert _count(app, RetentionRuleChange) == 0
    assert rule_of(app, "Contract").years == 10


def test_permanent_keeps_no_expiry_and_codes_y(app, client):
    """永久 ticked: code Y, no years, and the type's items lose their expiry date."""
    people = make_people(app, "admin", "archivist")
    item = catalogue_item(app, people["archivist"], trigger_date=date(2027, 2, 28),
                          expiry_date=date(2037, 2, 28))
    client.login("admin")
    edit_form(client, rule_of(app, "Contract").id, permanent="y", years="")
    assert (rule_of(app, "Contract").code, rule_of(app, "Contract").years) == ("Y", None)
    with app.app_context():
        assert db.session.get(ArchiveItem, item.id).expiry_date is None


def test_a_stale_form_is_refused_and_shows_the_latest_rule(app, client):
    """Two forms opened on the same rule: the second save is refused (nothing overwritten) and
    the form comes back with the first one's values."""
    make_people(app, "admin")
    client.login("admin")
    rule = rule_of(app, "Contract")
    stale = rule.updated_at.isoformat()
    assert edit_form(client, rule.id, years="12").status_code == 303
    response = client.post_form(f"/archive/retention/{rule.id}/edit", {
        "years": "20", "trigger": "completion", "reason": "另一人的修改", "stamp": stale})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "已被他人修改" in page and 'value="12"' in page
    assert rule_of(app, "Contract").years == 12 and _count(app, RetentionRuleChange) == 1


def test_an_unchanged_form_saves_nothing(app, client):
    """Saving the rule as it is writes no history and starts no run."""
    make_people(app, "admin")
    client.login("admin")
    response = edit_form(client, rule_of(app, "Contract").id, years="10")
    assert response.status_code == 303
    assert _count(app, RetentionRuleChange) == 0 and _count(app, RetentionRun) == 0


def test_a_fileable_kind_without_a_rule_is_listed_and_can_be_added(app, client):
    """A kind that can be filed but has no rule is named on the page (its filing is refused
    meanwhile); the administrator adds its rule, kept in the history as an addition; a kind
    with a rule cannot be added twice."""
    make_people(app, "admin")
    with app.app_context():
        db.session.execute(delete(RetentionRule).where(RetentionRule.record_type == "Customer"))
        db.session.commit()
    client.login("admin")
    page = client.get("/archive/retention/").get_data(as_text=True)
    assert 'id="unset-kinds"' in page and "record_type=Customer" in page
    data = {"record_type": "Customer", "years": "5", "trigger": "relationship_end",
            "reason": "客户档案纳入保管期限表"}
    assert client.post_form("/archive/retention/new", data).status_code == 303
    assert rule_of(app, "Customer").code == "D5"
    with app.app_context():
        change = db.session.scalar(select(RetentionRuleChange))
        assert (change.old_code, change.new_code) == (None, "D5")
    again = client.post_form("/archive/retention/new", {**data, "years": "6"})
    assert again.status_code == 422 and rule_of(app, "Customer").years == 5


def test_exports_and_print_show_the_schedule_and_its_history(app, client):
    """The schedule and its history export as workbooks and the schedule prints as a PDF;
    each is audited."""
    make_people(app, "admin")
    client.login("admin")
    edit_form(client, rule_of(app, "Contract").id, years="12", reason="调整合同保管期限")
    rows = sheet(client.get("/archive/retention/export.xlsx"))
    assert rows_of(rows, "Contract")[:5] == ("销售合同", "Contract", "D12", "12 年", "履行完毕")
    history = sheet(client.get("/archive/retention/history.xlsx"))
    assert history[1][1:5] == ("销售合同", "D10 · 10 年 · 自履行完毕起",
                               "D12 · 12 年 · 自履行完毕起", "调整合同保管期限")
    pdf = client.get("/archive/retention/print.pdf")
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf.data)).pages)
    assert "档案保管期限表" in text and "D12" in text
    with app.app_context():
        actions = set(db.session.scalars(select(AuditEvent.action).where(
            AuditEvent.object_type == "RetentionRule")))
    assert {"export", "print", "retention_rule_changed"} <= actions


def rows_of(rows: list[tuple], record_type: str) -> tuple:
    return next(row for row in rows if row[1] == record_type)
