"""The import job writes chunk by chunk: counters are committed with their rows, a chunk whose
write fails is rolled back whole and retried, and an error in one row loses no other row (the
customer ledger's bulk insert and the contract ledger's row-by-row service alike)."""

from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import Contract, Customer, ImportBatch, ImportStatus
from app.services.sales.imports.contracts import ContractImporter
from app.services.sales.imports.customers import CustomerImporter
from tests.factories.customers import make_customer
from tests.factories.imports import contract_row, imported, row
from tests.factories.people import make_user

pytestmark = pytest.mark.usefixtures("immediate_jobs")


@pytest.fixture
def small_chunks(app):
    """Two rows per chunk, so a file of a few rows spans several transactions."""
    size, app.config["IMPORT_CHUNK_ROWS"] = app.config["IMPORT_CHUNK_ROWS"], 2
    yield
    app.config["IMPORT_CHUNK_ROWS"] = size


def _state(app, batch: int) -> tuple:
    with app.app_context():
        b = db.session.get(ImportBatch, batch)
        customers = db.session.scalar(select(func.count()).select_from(Customer))
        return b.status, b.total_rows, b.processed, b.created, b.skipped, b.failed, customers


@pytest.mark.usefixtures("small_chunks")
def test_errors_and_duplicates_across_chunks_lose_no_row(client, app):
    make_user(app, "sales1")
    client.login("sales1")
    rows = [row(1), row(2, 联系电话="1"), row(3), row(4, 客户名称="导入测试1有限公司"), row(5)]
    batch = imported(client, rows)
    assert _state(app, batch) == (ImportStatus.DONE, 5, 5, 3, 1, 1, 3)


@pytest.mark.usefixtures("small_chunks")
def test_a_chunk_whose_write_fails_is_retried_whole(client, app, monkeypatch):
    """The first write of the second chunk fails (as when a colleague registers the same name
    at that moment): nothing of it stays, it is checked again and written once."""
    insert, calls = CustomerImporter._insert, []

    def flaky(self, plans, state, batch):
        insert(self, plans, state, batch)
        calls.append(len(plans))
        if len(calls) == 2:
            raise IntegrityError("INSERT", {}, Exception("duplicate key"))

    monkeypatch.setattr(CustomerImporter, "_insert", flaky)
    make_user(app, "sales1")
    client.login("sales1")
    batch = imported(client, [row(n) for n in range(1, 6)])
    assert calls == [2, 2, 2, 1]
    assert _state(app, batch) == (ImportStatus.DONE, 5, 5, 5, 0, 0, 5)


@pytest.mark.usefixtures("small_chunks")
def test_a_chunk_that_keeps_failing_stops_the_job_with_exact_counts(client, app, monkeypatch):
    insert, calls = CustomerImporter._insert, []

    def broken(self, plans, state, batch):
        calls.append(len(plans))
        if len(calls) > 1:
            raise IntegrityError("INSERT", {}, Exception("duplicate key"))
        insert(self, plans, state, batch)

    monkeypatch.setattr(CustomerImporter, "_insert", broken)
    make_user(app, "sales1")
    client.login("sales1")
    batch = imported(client, [row(n) for n in range(1, 6)])
    assert _state(app, batch) == (ImportStatus.FAILED, 5, 2, 2, 0, 0, 2)
    page = client.get(f"/sales/imports/{batch}").get_data(as_text=True)
    assert "导入在处理完 2 行后中断" in page and 'id="sum-unprocessed">3' in page


@pytest.mark.usefixtures("small_chunks")
def test_contract_rows_across_chunks_update_what_an_earlier_chunk_created(client, app,
                                                                         monkeypatch):
    """Row 4 repeats row 1 (written by the first chunk) and updates it; the third chunk's first
    write fails once and is retried whole: every contract is written once, numbers unbroken."""
    create, calls = ContractImporter.create, []

    def flaky(self, plan, state):
        calls.append(plan.row)
        if len(calls) == 4:
            raise IntegrityError("INSERT", {}, Exception("lock"))
        return create(self, plan, state)

    monkeypatch.setattr(ContractImporter, "create", flaky)
    me = make_user(app, "sales1")
    make_customer(app, me, name="甲方有限公司")
    client.login("sales1")
    rows = [contract_row(n, "甲方有限公司") for n in (1, 2, 3)]
    rows += [contract_row(1, "甲方有限公司", 单价="600.00", 预付款="500.00"),
             contract_row(5, "甲方有限公司"), contract_row(6, "甲方有限公司", 数量=0)]
    batch = imported(client, rows, rule="update", ledger="contracts")
    with app.app_context():
        b = db.session.get(ImportBatch, batch)
        assert (b.status, b.created, b.updated, b.skipped, b.failed) == (
            ImportStatus.DONE, 4, 1, 0, 1)
        contracts = list(db.session.scalars(select(Contract).order_by(Contract.id)))
    assert [c.name for c in contracts] == ["导入合同1", "导入合同2", "导入合同3", "导入合同5"]
    assert contracts[0].total_amount == Decimal("1200.00")
    assert [c.number[-4:] for c in contracts] == ["0001", "0002", "0003", "0004"]
