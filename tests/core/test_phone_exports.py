"""Personal data in exports (issue 10, requirement 9): phones are masked in every export; a
full-phone export (外呼名单) needs the reveal permission and a stated reason, the department
manager's approval above 50 rows, is audited with its row count, and names its requester in
the file's properties and above its header."""

import io
import json
import re
import zipfile

from python_calamine import CalamineWorkbook
from sqlalchemy import select

from app.extensions import db
from app.models import ApprovalRequest, AuditEvent, PhoneExport, RequestStatus
from tests.factories import bulk
from tests.factories.approvals import latest_request_id, sign_as
from tests.factories.customers import make_customer
from tests.factories.people import make_people


def _rows(data: bytes) -> list[list]:
    return CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()


def _events(app, action: str) -> list[dict]:
    with app.app_context():
        return [json.loads(e.changes or "{}") for e in db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id))]


def _ask(client, reason: str = "季度回访电话", query: str = ""):
    return client.post_form(f"/customers/phone-export{query}", {"reason": reason},
                            token_from=f"/customers/phone-export{query}")


def test_the_ordinary_export_masks_every_phone(client, app):
    people = make_people(app, "sales1")
    make_customer(app, people["sales1"], name="华信电话有限公司", phone="13912345678")
    client.login("sales1")
    data = client.get("/customers/export.xlsx").data
    assert "139****5678" in str(_rows(data)) and "13912345678" not in str(_rows(data))


def test_a_small_call_list_needs_a_reason_and_names_its_requester(client, app):
    people = make_people(app, "sales1", "sales2", named=True)
    make_customer(app, people["sales1"], name="华信电话有限公司", phone="13912345678")
    make_customer(app, people["sales2"], name="别人的客户有限公司", phone="13700001111")
    client.login("sales1")
    assert "1 位客户" in client.get("/customers/phone-export").get_data(as_text=True)
    refused = _ask(client, reason="  ")
    assert refused.status_code == 422 and "导出原因" in refused.get_data(as_text=True)
    asked = _ask(client)
    assert asked.status_code == 303, "the request's page, where the file is taken"
    assert re.fullmatch(r"/customers/phone-exports/\d+", asked.headers["Location"])
    page = client.get(asked.headers["Location"]).get_data(as_text=True)
    assert "phone-export-download" in page and "外呼名单已生成" in page
    response = client.get(f"{asked.headers['Location']}/file.xlsx")
    assert response.status_code == 200
    assert "filename*=UTF-8''" in response.headers["Content-Disposition"]
    assert re.search(r"\d{4}-\d{2}-\d{2}", response.headers["Content-Disposition"])
    rows = _rows(response.data)
    assert "李晓明" in rows[0][0] and "季度回访电话" in rows[0][0]
    assert rows[1][:4] == ["客户编号", "客户名称", "联系人", "联系电话"]
    assert [r[3] for r in rows[2:]] == ["13912345678"], "full phones, only the user's customers"
    core = zipfile.ZipFile(io.BytesIO(response.data)).read("docProps/core.xml").decode()
    assert "<dc:creator>李晓明（S1001）</dc:creator>" in core
    export = _events(app, "export")[-1]
    assert export["rows"] == 1 and export["reason"] == "季度回访电话"


def test_more_than_50_rows_wait_for_the_managers_approval(client, app):
    people = make_people(app, "sales1", "sales_mgr", named=True)
    bulk.customers(app, [people["sales1"]] * 51)
    client.login("sales1")
    response = _ask(client, reason="年终答谢外呼")
    assert response.status_code == 303
    with app.app_context():
        export = db.session.scalar(select(PhoneExport))
        assert export.status == RequestStatus.PENDING and export.row_count == 51
    assert _events(app, "phone_export_requested")[-1]["rows"] == 51
    file_url = f"/customers/phone-exports/{export.id}/file.xlsx"
    assert client.get(file_url).status_code == 403, "no file before the approval"
    assert not _events(app, "export")
    sign_as(app, latest_request_id(app, export.id, "PhoneExport"), people["sales_mgr"])
    page = client.get(f"/customers/phone-exports/{export.id}").get_data(as_text=True)
    assert "phone-export-download" in page
    rows = _rows(client.get(file_url).data)
    assert len(rows) == 2 + 51 and all(len(r[3]) == 11 and "*" not in r[3] for r in rows[2:])
    assert _events(app, "export")[-1]["rows"] == 51


def test_the_approver_is_the_requesters_department_manager(client, app):
    people = make_people(app, "sales1", "sales_mgr")
    bulk.customers(app, [people["sales1"]] * 51)
    client.login("sales1")
    _ask(client)
    with app.app_context():
        request = db.session.scalar(select(ApprovalRequest).where(
            ApprovalRequest.record_type == "PhoneExport"))
        assert request.status == RequestStatus.PENDING
    client.login("sales_mgr")
    assert client.get("/approvals/").status_code == 200
    assert "外呼名单导出" in client.get("/approvals/").get_data(as_text=True)


def test_who_may_not_reveal_personal_data_may_not_ask(client, app):
    people = make_people(app, "sales1", "cs1", "auditor", "archivist", "admin")
    make_customer(app, people["sales1"], name="华信电话有限公司", phone="13912345678")
    for persona in ("auditor", "archivist", "admin"):
        client.login(persona)
        assert client.get("/customers/phone-export").status_code == 403
    client.login("cs1")  # may reveal, but no customer of theirs is in scope
    assert "0 位客户" in client.get("/customers/phone-export").get_data(as_text=True)
    assert _ask(client).status_code == 422
    assert not _events(app, "export")


def test_the_file_is_only_its_requesters(client, app):
    people = make_people(app, "sales1", "sales2")
    make_customer(app, people["sales1"], name="华信电话有限公司", phone="13912345678")
    client.login("sales1")
    _ask(client)
    with app.app_context():
        export_id = db.session.scalar(select(PhoneExport.id))
    client.login("sales2")
    assert client.get(f"/customers/phone-exports/{export_id}/file.xlsx").status_code == 404
