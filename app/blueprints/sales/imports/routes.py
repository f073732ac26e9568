"""Excel imports of the sales ledgers (/sales/imports/): 客户档案, 销售合同 and 销售台账, on the
platform's import pages (blueprints/_imports.py), which offer only the sales department's
ledgers. The rules live in app/policy/imports.py and app/services/imports/."""

from flask_babel import lazy_gettext as _l

from app.blueprints._imports import Desk, add_pages
from app.blueprints.sales import bp
from app.models import DeptCode
from app.navigation import sales_section

DESK = Desk("sales", DeptCode.SALES, _l("销售台账"))
add_pages(bp, DESK)

sales_section(80, _l("Excel 导入"), "sales.import_list", DESK.area,
              _l("从 Excel 批量导入客户档案、销售合同和销售台账"))
