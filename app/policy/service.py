"""Customer service records (客服部).

首问负责制 (002 L30–44): every staff member of every department may register a service record
(it routes to 客服部) and keeps read access to what they registered. 客服 staff see the records
they handle, collaborate on or registered; the 客服 manager all of 客服部's and assigns the
负责人; the GM reads all; the customer's owner in sales reads their customers' service history.
Administrators and auditors see nothing. The predicates below are for the other service
ledgers' rules (follow-ups, return visits, SLA...)."""

from sqlalchemy import ColumnElement, Select, exists, false, or_, select, true
from sqlalchemy.orm import aliased

from app.extensions import db
from app.models import Customer, DeptCode, Role
from app.models.service.follow_ups import FollowUpCadence, ServiceFollowUp
from app.models.service.records import ServiceRecord, service_collaborators
from app.models.service.roster import DutyShift, FaultReport, FaultStatus
from app.models.service.sla import SlaPolicy
from app.models.service.visits import ReturnVisit
from app.policy.actions import Action

SERVICE_ROLES = (Role.STAFF, Role.MANAGER)
# Who may take a customer's call and register it (首问责任人): any department's people.
REGISTERING_ROLES = (Role.STAFF, Role.MANAGER, Role.ARCHIVIST)
READ_ACTIONS = (Action.VIEW, Action.EXPORT, Action.PRINT)


def in_service(user) -> bool:
    """客服 staff and managers, and the GM (who reads everything)."""
    return user.role == Role.GM or serves(user)


def serves(user) -> bool:
    """客服部 staff and managers: they handle service records and may be made 负责人."""
    return user.role in SERVICE_ROLES and user.in_department(DeptCode.SERVICE)


def manages_service(user) -> bool:
    """The 客服 manager: sees all of 客服部's records, assigns and transfers them."""
    return user.role == Role.MANAGER and user.in_department(DeptCode.SERVICE)


def registers(user) -> bool:
    """May register a service record (首问负责制): staff of any department, not the GM,
    administrators or auditors."""
    return user.role in REGISTERING_ROLES


def record_clause(user) -> ColumnElement[bool]:
    """The SQL condition for the service records `user` may read (no clearance: policy.scope
    adds it). Other ledgers hanging off a record reuse it through an EXISTS."""
    if user.role == Role.GM:
        return true()
    if user.role not in REGISTERING_ROLES:
        return false()
    mine = [ServiceRecord.first_receiver_id == user.id, ServiceRecord.handler_id == user.id,
            exists().where(service_collaborators.c.record_id == ServiceRecord.id,
                           service_collaborators.c.user_id == user.id),
            # The customer's owner reads their customers' service history.
            exists().where(Customer.id == ServiceRecord.customer_id,
                           Customer.owner_id == user.id)]
    if manages_service(user):
        mine.append(ServiceRecord.department_id == user.department_id)
    return or_(*mine)


def sees_record(user, record: ServiceRecord) -> bool:
    """Whether `user` may read `record` (one indexed query when the columns do not decide)."""
    if user.role == Role.GM:
        return True
    if user.role not in REGISTERING_ROLES:
        return False
    if user.id in (record.first_receiver_id, record.handler_id) or (
            manages_service(user) and record.department_id == user.department_id):
        return True
    return bool(db.session.scalar(select(
        exists().where(ServiceRecord.id == record.id, record_clause(user)))))


def works_on(user, record: ServiceRecord) -> bool:
    """客服 people who may change the record: its 负责人, collaborators, the 客服 registrar, and
    the 客服 manager of its department."""
    if not serves(user):
        return False
    if manages_service(user) and record.department_id == user.department_id:
        return True
    if user.id in (record.first_receiver_id, record.handler_id):
        return True
    return bool(db.session.scalar(select(exists().where(
        service_collaborators.c.record_id == record.id,
        service_collaborators.c.user_id == user.id))))


class ServiceRecordRules:
    """VIEW/EXPORT/PRINT: whoever sees the record; EDIT (content, status, confirmation,
    transfer): 客服 people working on it; MANAGE (assigning the 负责人): the 客服 manager;
    REVEAL_PII (联系电话): 客服 people working on it and the GM."""

    def area(self, user, action) -> bool:
        if action in (Action.VIEW, Action.EXPORT):
            return user.role == Role.GM or registers(user)
        if action == Action.CREATE:
            return registers(user)
        return action == Action.MANAGE and manages_service(user)

    def record(self, user, action, record) -> bool:
        if action in READ_ACTIONS:
            return sees_record(user, record)
        if action in (Action.EDIT, Action.SUBMIT):
            return works_on(user, record)
        if action == Action.MANAGE:
            return manages_service(user) and record.department_id == user.department_id
        if action == Action.REVEAL_PII:
            return user.role == Role.GM or works_on(user, record)
        return False

    def scope(self, query: Select, user, action) -> Select:
        return query.where(record_clause(user))


