"""审核 of a closed service record (issue 13 req. 1): its handler submits it, the 客服 manager
signs it in the approvals inbox from the card, the record page then shows it signed; an open
record cannot be submitted; a change of the signed content voids the signature (签字失效)."""

from app.extensions import db
from app.models import RecordVersion
from app.models.service.records import ServiceRecord
from tests.factories.approvals import latest_request_id, shown_receipt, sign
from tests.factories.service import closed_service_record, make_service_record


def _page(client, record) -> str:
    return client.get(f"/service/records/{record.id}").get_data(as_text=True)


def test_closed_record_is_submitted_and_signed_by_the_service_manager(app, client, team,
                                                                      customer):
    """cs1 submits the closed, confirmed record; the request waits in cs_mgr's inbox with the
    record's content on its card; cs_mgr's signature makes version 1, shown on the page."""
    record = closed_service_record(app, team.cs1, customer)
    client.login("cs1")
    assert 'id="submit-review"' in _page(client, record)
    assert client.post_form(f"/service/records/{record.id}/submit", {}).status_code == 303
    request_id = latest_request_id(app, record.id, "ServiceRecord")
    assert 'id="review-pending"' in _page(client, record)
    client.login("cs_mgr")
    assert f"/approvals/{request_id}" in client.get("/approvals/").get_data(as_text=True)
    card = client.get(f"/approvals/{request_id}").get_data(as_text=True)
    assert record.number in card and "更换电源模块" in card and "王经理" in card
    assert shown_receipt(client, request_id)
    assert sign(client, request_id).status_code == 303
    page = _page(client, record)
    assert 'id="signature-valid"' in page and 'id="review-signed"' in page
    assert 'id="submit-review"' not in page
    with app.app_context():
        assert db.session.query(RecordVersion).filter_by(
            record_type="ServiceRecord", record_id=record.id).count() == 1


def test_open_record_cannot_be_submitted(app, client, team, customer):
    """A record still 处理中 (no closure, no confirmation) is refused in Chinese, no request."""
    record = make_service_record(app, team.cs1, customer, handler_id=team.cs1.id)
    client.login("cs1")
    assert 'id="submit-review"' not in _page(client, record)
    response = client.post_form(f"/service/records/{record.id}/submit", {},
                                follow_redirects=True)
    assert "只有已关闭且已登记客户确认的服务记录才能提交审核" in response.get_data(as_text=True)
    assert latest_request_id(app, record.id, "ServiceRecord") is None


def test_changed_content_voids_the_signature_and_allows_a_new_review(app, client, team,
                                                                     customer):
    """A signed record whose result is changed afterwards shows 签字失效 and may be submitted
    again; a second submission while one is pending is refused."""
    record = closed_service_record(app, team.cs1, customer)
    client.login("cs1")
    client.post_form(f"/service/records/{record.id}/submit", {})
    client.login("cs_mgr")
    sign(client, latest_request_id(app, record.id, "ServiceRecord"))
    with app.app_context():
        db.session.get(ServiceRecord, record.id).result = "设备仍有异响"
        db.session.commit()
    client.login("cs1")
    page = _page(client, record)
    assert 'id="signature-invalid"' in page and 'id="submit-review"' in page
    client.post_form(f"/service/records/{record.id}/submit", {})
    response = client.post_form(f"/service/records/{record.id}/submit", {},
                                follow_redirects=True)
    assert "该服务记录已在审核中" in response.get_data(as_text=True)
