"""What the audit trail calls things, as people read them: each action's name, each type of
object and its fields, and the labels of stored codes. Every domain registers its own (the
customer master and each department from their plug_in), so the trail imports no department;
the platform's own (sign-in, accounts, approvals, imports, exports) are registered below. An
action or field nobody registered is shown by its code."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import Enum

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from app.models import Level, Role

# How a stored value of a field is read: a Choice/LevelChoice class, {code: label}, or a
# function of the value.
Reading = type[Enum] | Mapping | Callable


@dataclass(frozen=True)
class ObjectType:
    label: object  # a lazy string
    fields: Mapping = field(default_factory=dict)  # {field: label}
    readings: Mapping[str, Reading] = field(default_factory=dict)  # {field: how to read}


_ACTIONS: dict[str, object] = {}
_OBJECTS: dict[str, ObjectType] = {}


def register_actions(labels: Mapping) -> None:
    """Names actions: {"customer_created": _l("新建客户"), ...}."""
    _ACTIONS.update(labels)
    _TRANSLATED.clear()


def register_object(object_type: str, label, fields: Mapping | None = None,
                    readings: Mapping[str, Reading] | None = None) -> None:
    """Names a type of object (as events store it: the model's class name), its fields, and
    how to read the stored codes of some of them. Registering a type again adds to it."""
    known = _OBJECTS.get(object_type)
    if known:
        fields = {**known.fields, **(fields or {})}
        readings = {**known.readings, **(readings or {})}
    _OBJECTS[object_type] = ObjectType(label, dict(fields or {}), dict(readings or {}))
    _TRANSLATED.clear()


@dataclass(frozen=True)
class Names:
    """Every registered name in one language, as plain strings: a page of events reads a few
    hundred of them, and each lazy string translates itself again whenever it is read."""

    actions: dict[str, str]
    object_types: dict[str, str]
    fields: dict[str, dict[str, str]]  # {object type: {field: label}}, GENERIC included

    def field(self, object_type: str | None, name: str) -> str:
        """The field's label for that type of object, else a platform-wide one, else the code."""
        own = self.fields.get(object_type or "")
        if own and name in own:
            return own[name]
        return self.fields[GENERIC].get(name, name)


# {locale name: Names}, emptied whenever a domain registers more.
_TRANSLATED: dict[str, Names] = {}


def names() -> Names:
    """The registered names in the current language (translated once per language)."""
    locale = str(get_locale())
    known = _TRANSLATED.get(locale)
    if known is None:
        known = _TRANSLATED[locale] = Names(
            {code: str(label) for code, label in _ACTIONS.items()},
            {code: str(known.label) for code, known in _OBJECTS.items()},
            {code: {name: str(label) for name, label in known.fields.items()}
             for code, known in _OBJECTS.items()})
    return known


def action_label(action: str) -> str | None:
    """The action's name, None when no domain registered it."""
    return names().actions.get(action)


def object_type_label(object_type: str | None) -> str:
    if not object_type:
        return ""
    return names().object_types.get(object_type, object_type)


def actions() -> list[tuple[str, str]]:
    """(code, name) of every registered action, by name."""
    return sorted(names().actions.items(), key=lambda pair: pair[1])


def object_types() -> list[tuple[str, str]]:
    """(code, name) of every registered type of object except the generic entries, by name."""
    return sorted(((code, label) for code, label in names().object_types.items()
                   if code != GENERIC), key=lambda pair: pair[1])


def field_label(object_type: str | None, name: str) -> str:
    """The field's label for that type of object, else a platform-wide one, else the code."""
    return names().field(object_type, name)


def reading(object_type: str | None, name: str) -> Reading | None:
    for known in (_OBJECTS.get(object_type or ""), _OBJECTS[GENERIC]):
        if known and name in known.readings:
            return known.readings[name]
    return None


# Keys that events of any type may carry.
GENERIC = "*"

register_object(GENERIC, _l("通用"), {
    "reason": _l("原因"), "count": _l("数量"), "request": _l("审批单"), "field": _l("字段"),
    "query": _l("筛选条件"), "path": _l("页面"), "document": _l("文件"),
    "failures": _l("连续失败次数"), "username": _l("用户名"), "action": _l("操作"),
    "status": _l("状态"), "steps": _l("审批步骤"), "change": _l("变更单"),
    "role": _l("角色"), "department_id": _l("部门"), "clearance": _l("涉密级别"),
    "confidentiality": _l("密级"), "full_name": _l("姓名"), "employee_no": _l("工号"),
    "locale": _l("语言"), "owner": _l("负责人"), "owner_id": _l("负责人"), "to": _l("交给"),
    "remarks": _l("备注"), "name": _l("名称"), "comment": _l("意见"), "rows": _l("行数"),
}, {
    "role": Role, "clearance": Level, "confidentiality": Level,
    "reason": {"password": _l("密码错误"), "unknown": _l("用户名不存在"),
               "inactive": _l("账户已停用")},
    "locale": {"zh_CN": _l("中文"), "en": "English"},
})

register_object("User", _l("用户账户"))
register_object("area", _l("工作区"))
register_object("AuditEvent", _l("审计日志"))
register_object("AccountGrant", _l("授权申请"))
register_object("ApprovalFlow", _l("审批流程"))
register_object("ApprovalRequest", _l("审批单"))
register_object("ChangeRequest", _l("变更申请"))
register_object("ImportBatch", _l("导入批次"))

register_actions({
    "login": _l("登录"), "login_failed": _l("登录失败"), "logout": _l("退出登录"),
    "account_locked": _l("账户锁定"), "login_refused_locked": _l("锁定期间拒绝登录"),
    "access_denied": _l("拒绝访问"), "reveal_pii": _l("查看个人信息"),
    "password_changed": _l("修改密码"), "password_change_failed": _l("修改密码时密码错误"),
    "password_change_refused_locked": _l("锁定期间拒绝修改密码"),
    "password_reset": _l("重置密码"), "user_created": _l("新建用户"),
    "user_updated": _l("修改用户资料"), "user_deactivated": _l("停用账户"),
    "user_activated": _l("启用账户"), "user_unlocked": _l("解锁账户"),
    "user_bootstrapped": _l("初始化账户"), "grant_requested": _l("申请授权"),
    "rights_granted": _l("授予权限"), "rights_revoked": _l("收回权限"),
    "rights_changed": _l("调整权限"), "session_ended": _l("结束登录会话"),
    "sessions_ended": _l("结束全部登录会话"), "sign_failed": _l("签字密码错误"),
    "signing_locked": _l("签字暂停"), "sign_refused_locked": _l("暂停期间拒绝签字"),
    "approval_submitted": _l("提交审批"), "approval_signed": _l("审批签字"),
    "approval_approved": _l("审批通过"), "approval_rejected": _l("审批驳回"),
    "approval_withdrawn": _l("撤回审批"), "flow_updated": _l("修改审批流程"),
    "import_started": _l("开始导入"), "import_finished": _l("导入完成"),
    "export": _l("导出 Excel"), "print": _l("打印 PDF"),
})
