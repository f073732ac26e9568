"""逾期未跟进 (/service/follow-ups/): the records whose next follow-up date has passed, among
those the user owes follow-ups on, with the Excel export at export.xlsx (same scope,
audited)."""

from flask import request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from app import policy
from app.blueprints._kit import send_table
from app.blueprints.service import bp
from app.htmx import render
from app.models.service.follow_ups import ServiceFollowUp
from app.navigation import service_section
from app.policy import Action
from app.services.service.follow_ups import lists
from app.timeutil import local_today

service_section(30, _l("逾期未跟进"), "service.follow_up_overdue", ServiceFollowUp,
                _l("已过下次跟进日期仍未跟进的服务记录，及跟进频次设置"))


@bp.get("/follow-ups/")
@login_required
def follow_up_overdue():
    """Overdue follow-ups: 客服 staff their own records', the manager the department's, the GM
    all; the longest overdue first."""
    policy.require(Action.VIEW, ServiceFollowUp)
    listing = lists.listing(current_user, local_today(), after=request.args.get("after"),
                            before=request.args.get("before"))
    return render("service/follow_up/overdue.html", "results", listing=listing,
                  may_export=policy.can(current_user, Action.EXPORT, ServiceFollowUp))


@bp.get("/follow-ups/export.xlsx")
@login_required
def follow_up_overdue_export():
    """The whole overdue list as a workbook; same scope as the page; audited."""
    policy.require(Action.EXPORT, ServiceFollowUp)
    today = local_today()
    headers = [_("服务编号"), _("客户编号"), _("客户名称"), _("优先级"), _("处理进度"), _("负责人"),
               _("应跟进日期"), _("逾期天数")]
    return send_table(_("逾期未跟进"), headers, lists.export_rows(current_user, today),
                      "overdue-follow-ups.xlsx", object_type="ServiceFollowUp")
