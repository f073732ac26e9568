"""The after-sales ledger's import (售后服务台账): each row becomes a 售后维护 service record
through the records service (its number, 首问责任人, history and audit), with its status moved
along the record's course, the 1–10 score as 满意度, and the row's follow-up as a
ServiceFollowUp. The customer is found by name in the customer master among the cards the user
may see; an unknown customer fails the row with the reason, it is never created here. A
duplicate is a record of the same customer with the same service date and content; imports
never change a record."""

from datetime import datetime, time, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select

from app import policy
from app.extensions import db
from app.models import Customer, Department, DeptCode, Role, User
from app.models.service.records import (
    AfterSalesKind,
    ServiceEvent,
    ServiceEventKind,
    ServiceRecord,
    ServiceStatus,
    ServiceType,
)
from app.policy import Action
from app.policy.service import serves
from app.services.customers.operations import name_key
from app.services.imports.base import Outcome, Plan
from app.services.imports.errors import BadFile
from app.services.imports.fields import fold
from app.services.imports.rowwise import RowByRowImporter, RowState
from app.services.service.follow_ups import operations as follow_ups
from app.services.service.imports.record_fields import RecordReader, columns
from app.services.service.records import workflow
from app.services.service.records.data import RecordData
from app.services.service.records.operations import create_record
from app.services.service.records.rules import RecordRefused
from app.timeutil import local_today

COURSE = {ServiceStatus.PROCESSING: (ServiceStatus.PROCESSING,),
          ServiceStatus.DONE: (ServiceStatus.PROCESSING, ServiceStatus.DONE)}


class RecordState(RowState):
    """A file's check or run: the reader, and the customers and 客服 people looked up."""

    def __init__(self, actor, rule, labels):
        super().__init__(actor, rule)
        self.reader = RecordReader(labels)
        self.customers: dict[str, Customer | None] = {}
        self.people: dict[str, User | None] = {}

    def load(self, names: set[str], people: set[str]) -> None:
        """Looks up the customer names and people not asked for before."""
        keys = {name_key(n) for n in names} - set(self.customers)
        if keys:
            self.customers.update(dict.fromkeys(keys))
            query = policy.scope(select(Customer), self.actor, Customer, Action.VIEW_CARD)
            for customer in db.session.scalars(query.where(Customer.name_key.in_(keys))):
                self.customers[customer.name_key] = customer
        wanted = {p for p in people if p not in self.people}
        if wanted:
            self.people.update(dict.fromkeys(wanted))
            query = (select(User).join(Department, Department.id == User.department_id)
                     .where(Department.code == DeptCode.SERVICE, User.active.is_(True),
                            User.role.in_((Role.STAFF, Role.MANAGER)),
                            or_(User.full_name.in_(wanted), User.employee_no.in_(wanted))))
            for user in db.session.scalars(query):
                self.people.update({user.full_name: user, user.employee_no: user})


def _person(text: str | None) -> str | None:
    """The name or number in 员工信息 「姓名和职务」: its first word."""
    return text.split()[0] if text and text.split() else None


def _key(customer_id: int, day, content: str) -> tuple:
    return customer_id, day, fold(content)


