"""The shared customer master (客户档案), fields from seed 004 表1 and 003 客户资料管理表."""

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.accounts import Department, Level, User
from app.models.base import Choice, LevelType, SearchTokens, TimestampMixin, choice_column


class CustomerKind(Choice):
    UNIT = ("unit", _l("单位"))
    PERSON = ("person", _l("个人"))


class CustomerType(Choice):
    POTENTIAL = ("potential", _l("潜在客户"))
    INTENT = ("intent", _l("意向客户"))
    DEAL = ("deal", _l("成交客户"))
    LOST = ("lost", _l("流失客户"))


class Grade(Choice):
    A = ("A", _l("A类(重点)"))
    B = ("B", _l("B类(普通)"))
    C = ("C", _l("C类(潜力)"))


class Source(Choice):
    EXPO = ("expo", _l("展会"))
    REFERRAL = ("referral", _l("转介绍"))
    ONLINE = ("online", _l("线上"))
    VISIT = ("visit", _l("主动拜访"))
    OTHER = ("other", _l("其他"))


class CustomerStatus(Choice):
    """The archive review (客户档案审核): built by the salesperson, approved by their manager."""

    DRAFT = ("draft", _l("草稿"))
    SUBMITTED = ("submitted", _l("审批中"))
    ACTIVE = ("active", _l("已生效"))


class Industry(Choice):
    """Industry list with the codes used in customer numbers (after GB/T 4754 sections)."""

    TECH = ("TECH", _l("信息技术服务"))
    MFG = ("MFG", _l("制造业"))
    FIN = ("FIN", _l("金融业"))
    TRADE = ("TRADE", _l("批发和零售业"))
    BUILD = ("BUILD", _l("建筑业"))
    ENERGY = ("ENERGY", _l("电力热力燃气"))
    LOGI = ("LOGI", _l("交通运输物流"))
    REALTY = ("REALTY", _l("房地产业"))
    MED = ("MED", _l("医药卫生"))
    EDU = ("EDU", _l("教育"))
    AGRI = ("AGRI", _l("农林牧渔业"))
    CULT = ("CULT", _l("文化体育娱乐"))
    BIZ = ("BIZ", _l("租赁和商务服务"))
    GOV = ("GOV", _l("公共管理和社会组织"))
    OTHER = ("OTHER", _l("其他行业"))


class Customer(TimestampMixin, db.Model):
    __tablename__ = "customers"
    __table_args__ = (
        # The data scopes (a salesperson's, a department's), newest first; the confidentiality
        # comes along so that the clearance check is answered from the index alone.
        Index("ix_customers_owner_scope", "owner_id", "id", "confidentiality"),
        Index("ix_customers_department_scope", "department_id", "id", "confidentiality"),
        Index("ix_customers_owner_sort", "owner_id", "name_sort", "id"),
        Index("ix_customers_department_sort", "department_id", "name_sort", "id"),
        Index("ix_customers_name_sort_id", "name_sort", "id"),
        # The home page's capped counts per type, in each scope (the GM's: all).
        Index("ix_customers_owner_type", "owner_id", "type", "confidentiality"),
        Index("ix_customers_department_type", "department_id", "type", "confidentiality"),
        Index("ix_customers_type", "type", "confidentiality"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    # Normalised name (NFKC, no spaces, case-folded): one card per real-world customer.
    name_key: Mapped[str] = mapped_column(String(100), unique=True)
    # Pinyin of the name, so lists sort the way Chinese users read them.
    name_sort: Mapped[str] = mapped_column(String(400))
    # Pinyin initials of the name (华信科技 → hxkj): the pickers match what people type.
    name_initials: Mapped[str] = mapped_column(String(100), default="", server_default="")
    kind: Mapped[CustomerKind] = mapped_column(choice_column(CustomerKind))
    contact_name: Mapped[str] = mapped_column(String(50))
    phone: Mapped[str] = mapped_column(String(20), index=True)
    email: Mapped[str | None] = mapped_column(String(120))
    address: Mapped[str | None] = mapped_column(String(200))
    industry: Mapped[Industry] = mapped_column(choice_column(Industry))
    type: Mapped[CustomerType] = mapped_column(choice_column(CustomerType))
    grade: Mapped[Grade] = mapped_column(choice_column(Grade))
    source: Mapped[Source | None] = mapped_column(choice_column(Source))
    first_contact_date: Mapped[date | None] = mapped_column(Date)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    confidentiality: Mapped[Level] = mapped_column(LevelType(Level), default=Level.INTERNAL)
    status: Mapped[CustomerStatus] = mapped_column(choice_column(CustomerStatus),
                                                   default=CustomerStatus.DRAFT)
    id_number: Mapped[str | None] = mapped_column(String(18))
    remarks: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)
    search_text: Mapped[list[str] | None] = mapped_column(SearchTokens, deferred=True)

    owner: Mapped[User] = relationship(foreign_keys=[owner_id], lazy="joined")
    department: Mapped[Department] = relationship(lazy="joined")
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])

    __mapper_args__ = {"version_id_col": version}

    # Personal data: masked on every page, export and PDF; never written to the audit trail.
    PII_FIELDS = ("phone", "id_number")
    SEARCH_FIELDS = ("name", "number", "contact_name")

    def __str__(self) -> str:
        return f"{self.number} {self.name}"
