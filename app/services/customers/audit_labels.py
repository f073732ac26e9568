"""How the audit trail names the customer master's actions, records and fields (registered
with services.core.audit_labels by plug_in)."""

from flask_babel import lazy_gettext as _l

from app.models import CustomerKind, CustomerStatus, CustomerType, Grade, Industry, Level, Source
from app.services.core import audit_labels
from app.services.customers.fields import FIELD_LABELS

CUSTOMER_FIELDS = {
    **FIELD_LABELS, "contact_name": _l("联系人"), "phone": _l("联系电话"), "email": _l("电子邮箱"),
    "address": _l("地址"), "industry": _l("所属行业"), "type": _l("客户类型"),
    "grade": _l("客户等级"), "source": _l("客户来源"), "first_contact_date": _l("首次接触日期"),
    "remarks": _l("备注"), "owner": _l("负责人"), "status": _l("状态"),
}
CONTACT_FIELDS = {
    "name": _l("姓名"), "title": _l("职务"), "phone": _l("电话"), "mobile": _l("手机"),
    "email": _l("电子邮箱"), "notes": _l("备注"), "is_primary": _l("主要联系人"),
}


def register() -> None:
    audit_labels.register_object("Customer", _l("客户"), CUSTOMER_FIELDS, {
        "kind": CustomerKind, "industry": Industry, "type": CustomerType, "grade": Grade,
        "source": Source, "confidentiality": Level, "status": CustomerStatus})
    audit_labels.register_object("Contact", _l("联系人"), CONTACT_FIELDS)
    audit_labels.register_object("PhoneExport", _l("完整电话导出"),
                                 {"personal_data": _l("个人信息")}, {"personal_data": {
                                     "phone": _l("完整电话")}})
    audit_labels.register_actions({
        "customer_created": _l("新建客户"), "customer_updated": _l("修改客户资料"),
        "customer_changed": _l("客户关键信息变更生效"), "contact_created": _l("新增联系人"),
        "contact_updated": _l("修改联系人"), "contact_deleted": _l("删除联系人"),
        "phone_export_requested": _l("申请导出完整电话"),
    })
