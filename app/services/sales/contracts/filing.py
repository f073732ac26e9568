"""The contract in the archive: 销售合同评审表 (表5-14) as signed, with its review signatures and
the changes applied, filed under 门类 HT; its retention counts from the contract's completion
(the end date its terms give)."""

from datetime import date

from sqlalchemy import Select, select

from app.extensions import db
from app.models import (
    Contract,
    ContractChange,
    Department,
    RequestStatus,
    TemplateSource,
    TermKind,
)
from app.services.core.money import rmb_upper
from app.services.core.pdf import Archival, render_archival
from app.services.core.record_kinds import latest_signed
from app.services.sales.contracts.history import load_page
from app.services.sales.contracts.pdf import sign_rows
from app.services.sales.contracts.review import contract_validity
from app.timeutil import local_today


class ContractFiling:
    """销售合同 with its 评审表: what the latest approval (review or change) signed."""

    category = "HT"
    model = Contract

    def business_number(self, contract: Contract) -> str:
        return contract.number

    def customer_id(self, contract: Contract) -> int:
        return contract.customer_id

    def trigger_date(self, contract: Contract, trigger: str) -> date | None:
        """A contract is complete at the end date its terms give (unknown without one)."""
        return contract.end_date if trigger == "completion" else None

    def eligible(self, department_id: int, start, end) -> Select:
        return latest_signed("Contract", Contract, department_id, start, end)

    def pdf(self, contract: Contract, archival: Archival) -> bytes:
        """销售合同评审表 of the signed contract, as the print shows it, without a viewer."""
        load_page(contract)
        validity = contract_validity(contract)
        request = validity.version.approval_request if validity.version else None
        applied = db.session.scalars(select(ContractChange).where(
            ContractChange.contract_id == contract.id,
            ContractChange.status == RequestStatus.APPROVED).order_by(ContractChange.id)).all()
        return render_archival(
            "pdf/sales/contract_review.html", archival, contract=contract, validity=validity,
            department=db.session.get(Department, contract.department_id),
            amount_words=rmb_upper(contract.total_amount), signs=sign_rows(request),
            sources=list(TemplateSource), term_kinds=list(TermKind), applied=applied,
            level=contract.confidentiality, print_date=local_today())
