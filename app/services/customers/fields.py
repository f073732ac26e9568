"""The customer fields a review signs, as people read them: labels, and values shown with
personal data never in clear (the version history, change requests and the approval sheet)."""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.models import CustomerKind, Department, Level, User

LABELS_ORDER = ("name", "kind", "id_number", "owner_id", "department_id", "confidentiality")


FIELD_LABELS = {
    "name": _l("客户名称"), "kind": _l("客户性质"), "id_number": _l("身份证号"),
    "owner_id": _l("负责人"), "department_id": _l("部门"), "confidentiality": _l("密级"),
    # The other fields of the record, as its audit events name them.
    "contact_name": _l("联系人"), "phone": _l("联系电话"), "email": _l("电子邮箱"),
    "address": _l("地址"), "industry": _l("所属行业"), "type": _l("客户类型"),
    "grade": _l("客户等级"), "source": _l("客户来源"), "first_contact_date": _l("首次接触时间"),
    "remarks": _l("备注"), "owner": _l("负责人"),
}


@dataclass
class FieldChange:
    field: str
    old: str
    new: str

    @property
    def label(self) -> str:
        return str(FIELD_LABELS[self.field])


def display(field_name: str, value) -> str:
    """A signed or proposed value as people read it; personal data never in clear."""
    if value is None or value == "":
        return "—"
    if field_name == "id_number":
        return "＊＊＊"
    if field_name == "owner_id":
        user = db.session.get(User, int(value))
        return user.full_name if user else str(value)
    if field_name == "department_id":
        department = db.session.get(Department, int(value))
        return str(department.label) if department else str(value)
    if field_name == "kind":
        return str(CustomerKind(value).label)
    if field_name == "confidentiality":
        return str(Level(int(value)).label)
    return str(value)
