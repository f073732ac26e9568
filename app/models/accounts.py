"""Departments, users, roles and clearance levels."""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from app.extensions import db
from app.models.base import Choice, LevelChoice, LevelType, TimestampMixin, choice_column


class DeptCode(Choice):
    SALES = ("sales", _l("销售部"))
    SERVICE = ("service", _l("客服部"))
    RISK = ("risk", _l("风险管理部"))
    ARCHIVE = ("archive", _l("档案室"))
    MANAGEMENT = ("management", _l("总经理办公室"))
    IT = ("it", _l("信息部"))


class Role(Choice):
    STAFF = ("staff", _l("专员"))
    MANAGER = ("manager", _l("部门经理"))
    GM = ("gm", _l("总经理"))
    ARCHIVIST = ("archivist", _l("档案管理员"))
    ADMIN = ("admin", _l("系统管理员"))
    AUDITOR = ("auditor", _l("审计员"))


# Roles that work with business records (admins and auditors do not, by design).
BUSINESS_ROLES = frozenset({Role.STAFF, Role.MANAGER, Role.GM, Role.ARCHIVIST})


class Level(LevelChoice):
    """Confidentiality of a record (密级) and clearance of a user, in one ordered scale."""

    PUBLIC = (1, _l("公开"))
    INTERNAL = (2, _l("内部"))
    SECRET = (3, _l("秘密"))
    CONFIDENTIAL = (4, _l("机密"))


class Department(db.Model):
    __tablename__ = "departments"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[DeptCode] = mapped_column(choice_column(DeptCode), unique=True)
    name: Mapped[str] = mapped_column(String(50))

    @property
    def label(self) -> str:
        return self.code.label

    def __str__(self) -> str:
        return str(self.label)


class User(UserMixin, TimestampMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(50), unique=True)
    full_name: Mapped[str] = mapped_column(String(50))
    employee_no: Mapped[str] = mapped_column(String(20), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    role: Mapped[Role] = mapped_column(choice_column(Role))
    clearance: Mapped[Level] = mapped_column(LevelType(Level), default=Level.INTERNAL)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    locale: Mapped[str] = mapped_column(String(10), default="zh_CN")
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime)
    # Mistyped signing passwords lock signing only, never the sign-in (a lock of its own).
    failed_signs: Mapped[int] = mapped_column(Integer, default=0)
    sign_locked_until: Mapped[datetime | None] = mapped_column(DateTime)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime)
    # Changing it (password change, reset, rights, deactivation) ends every open session of
    # the user: each server-side session (models/sessions.py) keeps the value it began with.
    session_nonce: Mapped[int] = mapped_column(Integer, default=0)

    department: Mapped[Department] = relationship(lazy="joined")

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        return f"{self.id}.{self.session_nonce}"

    def in_department(self, code: DeptCode) -> bool:
        return self.department.code == code

    def __str__(self) -> str:
        return self.full_name


class ScopedMixin:
    """A business record's data scope, copied from its customer: the salesperson who owns it,
    their department and the confidentiality. Policy filters lists by these indexed columns."""

    @declared_attr
    def owner_id(cls) -> Mapped[int]:
        return mapped_column(ForeignKey("users.id"))

    @declared_attr
    def department_id(cls) -> Mapped[int]:
        return mapped_column(ForeignKey("departments.id"))

    @declared_attr
    def confidentiality(cls) -> Mapped[Level]:
        return mapped_column(LevelType(Level), default=Level.INTERNAL)