class ServiceStatistics:
    """The service statistics and the weekly report (an area with no table of its own):
    policy.can(user, VIEW/EXPORT/PRINT, ServiceStatistics), policy.scope(query over
    ServiceRecord, user, ServiceStatistics)."""


class SupervisionReport:
    """The monthly 服务监督报告 to the GM (an area with no table of its own)."""


class VisitStatistics:
    """The return visits the statistics and reports count: policy.scope(query over
    ReturnVisit, user, VisitStatistics); who may read them is ServiceStatistics' rule."""


def reads_statistics(user) -> bool:
    """客服 staff and managers, the GM, and the sales manager (aggregates only)."""
    return in_service(user) or (user.role == Role.MANAGER and user.in_department(DeptCode.SALES))


def reads_service_detail(user) -> bool:
    """Whether a statistics page or report may list records (customer names, feedback): 客服
    people and the GM, within their records scope; never the sales manager."""
    return in_service(user)


class StatisticsRules:
    """Service statistics and reports, aggregate SQL over the records each reader may count.

    - 客服 staff: the statistics and weekly report of the records they may read (those they
      handle, collaborate on or registered: the records list's own scope), so a staff member
      sees their own figures and writes their Friday report from them; not the monthly report.
    - 客服 manager: 客服部's records, with the lines behind the figures; the monthly report.
    - GM: every record; the monthly report is addressed to them.
    - The sales manager: the exception of the seeds' 服务、监督两条线 (002 L28, spec a10): 业务部
      assesses 客服部 each month and reports to the GM, so the sales manager reads the statistics
      and both reports over all of 客服部's records up to their clearance, as AGGREGATES ONLY:
      no customer names, no phones, no feedback text, no record lines (reads_service_detail).
    - Everyone else (sales staff, risk, archivist, administrator, auditor): nothing.
    Return visits are counted the same way (VisitStatistics): 客服 and the GM by the visits
    list's own scope, the sales manager all of them up to their clearance.
    A record above the reader's clearance is not counted (it does not exist for them)."""

    def __init__(self, monthly: bool = False, model=ServiceRecord, clause=record_clause):
        self.monthly, self.model, self.clause = monthly, model, clause

    def area(self, user, action) -> bool:
        if action not in READ_ACTIONS or not reads_statistics(user):
            return False
        return not self.monthly or user.role in (Role.MANAGER, Role.GM)

    def record(self, user, action, obj) -> bool:
        return False

    def scope(self, query: Select, user, action) -> Select:
        if not self.area(user, action):
            return query.where(false())
        if not in_service(user):
            clause = true()
        elif manages_service(user):
            # The department first: it holds nearly every row, and SQLite then skips the
            # clause's EXISTS probes for them (OR is evaluated left to right).
            clause = or_(self.model.department_id == user.department_id, self.clause(user))
        else:
            clause = self.clause(user)
        return query.where(clause, self.model.confidentiality <= user.clearance)


def statistics_dimensions(user) -> tuple | None:
    """StatisticsRules.scope said on the statistics summary's dimensions, for the readers whose
    scope has no per-person clause: (department id, or None for every department; clearance).
    The 客服 manager: their department (what else their scope holds is counted live beside
    it); the GM and the sales manager: everything up to their clearance; None for 客服 staff
    (their own records) and whoever reads no statistics. (Added by the statistics summary.)"""
    if not reads_statistics(user):
        return None
    if manages_service(user):
        return user.department_id, user.clearance
    if user.role == Role.GM or not in_service(user):
        return None, user.clearance
    return None


class DutyCoverage:
    """The holiday coverage of the duty roster (an area with no table of its own)."""


