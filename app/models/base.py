"""Shared column types and mixins."""

from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from enum import IntEnum, StrEnum

from sqlalchemy import BigInteger, DateTime, SmallInteger, Text, TypeDecorator
from sqlalchemy import Enum as SAEnum
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.sql.functions import FunctionElement

# The largest value of an INTEGER column (every primary and foreign key: 32-bit on PostgreSQL)
# and of a BIGINT one (amounts in fen), on SQLite and PostgreSQL alike. Input beyond them is
# refused before it reaches a query, where SQLite would overflow and PostgreSQL refuse it.
MAX_INTEGER = 2**31 - 1
MAX_BIGINT = 2**63 - 1


def utcnow() -> datetime:
    """Naive UTC with microseconds: stored identically by SQLite and PostgreSQL."""
    return datetime.now(UTC).replace(tzinfo=None)


class Choice(StrEnum):
    """A stored code with a translatable label: MEMBER = ("code", _l("标签"))."""

    def __new__(cls, value: str, label=None):
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label or value
        return member

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        return [(m.value, m.label) for m in cls]


class LevelChoice(IntEnum):
    """An ordered level with a translatable label, stored as a small integer."""

    def __new__(cls, value: int, label=None):
        member = int.__new__(cls, value)
        member._value_ = value
        member.label = label or str(value)
        return member

    @classmethod
    def choices(cls) -> list[tuple[int, str]]:
        return [(m.value, m.label) for m in cls]


def choice_column(enum_cls: type[Choice], length: int = 16) -> SAEnum:
    """Stores a Choice by its code, as a VARCHAR (no native enum: migrations stay simple)."""
    return SAEnum(
        enum_cls,
        native_enum=False,
        create_constraint=False,
        length=length,
        values_callable=lambda e: [m.value for m in e],
        validate_strings=True,
    )


class LevelType(TypeDecorator):
    """An IntEnum as SMALLINT, so levels compare in SQL (confidentiality <= clearance)."""

    impl = SmallInteger
    cache_ok = True

    def __init__(self, enum_cls: type[IntEnum]):
        super().__init__()
        self.enum_cls = enum_cls

    def process_bind_param(self, value, dialect):
        return None if value is None else int(value)

    def process_result_value(self, value, dialect):
        return None if value is None else self.enum_cls(value)


class _search_bind(FunctionElement):
    """Wraps a bound token list: verbatim text on SQLite, array_to_tsvector on PostgreSQL."""

    inherit_cache = True


@compiles(_search_bind)
def _search_bind_default(element, compiler, **kw):
    return compiler.process(element.clauses, **kw)


@compiles(_search_bind, "postgresql")
def _search_bind_pg(element, compiler, **kw):
    return f"array_to_tsvector(CAST({compiler.process(element.clauses, **kw)} AS TEXT[]))"


class SearchTokens(TypeDecorator):
    """Search tokens of a row: space-joined text (indexed by FTS5) or a tsvector (GIN)."""

    impl = Text
    cache_ok = True

    def load_dialect_impl(self, dialect):
        if dialect.name == "postgresql":
            return dialect.type_descriptor(TSVECTOR())
        return dialect.type_descriptor(Text())

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        return list(value) if dialect.name == "postgresql" else " ".join(value)

    def bind_expression(self, bindvalue):
        return _search_bind(bindvalue)


class _Scaled(TypeDecorator):
    """An exact decimal stored as a scaled integer: the same sums on SQLite and PostgreSQL."""

    impl = BigInteger
    cache_ok = True
    places = 2

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        quantum = Decimal(1).scaleb(-self.places)
        exact = Decimal(value).quantize(quantum, rounding=ROUND_HALF_UP)
        return int(exact.scaleb(self.places))

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return Decimal(int(value)).scaleb(-self.places)


class Money(_Scaled):
    """Yuan with two decimals, stored as integer fen; never a float."""

    cache_ok = True
    places = 2


class Quantity(_Scaled):
    """A quantity with up to three decimals (吨, 米...), stored in thousandths."""

    cache_ok = True
    places = 3


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
