"""How the audit trail names the sales department's actions, records and fields (registered
with services.core.audit_labels by plug_in)."""

from flask_babel import lazy_gettext as _l

from app.models import (
    ContractKind,
    EntryKind,
    Interest,
    Level,
    ReferralOutcome,
    TemplateSource,
    VisitStatus,
)
from app.models.sales.ledger import PaymentMethod
from app.services.core import audit_labels
from app.services.sales.contracts.history import FIELD_LABELS as CONTRACT_FIELDS

ENTRY_FIELDS = {
    "entry_date": _l("日期"), "kind": _l("类别"), "customer_id": _l("客户"),
    "contract_id": _l("合同"), "contact_name": _l("联系人"), "product": _l("产品"),
    "spec": _l("规格"), "quantity": _l("数量"), "unit_price": _l("单价"), "amount": _l("金额"),
    "cost": _l("成本"), "invoice_no": _l("发票号"), "remarks": _l("备注"),
    "owner_id": _l("负责人"), "confidentiality": _l("密级"), "reversal": _l("红冲记录"),
}
PAYMENT_FIELDS = {"term": _l("付款条款"), "paid_on": _l("回款日期"), "amount": _l("回款金额"),
                  "method": _l("付款方式"), "remarks": _l("备注"), "reason": _l("原因"),
                  "reversal": _l("红冲记录")}
VISIT_FIELDS = {
    "customer_id": _l("客户"), "plan_id": _l("拜访计划"), "planned_date": _l("计划日期"),
    "customer_type": _l("客户类型"), "purpose": _l("拜访目的"), "expected_time": _l("预计时间"),
    "contact_name": _l("联系人"), "remarks": _l("备注"), "status": _l("状态"),
    "visited_at": _l("拜访时间"), "contact_met": _l("会见人"), "content": _l("洽谈内容"),
    "interest": _l("客户兴趣"), "proposal_feedback": _l("方案反馈"), "objections": _l("异议"),
    "next_meeting_date": _l("下次会面日期"), "open_issues": _l("待解决问题"),
    "next_topic": _l("下次议题"), "follow_up_actions": _l("后续行动"),
}
REFERRAL_FIELDS = {"referrer": _l("介绍人"), "referred": _l("被介绍客户"),
                   "referred_on": _l("介绍日期"), "outcome": _l("结果"),
                   "reward_note": _l("奖励说明")}
HANDOVER_FIELDS = {"customers": _l("客户数"), "contracts": _l("合同数"), "visits": _l("拜访数"),
                   "customer_numbers": _l("客户编号")}


def _listed(values) -> str:
    return "、".join(str(v) for v in values) if isinstance(values, list) else str(values)


def register() -> None:
    audit_labels.register_object("Contract", _l("销售合同"), {
        **CONTRACT_FIELDS, "lines": _l("产品明细"), "terms": _l("付款条款")}, {
        "kind": ContractKind, "template_source": TemplateSource, "confidentiality": Level})
    audit_labels.register_object("ContractChange", _l("合同变更"))
    audit_labels.register_object("SalesEntry", _l("销售台账"), ENTRY_FIELDS,
                                 {"kind": EntryKind, "confidentiality": Level})
    audit_labels.register_object("Payment", _l("回款"), PAYMENT_FIELDS, {"method": PaymentMethod})
    audit_labels.register_object("VisitPlan", _l("拜访计划"), VISIT_FIELDS,
                                 {"status": VisitStatus})
    audit_labels.register_object("VisitReport", _l("拜访报告"), VISIT_FIELDS,
                                 {"interest": Interest})
    audit_labels.register_object("Visit", _l("拜访"))
    audit_labels.register_object("Referral", _l("转介绍"), REFERRAL_FIELDS,
                                 {"outcome": ReferralOutcome})
    audit_labels.register_object("OwnershipRequest", _l("客户归属变更"))
    audit_labels.register_object("Receivables", _l("应收账款"))
    audit_labels.register_object("User", _l("用户账户"), HANDOVER_FIELDS,
                                 {"customer_numbers": _listed})
    _register_actions()


def _register_actions() -> None:
    audit_labels.register_actions({
        "contract_created": _l("新建合同"), "contract_updated": _l("修改合同草稿"),
        "contract_changed": _l("合同变更生效"), "sales_entry_created": _l("登记销售"),
        "sales_entry_updated": _l("修改销售记录"), "sales_entry_deleted": _l("删除销售记录"),
        "payment_recorded": _l("登记回款"), "reversal_requested": _l("申请红冲"),
        "payment_reversed": _l("回款红冲"), "sales_entry_reversed": _l("销售记录红冲"),
        "customers_imported": _l("导入客户"),
        "owner_reassigned": _l("离职交接"), "customer_reassigned": _l("客户改由他人负责"),
        "referral_created": _l("登记转介绍"), "referral_updated": _l("修改转介绍"),
        "visit_plan_created": _l("新建拜访计划"), "visit_plan_updated": _l("修改拜访计划"),
        "visit_plan_cancelled": _l("取消拜访计划"), "visit_plan_done": _l("完成拜访"),
        "visit_report_created": _l("填写拜访报告"), "visit_report_updated": _l("修改拜访报告"),
    })
