"""Filing a signed service record (issue 13 req. 1): its 审核-signed 客户服务记录表 becomes an item
under 门类 FW with the D4 retention counted from its closure; its copy carries both 联, the
record number and the 审核 signer; an unsigned record is refused."""

import io
from datetime import date

import pypdf
import pytest

from app.extensions import db
from app.models import User
from app.models.service.records import ServiceRecord
from app.services.archive.filing import FilingRefused
from app.services.service.records.review import submit_review
from tests.factories.approvals import latest_request_id, sign_as
from tests.factories.archive import file_as
from tests.factories.customers import make_customer
from tests.factories.people import make_team
from tests.factories.service import closed_service_record

# 客服 names on paper, so the copy's 审核 cell names its signer.
PEOPLE = {"cs1": "cs1", "cs_mgr": "cs_mgr", "seller": "sales1", "archivist": "archivist"}


@pytest.fixture
def service_team(app):
    """客服 staff and manager (named, as the 审核 cell prints them), the customer's owner and
    the archivist."""
    return make_team(app, PEOPLE, named=True, cs_mgr={"full_name": "钱主管"})


def _submitted(app, team) -> ServiceRecord:
    """A closed record of a new customer, submitted to its 审核 by its handler."""
    customer = make_customer(app, team.seller, name="华信科技有限公司")
    record = closed_service_record(app, team.cs1, customer)
    with app.app_context():
        submit_review(db.session.get(ServiceRecord, record.id), db.session.get(User, team.cs1.id))
        db.session.commit()
    return record


def test_signed_service_record_files_under_its_category(app, service_team, archive_root):
    """The signed record files as TZ-FW·…-D4-KF-00001; its copy shows both 联, the record
    number and the 审核 signer; the retention counts from the closure day."""
    record = _submitted(app, service_team)
    sign_as(app, latest_request_id(app, record.id, "ServiceRecord"), service_team.cs_mgr)
    item = file_as(app, service_team.archivist, "ServiceRecord", record.id)
    assert item.archive_number.startswith("TZ-FW·") and "-D4-KF-" in item.archive_number
    assert (item.business_number, item.customer_id) == (record.number, record.customer_id)
    data = (archive_root / item.storage_path).read_bytes()
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages)
    assert record.number in text and "钱主管" in text
    assert "第一联" in text and "第二联" in text
    assert item.trigger_date == date(2026, 3, 3)


def test_unsigned_service_record_is_refused(app, service_team):
    """A record waiting for its 审核 has no signed version: filing refuses it."""
    record = _submitted(app, service_team)
    with pytest.raises(FilingRefused):
        file_as(app, service_team.archivist, "ServiceRecord", record.id)