class DutyRules:
    """值班情况登记表 (001 L48): the 客服 manager plans the department's roster (MANAGE: day and
    person, removal) and may correct any entry; 客服 staff see their own duties and fill them in
    (EDIT: 交接时间、工作内容、工作时长、备注); the GM reads. The holiday coverage (DutyCoverage)
    is the manager's and the GM's: a staff member's own duties say nothing about gaps."""

    def __init__(self, coverage: bool = False):
        self.coverage = coverage

    def area(self, user, action) -> bool:
        if self.coverage:
            return action in READ_ACTIONS and (user.role == Role.GM or manages_service(user))
        if action in READ_ACTIONS:
            return in_service(user)
        return action in (Action.CREATE, Action.MANAGE) and manages_service(user)

    def record(self, user, action, shift) -> bool:
        if user.role == Role.GM:
            return action in READ_ACTIONS
        if manages_service(user) and shift.department_id == user.department_id:
            return action in (*READ_ACTIONS, Action.EDIT, Action.MANAGE)
        if serves(user) and shift.user_id == user.id:
            return action in (*READ_ACTIONS, Action.EDIT)
        return False

    def scope(self, query: Select, user, action) -> Select:
        if user.role == Role.GM:
            return query
        if manages_service(user):
            return query.where(DutyShift.department_id == user.department_id)
        if serves(user):
            return query.where(DutyShift.user_id == user.id)
        return query.where(false())


def in_sales(user) -> bool:
    """Sales staff and managers (the customer's owner, 业务部)."""
    return user.role in SERVICE_ROLES and user.in_department(DeptCode.SALES)


def fault_clause(user) -> ColumnElement[bool]:
    """The fault reports `user` may read (no clearance: policy.scope adds it): the GM all;
    客服 people their department's; in sales, the customer's owner, and the manager of the
    department the customer belongs to (故障分析报告 is sent to 业务部, 002 L64)."""
    if user.role == Role.GM:
        return true()
    if serves(user):
        return FaultReport.department_id == user.department_id
    if not in_sales(user):
        return false()
    # Its own alias: a list that joins the customer for its columns must not absorb it.
    card = aliased(Customer)
    customer = card.owner_id == user.id
    if user.role == Role.MANAGER:
        customer = or_(customer, card.department_id == user.department_id)
    return exists().where(card.id == FaultReport.customer_id, customer)


class FaultRules:
    """故障分析报告 (002 篇二 七): 客服 staff and managers report a major fault and complete the
    report (EDIT: its reporter or the 客服 manager, until it is completed); the customer's owner
    in sales and their manager read it, the GM reads all. Its confidentiality is the customer's,
    so a report above the reader's clearance does not exist for them."""

    def area(self, user, action) -> bool:
        if action in (Action.VIEW, Action.EXPORT):
            return in_service(user) or in_sales(user)
        return action == Action.CREATE and serves(user)

    def record(self, user, action, report) -> bool:
        if action == Action.EDIT:
            return (report.status == FaultStatus.OPEN and serves(user)
                    and report.department_id == user.department_id
                    and (manages_service(user) or report.reported_by_id == user.id))
        if action not in READ_ACTIONS:
            return False
        if user.role == Role.GM or (serves(user) and report.department_id == user.department_id):
            return True
        return in_sales(user) and bool(db.session.scalar(select(exists().where(
            FaultReport.id == report.id, fault_clause(user)))))

    def scope(self, query: Select, user, action) -> Select:
        return query.where(fault_clause(user))


def follow_up_clause(user) -> ColumnElement[bool]:
    """The records whose follow-ups `user` owes (the overdue list, on top of record_clause):
    客服 staff those they handle or collaborate on, the 客服 manager their department's, the
    GM all."""
    if user.role == Role.GM:
        return true()
    if not serves(user):
        return false()
    if manages_service(user):
        return ServiceRecord.department_id == user.department_id
    return or_(ServiceRecord.handler_id == user.id,
               exists().where(service_collaborators.c.record_id == ServiceRecord.id,
                              service_collaborators.c.user_id == user.id))


def adds_follow_ups(user, record: ServiceRecord) -> bool:
    """Who follows a record up: its 负责人 and collaborators, and the 客服 manager of its
    department (not its registrar as such: 首问 hands the record over)."""
    if not serves(user):
        return False
    if manages_service(user) and record.department_id == user.department_id:
        return True
    if user.id == record.handler_id:
        return True
    return bool(db.session.scalar(select(exists().where(
        service_collaborators.c.record_id == record.id,
        service_collaborators.c.user_id == user.id))))


class FollowUpRules:
    """A follow-up follows its record: read by whoever reads the record (and is cleared for
    it); added (CREATE) by those adds_follow_ups names; never edited (the next one adds)."""

    def area(self, user, action) -> bool:
        if action in (Action.VIEW, Action.EXPORT):
            return in_service(user)
        return action == Action.CREATE and serves(user)

    def record(self, user, action, follow_up) -> bool:
        from app.policy import can

        parent = db.session.get(ServiceRecord, follow_up.record_id)
        if parent is None or not can(user, Action.VIEW, parent):
            return False
        if action in READ_ACTIONS:
            return True
        return action == Action.CREATE and adds_follow_ups(user, parent)

    def scope(self, query: Select, user, action) -> Select:
        return query.where(exists().where(
            ServiceRecord.id == ServiceFollowUp.record_id, record_clause(user),
            ServiceRecord.confidentiality <= user.clearance))


