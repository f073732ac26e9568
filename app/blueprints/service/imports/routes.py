"""Excel imports of 客服部's ledgers (/service/imports/): 售后服务台账 (service records with their
follow-ups), on the platform's import pages (blueprints/_imports.py), which offer only the
department's own ledgers. The rules live in app/policy/imports.py and app/services/imports/."""

from flask_babel import lazy_gettext as _l

from app.blueprints._imports import Desk, add_pages
from app.blueprints.service import bp
from app.models import DeptCode
from app.navigation import service_section

DESK = Desk("service", DeptCode.SERVICE, _l("客服台账"))
add_pages(bp, DESK)

service_section(95, _l("Excel 导入"), "service.import_list", DESK.area,
                _l("从 Excel 批量导入售后服务台账（服务记录及其跟进）"))
