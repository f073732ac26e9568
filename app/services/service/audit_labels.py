"""How the audit trail names the customer service department's actions, records and fields
(registered with services.core.audit_labels by plug_in)."""

from flask_babel import lazy_gettext as _l

from app.models import Level
from app.models.service.records import (
    AfterSalesKind,
    ConfirmationMethod,
    Priority,
    ServiceStatus,
    ServiceType,
)
from app.services.core import audit_labels

RECORD_FIELDS = {
    "service_type": _l("服务类型"), "after_sales_kind": _l("售后服务类别"),
    "priority": _l("优先级"), "tags": _l("客户需求标签"), "service_at": _l("服务时间"),
    "communicated_at": _l("沟通时间"), "content": _l("服务内容"),
    "request_text": _l("客户需求描述"), "customer_contact": _l("对接人"),
    "contact_phone": _l("联系电话"), "expected_at": _l("客户期望解决时间"),
    "place": _l("服务地点"), "delivery_address": _l("收货地址"), "major": _l("重大"),
    "contract_id": _l("关联合同"), "rework_of_id": _l("返工原记录"), "solution": _l("解决方案"),
    "result": _l("服务结果"), "feedback": _l("客户反馈"), "remarks": _l("备注"),
    "collaborator_ids": _l("协办人"), "parts": _l("配件"), "status": _l("处理进度"),
    "handler_id": _l("负责人"), "reason": _l("原因"), "satisfaction": _l("满意度评分"),
    "confirmation_method": _l("确认方式"), "confirmed_by": _l("客户确认人"),
    "confirmed_at": _l("确认时间"), "confidentiality": _l("密级"),
    "arrived_at": _l("到达现场时间"),
}

DUTY_FIELDS = {
    "duty_date": _l("日期"), "user_id": _l("值班人员"), "handover_at": _l("交接时间"),
    "work_content": _l("工作内容"), "hours": _l("工作时长"), "remarks": _l("备注"),
}
FAULT_FIELDS = {
    "customer": _l("客户"), "occurred_at": _l("发生时间"), "place": _l("地点"),
    "symptoms": _l("现象"), "plan": _l("处理预案"), "impact": _l("影响"),
    "handling": _l("处理情况"), "cause": _l("原因分析"), "actions": _l("纠正预防措施"),
}


def register() -> None:
    audit_labels.register_object("ServiceRecord", _l("客户服务记录"), RECORD_FIELDS, {
        "service_type": ServiceType, "after_sales_kind": AfterSalesKind, "priority": Priority,
        "status": ServiceStatus, "confirmation_method": ConfirmationMethod,
        "confidentiality": Level})
    audit_labels.register_actions({
        "service_record_created": _l("登记客户服务记录"),
        "service_record_updated": _l("修改客户服务记录"),
        "service_record_revised": _l("客户服务记录新版本"),
        "service_record_status": _l("服务处理进度变更"),
        "service_record_reopened": _l("重新打开服务记录"),
        "service_record_confirmed": _l("登记客户确认"),
        "service_record_arrived": _l("登记到达现场"),
        "service_record_assigned": _l("指派服务负责人"),
        "service_record_transferred": _l("转交服务记录"),
        "service_record_abandoned": _l("客户放弃服务"),
        "service_follow_up_added": _l("登记服务跟进"),
        "service_follow_up_cadence_updated": _l("修改跟进频率"),
        "service_handed_over": _l("离职交接客服工作"),
        "duty_created": _l("安排值班"),
        "duty_updated": _l("修改值班记录"),
        "duty_deleted": _l("删除值班安排"),
        "fault_reported": _l("报告重大故障"),
        "fault_completed": _l("完成故障分析报告"),
    })
    audit_labels.register_object("DutyShift", _l("值班记录"), DUTY_FIELDS)
    audit_labels.register_object("FaultReport", _l("故障分析报告"), FAULT_FIELDS)
