"""The service record in the archive: 客户服务记录表 as its 审核 signed it, both 联
(第一联 客户存档, 第二联 公司存档) in one filed copy, under 门类 FW (服务); its retention (D4)
counts from the record's closure."""

from datetime import date

from sqlalchemy import Select

from app.models.service.records import ServiceRecord
from app.services.core.pdf import Archival, render_archival
from app.services.core.record_kinds import latest_signed
from app.services.service.records.pdf import part_labels, sheet_context
from app.services.service.records.review import RECORD_TYPE, review_state
from app.timeutil import to_local


class ServiceRecordFiling:
    """客户服务记录: the closed record whose latest version its 客服 manager signed."""

    category = "FW"
    model = ServiceRecord

    def business_number(self, record: ServiceRecord) -> str:
        return record.number

    def customer_id(self, record: ServiceRecord) -> int:
        return record.customer_id

    def trigger_date(self, record: ServiceRecord, trigger: str) -> date | None:
        """A record is closed on its 已关闭 day (in the company's zone)."""
        if trigger == "closure" and record.closed_at is not None:
            return to_local(record.closed_at).date()
        return None

    def eligible(self, department_id: int, start, end) -> Select:
        return latest_signed(RECORD_TYPE, ServiceRecord, department_id, start, end)

    def pdf(self, record: ServiceRecord, archival: Archival) -> bytes:
        """Both 联 of the sheet with the 审核 signatures, as one document (its pages counted
        together: the filed copy is one document, unlike the print's two)."""
        context = sheet_context(record, review_state(record).signatures)
        return render_archival("pdf/service/record.html", archival, parts=part_labels(),
                               **context)
