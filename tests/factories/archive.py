"""Filed archive items for tests: a signed customer or contract filed for real (PDF/A copy,
seal, hashes, 档号), as the archivist files it. Tests that file need the archive's storage
root and seal fixtures (tests/archive/conftest.py: archive_root, seal_dir). catalogue_item
adds a catalogue row and a plain stored copy without filing, for tests that need many items;
request_loan and approve_loan lend items through the loans' service and the approval engine."""

import hashlib
from io import BytesIO

import pikepdf

from app.extensions import db
from app.models import Department, DeptCode, Level, User
from app.models.archive import ArchiveItem, ArchiveLoan, LoanMethod
from app.models.base import utcnow
from app.services.archive import store
from app.services.archive.filing import file_record
from app.services.archive.loans.requests import LoanData, request_loans
from tests.factories.approvals import approved_customer, latest_request_id, sign_as
from tests.factories.sales import approved, make_contract
from tests.support import detached, serial


def file_as(app, user, record_type: str, record_id: int) -> ArchiveItem:
    """Files the record's latest signed version as `user` and returns the item, detached."""
    with app.app_context():
        return detached(file_record(record_type, record_id, db.session.get(User, user.id)))


def filed_customer(app, team, **fields) -> ArchiveItem:
    """A customer of team.staff approved by team.manager, filed by team.archivist."""
    customer = approved_customer(app, team, **fields)
    return file_as(app, team.archivist, "Customer", customer.id)


def filed_contract(app, team, **fields) -> ArchiveItem:
    """A contract of team.staff signed through its review, filed by team.archivist."""
    contract = approved(app, team, make_contract(app, by=team.staff, **fields))
    return file_as(app, team.archivist, "Contract", contract.id)


def blank_pdf(pages: int = 1) -> bytes:
    """A plain A4 PDF of blank pages (a stored copy's stand-in)."""
    with pikepdf.new() as pdf:
        for _page in range(pages):
            pdf.add_blank_page(page_size=(595, 842))
        out = BytesIO()
        pdf.save(out)
        return out.getvalue()


def catalogue_item(app, filed_by, *, dept: DeptCode = DeptCode.SALES,
                   level: Level = Level.INTERNAL, pages: int = 1, **fields) -> ArchiveItem:
    """An item in the catalogue with a stored copy of blank pages, as if filed (no record,
    seal or 档号 counter behind it): `fields` override the item's columns."""
    with app.app_context():
        number = serial()
        data = blank_pdf(pages)
        relative = f"TEST/{number}.pdf"
        store.store(relative, data)
        department = db.session.query(Department).filter_by(code=dept).one()
        values = dict(
            archive_number=f"TZ-HT·2026-D10-XS-{number:05d}", series="TZ-HT·2026-D10-XS",
            sequence=number, category="HT", year=2026, record_type="Contract",
            record_id=number, record_version=1, content_hash="0" * 64,
            title=f"HT-{number} 测试合同", business_number=f"HT-{number}", customer_id=None,
            department_id=department.id, confidentiality=level, filed_by_id=filed_by.id,
            pages=pages, retention_code="D10", retention_years=10, trigger_date=None,
            expiry_date=None, sha256=hashlib.sha256(data).hexdigest(),
            sm3=hashlib.new("sm3", data).hexdigest(), size=len(data), storage_path=relative,
            pdfa_check="{}", pdfa_passed=True, pdfa_checked_at=utcnow())
        item = ArchiveItem(**{**values, **fields})
        db.session.add(item)
        db.session.commit()
        return detached(item)


def request_loan(app, borrower, items, method: str = "online", days: int = 7,
                 purpose: str = "核对合同条款") -> ArchiveLoan:
    """A loan of `items` (of one department) asked for by `borrower`, pending, detached."""
    with app.app_context():
        data = LoanData(LoanMethod(method), purpose, days, [item.id for item in items])
        [loan] = request_loans(data, db.session.get(User, borrower.id))
        db.session.commit()
        return detached(loan)


def approve_loan(app, loan, signer) -> ArchiveLoan:
    """The loan signed by `signer` (whom its step must wait for), detached."""
    sign_as(app, latest_request_id(app, loan.id, "ArchiveLoan"), signer)
    with app.app_context():
        return detached(db.session.get(ArchiveLoan, loan.id))