class ServiceRecordImporter(RowByRowImporter):
    ledger = "service_records"
    label = _l("售后服务台账")
    duplicates = _l("同一客户、服务日期和服务内容都相同")
    note = _l("客户须已在客户档案中登记（按客户全称匹配）；每行登记一条售后维护服务记录，"
              "有跟进时间的同时登记一条跟进记录。已有的服务记录不会被修改。")
    model = ServiceRecord

    @property
    def columns(self):
        return columns()

    def begin(self, actor, rule):
        """Only 客服部 staff and managers import service records."""
        if not (serves(actor) and policy.can(actor, Action.CREATE, ServiceRecord)):
            raise BadFile(_("只有客服部人员可以导入售后服务台账。"))
        return RecordState(actor, rule, self.labels)

    def plan(self, rows, state):
        parsed = [(row, *state.reader.read(cells)) for row, cells in rows]
        state.load({v["customer"] for _r, v, _p in parsed if v["customer"]},
                   {_person(v[k]) for _r, v, _p in parsed for k in ("staff", "follow_user")
                    if _person(v[k])})
        for _row, values, found in parsed:
            self._look_up(values, found, state)
        existing = _existing([v for _r, v, p in parsed if not p])
        return [self._plan_row(row, values, found, state, existing)
                for row, values, found in parsed]

    def _look_up(self, values: dict, found: list[str], state: RecordState) -> None:
        """The row's customer and people; each one missing is a problem with its reason."""
        values["customer_record"] = None
        if values["customer"]:
            values["customer_record"] = state.customers.get(name_key(values["customer"]))
            if values["customer_record"] is None:
                found.append(_("客户档案中找不到客户「%(name)s」：请先在客户档案中登记该客户"
                               "（或核对名称），再导入这一行。", name=values["customer"][:50]))
        for key in ("staff", "follow_user"):
            name = _person(values[key])
            values[f"{key}_user"] = state.people.get(name) if name else state.actor
            if values[f"{key}_user"] is None:
                found.append(_("「%(column)s」中的「%(name)s」不是客服部在职人员。",
                               column=self.labels[key], name=name[:20]))
        today = local_today()
        for key in ("service_date", "follow_date"):
            if values[key] and values[key] > today:
                found.append(_("「%(column)s」不能晚于今天。", column=self.labels[key]))

    def _plan_row(self, row, values, found, state, existing) -> Plan:
        label = " ".join(filter(None, (values["customer"], values["content"])))[:100] or "—"
        if found:
            return Plan(row, label, Outcome.ERROR, "；".join(found))
        key = _key(values["customer_record"].id, values["service_date"], values["content"])
        duplicate = existing.get(key) or state.earlier([key])
        if duplicate is not None:
            return self.duplicate(row, label, values, duplicate,
                                  _("已有相同的服务记录（客户、服务日期和服务内容相同）。"), state)
        state.note([key], row)
        return Plan(row, label, Outcome.CREATE, "", values)

    def changes(self, record, values, state):
        return Outcome.SKIP, _("导入不修改已有的服务记录，请在服务记录页面修改。"), None

    def create(self, plan, state):
        try:
            record = _write(plan.values, state.actor)
        except (RecordRefused, follow_ups.Refused) as error:
            return None, error.message
        return record.id, None

    def save(self, record, new_values, state):
        return None


def _existing(rows: list[dict]) -> dict[tuple, ServiceRecord]:
    """{duplicate key: record} among the records of the rows' customers on their dates."""
    customers = {v["customer_record"].id for v in rows}
    days = {v["service_date"] for v in rows}
    if not customers:
        return {}
    query = select(ServiceRecord).where(
        ServiceRecord.customer_id.in_(customers),
        ServiceRecord.service_at >= datetime.combine(min(days), time.min),
        ServiceRecord.service_at < datetime.combine(max(days) + timedelta(days=1), time.min))
    return {_key(r.customer_id, r.service_at.date(), r.content): r
            for r in db.session.scalars(query) if r.service_at.date() in days}


def _data(values: dict) -> RecordData:
    remarks = values["remarks"]
    if values["email"]:  # the record has no e-mail column: kept with the remarks
        remarks = "；".join(filter(None, (remarks, _("电子邮箱：%(email)s",
                                                  email=values["email"]))))
    return RecordData(
        customer_id=values["customer_record"].id, service_type=ServiceType.AFTERSALES,
        after_sales_kind=values["kind"] or AfterSalesKind.OTHER, content=values["content"],
        service_at=datetime.combine(values["service_date"], time.min),
        contact_phone=values["phone"], place=values["place"],
        delivery_address=values["address"], result=values["result"],
        feedback=values["feedback"], remarks=remarks)


def _write(values: dict, actor: User) -> ServiceRecord:
    """The record through the records service, then its 负责人, course, score and follow-up."""
    record = create_record(_data(values), actor)
    handler = values["staff_user"]
    if record.handler_id != handler.id:
        db.session.add(ServiceEvent(record_id=record.id, kind=ServiceEventKind.ASSIGNED,
                                    user_id=actor.id, from_user_id=record.handler_id,
                                    to_user_id=handler.id, reason=_("Excel 导入")))
        record.handler_id = handler.id
        db.session.flush()  # the course below reads the record again under a lock
    status = values["progress"] or (ServiceStatus.DONE if values["result"]
                                    else ServiceStatus.PENDING)
    for step in COURSE.get(status, ()):
        workflow.change_status(record, step, actor)
    record.satisfaction = values["satisfaction"]
    if values["follow_date"]:
        _follow_up(record, values, actor)
    return record


def _follow_up(record: ServiceRecord, values: dict, actor: User) -> None:
    """The row's 跟进记录 as a follow-up by its 跟进人员 (entered by the importer: 补录)."""
    result = values["follow_result"] or follow_ups.FollowUpResult.UNRESOLVED
    follow_up = follow_ups.add_follow_up(record, follow_ups.FollowUpData(
        communicated_at=datetime.combine(values["follow_date"], time.min),
        points=_("导入的跟进记录：%(result)s", result=result.label), result=result,
        remarks=values["remarks"]), actor)
    follow_up.user_id = values["follow_user_user"].id
