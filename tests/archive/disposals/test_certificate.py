"""The destruction certificate (档案销毁证明) and the 销毁清册: printed for a finished list only,
naming each item with its outcome (a kept item with its reason), the destroyed items' hashes,
every signer (manager 审核, GM 批准, the archivist's 编制 and 会签); audited. The 销毁清册 lists
destroyed items with their hashes, for good."""

from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent
from app.models.archive import DisposalEntry
from tests.factories.disposals import (
    approve_disposal,
    draft_disposal,
    end_waiting,
    execute,
    expired_item,
)
from tests.support import pdf_text, sheet


def _finished(app, team, client):
    """A list of two items whose first the manager kept, executed."""
    kept = expired_item(app, team.archivist, title="HT-7 长期供货框架合同", pages=2)
    gone = expired_item(app, team.archivist, title="HT-8 年度维保合同")
    disposal = draft_disposal(app, team.archivist, [kept, gone])
    with app.app_context():
        entry_id = db.session.scalar(select(DisposalEntry.id).where(
            DisposalEntry.item_id == kept.id))
    client.login("sales_mgr")
    client.post_form(f"/archive/disposals/{disposal.id}/keep",
                     {"entry_id": str(entry_id), "reason": "客户提起仲裁"})
    approve_disposal(app, team, disposal)
    end_waiting(app, disposal)
    return execute(app, team.archivist, disposal), kept, gone


def test_the_certificate_names_items_outcomes_hashes_and_signers(app, team, client):
    disposal, kept, gone = _finished(app, team, client)
    client.login("gm")
    response = client.get(f"/archive/disposals/{disposal.id}/certificate.pdf")
    assert response.status_code == 200
    text = "".join(pdf_text(response.data).split())
    for expected in ("档案销毁证明", disposal.number, kept.archive_number, gone.archive_number,
                     "保留", "客户提起仲裁", "已销毁", gone.sha256, team.manager.full_name,
                     team.gm.full_name, team.archivist.full_name, "审核", "批准", "会签",
                     disposal.countersign_hash):
        assert expected in text, expected
    assert kept.sha256 not in text  # only what was destroyed is listed with its hashes
    with app.app_context():
        assert db.session.scalar(select(AuditEvent.action).where(
            AuditEvent.object_type == "DisposalList").order_by(AuditEvent.id.desc())) == "print"


def test_no_certificate_before_the_list_is_done(app, team, client):
    disposal = draft_disposal(app, team.archivist, [expired_item(app, team.archivist)])
    client.login("archivist")
    assert client.get(f"/archive/disposals/{disposal.id}/certificate.pdf").status_code == 409


def test_the_register_lists_destroyed_items_with_their_hashes(app, team, client):
    """The 销毁清册 and its export: the destroyed item with its hashes, not the kept one."""
    disposal, kept, gone = _finished(app, team, client)
    client.login("archivist")
    page = client.get("/archive/disposals/register").get_data(as_text=True)
    assert gone.archive_number in page and gone.sha256 in page
    assert kept.archive_number not in page
    rows = sheet(client.get("/archive/disposals/register.xlsx"))
    assert [(r[0], r[7], r[9], r[10]) for r in rows[1:]] == [
        (gone.archive_number, disposal.number, gone.sha256, gone.sm3)]
