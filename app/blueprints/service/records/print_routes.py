"""Printing a service record: 客户服务记录表 as PDF (第一联 客户存档, 第二联 公司存档)."""

from flask_login import current_user, login_required

from app import policy
from app.blueprints._kit import send_pdf
from app.blueprints.service import bp
from app.models.service.records import ServiceRecord
from app.policy import Action
from app.services.service.records.pdf import record_sheet


@bp.get("/records/<int:record_id>/print.pdf")
@login_required
def record_print(record_id: int):
    """客户服务记录表 as PDF for who may read the record (print follows view); audited; 404
    outside the reader's scope or above their clearance."""
    record = policy.load(ServiceRecord, record_id, Action.PRINT)
    return send_pdf(record_sheet(record, current_user))
