"""The rules a service record's values must meet, checked by the service whatever the form
checked (scripts post the documented fields): each refusal names its field."""

from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select

from app.extensions import db
from app.models import Contract, Customer, User
from app.models.service.records import ServiceRecord, ServiceType
from app.policy.service import serves
from app.services.core.errors import Refused
from app.services.core.money import MAX_AMOUNT
from app.services.service.records.data import PartData, RecordData

MAX_QUANTITY = Decimal("999999999.999")


class RecordRefused(Refused):
    """A service record's rule refuses the values or the action."""


def customer_of(data: RecordData, actor: User) -> Customer:
    """The record's customer: any whose basic card the user may see (every department
    registers for any customer, 首问负责制), within their clearance."""
    customer = db.session.get(Customer, data.customer_id) if data.customer_id else None
    if customer is None or customer.confidentiality > actor.clearance:
        raise RecordRefused(_("请选择客户。"), "customer_id")
    return customer


def check_kind(data: RecordData) -> None:
    """售后维护 needs its kind (维修/保养/安装/退换货/其他); the other types take none."""
    if data.service_type == ServiceType.AFTERSALES and data.after_sales_kind is None:
        raise RecordRefused(_("售后维护须选择售后服务类别（维修、保养、安装、退换货或其他）。"),
                            "after_sales_kind")
    if data.service_type != ServiceType.AFTERSALES and data.after_sales_kind is not None:
        raise RecordRefused(_("只有售后维护才填写售后服务类别。"), "after_sales_kind")


def check_parts(parts: list[PartData]) -> None:
    """Quantities above zero, prices not negative, both within the storable range."""
    for part in parts:
        if not part.name:
            raise RecordRefused(_("请填写配件名称。"), "parts")
        if part.quantity <= 0 or part.quantity > MAX_QUANTITY:
            raise RecordRefused(_("配件数量须大于零。"), "parts")
        if part.unit_price < 0 or part.unit_price > MAX_AMOUNT:
            raise RecordRefused(_("配件单价不能为负数。"), "parts")


def contract_of(data: RecordData, customer: Customer, actor: User) -> int | None:
    """The linked contract's id: one of the same customer, within the user's clearance."""
    if not data.contract_number:
        return None
    contract = db.session.scalar(select(Contract).where(
        Contract.number == data.contract_number.strip().upper()))
    if (contract is None or contract.customer_id != customer.id
            or contract.confidentiality > actor.clearance):
        raise RecordRefused(_("没有找到该客户的这份合同。"), "contract_number")
    return contract.id


def rework_of(data: RecordData, customer: Customer, record_id: int | None) -> int | None:
    """The earlier record this one reworks: one of the same customer, registered before it."""
    if not data.rework_of:
        return None
    earlier = db.session.scalar(select(ServiceRecord).where(
        ServiceRecord.number == data.rework_of.strip().upper()))
    if (earlier is None or earlier.customer_id != customer.id
            or (record_id is not None and earlier.id >= record_id)):
        raise RecordRefused(_("返工的原记录须是同一客户较早的服务记录。"), "rework_of")
    return earlier.id


def collaborators_of(ids: list[int]) -> list[User]:
    """The collaborators: 客服部 staff and managers only."""
    if not ids:
        return []
    users = list(db.session.scalars(select(User).where(User.id.in_(set(ids)))))
    if len(users) != len(set(ids)) or not all(serves(u) and u.active for u in users):
        raise RecordRefused(_("协办人须是客服部的在职人员。"), "collaborator_ids")
    return users


def handler_of(user_id: int | None) -> User:
    """A 负责人: an active 客服部 staff member or manager."""
    user = db.session.get(User, user_id) if user_id else None
    if user is None or not user.active or not serves(user):
        raise RecordRefused(_("负责人须是客服部的在职人员。"), "handler_id")
    return user
