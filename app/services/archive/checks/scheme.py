"""The check items (检测项目) and the scheme (检测方案) that sets, per item, its dimension, whether
its failure blocks (不通过) or only warns (警告), and whether it runs. Saving the scheme makes a
new version; the first is made from the defaults on first use."""

from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import User
from app.models.archive import ArchiveCheckScheme, ArchiveCheckSchemeRow, CheckDimension
from app.services.core import audit
from app.services.core.errors import Refused

AUTHENTIC, COMPLETE, USABLE, SECURE = (
    CheckDimension.AUTHENTICITY, CheckDimension.INTEGRITY, CheckDimension.USABILITY,
    CheckDimension.SECURITY)


class SchemeRefused(Refused):
    """A scheme that cannot be saved (nothing left to check, an unknown item)."""


@dataclass(frozen=True)
class CheckItem:
    """One check: `content` when it parses the copy (more than reading and hashing it),
    `archive_wide` when it is about the archive or a series rather than one item."""

    code: str
    label: object
    dimension: CheckDimension
    blocking: bool
    content: bool = False
    archive_wide: bool = False


CHECKS = (
    CheckItem("sha256", _l("SHA-256 摘要值与归档时一致"), AUTHENTIC, True),
    CheckItem("sm3", _l("SM3 摘要值与归档时一致"), AUTHENTIC, True),
    CheckItem("seal", _l("档案封存章（PAdES 电子签章）有效"), AUTHENTIC, True, content=True),
    CheckItem("signatures", _l("内嵌审批签名链有效且与数据库一致"), AUTHENTIC, True, content=True),
    CheckItem("metadata", _l("元数据完整（GB/T 18894 必备著录项）"), COMPLETE, False),
    CheckItem("number_continuity", _l("档号连续，作废号均有记录"), COMPLETE, True,
              archive_wide=True),
    CheckItem("content_present", _l("电子文件存在"), COMPLETE, True),
    CheckItem("size", _l("文件大小与登记一致"), COMPLETE, True),
    CheckItem("pdfa", _l("PDF/A 格式检查通过"), USABLE, True, content=True),
    CheckItem("opens", _l("文件可正常打开，页数与登记一致"), USABLE, True, content=True),
    CheckItem("not_encrypted", _l("文件未加密"), USABLE, True, content=True),
    CheckItem("unaltered", _l("归档后未被改动（摘要值与审计记录一致）"), SECURE, True),
    CheckItem("audit_chain", _l("操作与访问日志（审计链）完整"), SECURE, True,
              archive_wide=True),
)
FIXITY = ("content_present", "size", "sha256", "sm3")  # the hash part: read and hash only


@dataclass(frozen=True)
class Setting:
    """One row of a scheme as it applies: the check, its dimension, blocking, enabled."""

    check: CheckItem
    dimension: CheckDimension
    blocking: bool
    enabled: bool

    @property
    def code(self) -> str:
        return self.check.code


def current() -> ArchiveCheckScheme:
    """The latest version (migration 0026 seeds version 1 from the defaults)."""
    return _latest()


def _latest() -> ArchiveCheckScheme | None:
    return db.session.scalars(select(ArchiveCheckScheme)
                              .order_by(ArchiveCheckScheme.version.desc()).limit(1)).first()


def settings(scheme: ArchiveCheckScheme) -> list[Setting]:
    """The scheme's rows in the catalogue's order; a check the scheme predates is off."""
    rows = {row.code: row for row in scheme.rows}
    return [Setting(check, rows[check.code].dimension, rows[check.code].blocking,
                    rows[check.code].enabled) if check.code in rows
            else Setting(check, check.dimension, check.blocking, False) for check in CHECKS]


def save(chosen: list[Setting], note: str, actor: User) -> ArchiveCheckScheme:
    """A new version of the scheme with these rows, audited; refuses a scheme that checks
    nothing."""
    if not any(setting.enabled for setting in chosen):
        raise SchemeRefused(_("检测方案至少要启用一项检测。"))
    version = (db.session.scalar(select(func.max(ArchiveCheckScheme.version))) or 0) + 1
    scheme = _add(version, chosen, actor, note.strip()[:200])
    audit.record("archive_check_scheme_saved", scheme, actor=actor, changes={
        "version": version, "note": scheme.note,
        "rows": [[s.code, s.dimension.value, s.blocking, s.enabled] for s in chosen]})
    return scheme


def _add(version: int, chosen: list[Setting], actor: User | None,
         note: str) -> ArchiveCheckScheme:
    scheme = ArchiveCheckScheme(version=version, note=note,
                                created_by_id=actor.id if actor else None)
    scheme.rows = [ArchiveCheckSchemeRow(position=position, code=s.code, dimension=s.dimension,
                                         blocking=s.blocking, enabled=s.enabled)
                   for position, s in enumerate(chosen, 1)]
    db.session.add(scheme)
    db.session.flush()
    return scheme


def versions(limit: int = 50) -> list[ArchiveCheckScheme]:
    """The latest versions, newest first (the scheme page's history)."""
    return list(db.session.scalars(select(ArchiveCheckScheme)
                                   .options(selectinload(ArchiveCheckScheme.created_by))
                                   .order_by(ArchiveCheckScheme.version.desc()).limit(limit)))