class CadenceRules:
    """The follow-up cadence table is 客服部's working rule (004 L38): read by 客服 people and
    the GM; changed (MANAGE) by the 客服 manager, who answers for follow-up compliance per
    grade (002 L56), and by the administrator, as issue 12 asks (the table holds intervals
    per grade, no business data)."""

    def area(self, user, action) -> bool:
        admin = user.role == Role.ADMIN
        if action == Action.VIEW:
            return in_service(user) or admin
        return action == Action.MANAGE and (manages_service(user) or admin)

    def record(self, user, action, cadence) -> bool:
        return self.area(user, action)

    def scope(self, query: Select, user, action) -> Select:
        return query if self.area(user, action) else query.where(false())


class SlaPolicyRules:
    """SLA policies and on-site profiles (a8): 客服 staff, the 客服 manager and the GM read
    them (VIEW/EXPORT); the 客服 manager edits them, attaches profiles to contracts and
    restarts a recompute (EDIT/MANAGE). Not administrators: the targets are 客服部's
    commitments to customers and attaching a profile reads contracts (business data), which
    administrators never see (separation of duties); they keep the working calendar."""

    def area(self, user, action) -> bool:
        if action in (Action.VIEW, Action.EXPORT):
            return in_service(user)
        return action in (Action.EDIT, Action.MANAGE) and manages_service(user)

    def record(self, user, action, policy) -> bool:
        return self.area(user, action)

    def scope(self, query: Select, user, action) -> Select:
        return query if self.area(user, action) else query.where(false())


def visit_clause(user) -> ColumnElement[bool]:
    """The return visits `user` may read (no clearance: policy.scope adds it): the GM all, the
    客服 manager their department's, 客服 staff those assigned to them, in sales the customer's
    owner their customers'."""
    if user.role == Role.GM:
        return true()
    if manages_service(user):
        return ReturnVisit.department_id == user.department_id
    if serves(user):
        return ReturnVisit.assignee_id == user.id
    if in_sales(user):
        return exists().where(Customer.id == ReturnVisit.customer_id,
                              Customer.owner_id == user.id)
    return false()


def sees_visit(user, visit: ReturnVisit) -> bool:
    """Whether `user` may read `visit` (the customer is read only for a salesperson)."""
    if user.role == Role.GM:
        return True
    if manages_service(user):
        return visit.department_id == user.department_id
    if serves(user):
        return visit.assignee_id == user.id
    if in_sales(user):
        customer = db.session.get(Customer, visit.customer_id)
        return customer is not None and customer.owner_id == user.id
    return False


class ReturnVisitRules:
    """回访 (a6): generated, never created by hand (no CREATE). Read (VIEW/EXPORT/PRINT) per
    visit_clause; recorded and rescheduled (EDIT) by its assignee and the 客服 manager of its
    department; assigned (MANAGE) by that manager. The GM and sales read only."""

    def area(self, user, action) -> bool:
        if action in (Action.VIEW, Action.EXPORT):
            return in_service(user) or in_sales(user)
        return action == Action.MANAGE and manages_service(user)

    def record(self, user, action, visit) -> bool:
        if action in READ_ACTIONS:
            return sees_visit(user, visit)
        in_department = manages_service(user) and visit.department_id == user.department_id
        if action == Action.EDIT:
            return in_department or (serves(user) and visit.assignee_id == user.id)
        return action == Action.MANAGE and in_department

    def scope(self, query: Select, user, action) -> Select:
        return query.where(visit_clause(user))


def rules() -> dict:
    """The customer service department's models and their rules, for policy.register."""
    return {ServiceRecord: ServiceRecordRules(), ServiceStatistics: StatisticsRules(),
            SupervisionReport: StatisticsRules(monthly=True),
            DutyShift: DutyRules(), DutyCoverage: DutyRules(coverage=True),
            FaultReport: FaultRules(),
            SlaPolicy: SlaPolicyRules(),
            ServiceFollowUp: FollowUpRules(), FollowUpCadence: CadenceRules(),
            ReturnVisit: ReturnVisitRules(),
            VisitStatistics: StatisticsRules(model=ReturnVisit, clause=visit_clause)}
