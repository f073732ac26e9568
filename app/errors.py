"""Error pages in the user's language; htmx requests get a fragment the page can show."""

from flask import Flask, current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from app.extensions import db
from app.htmx import render, wants_fragment

_MESSAGES = {
    400: (_l("请求无效"), _l("请求的内容不完整或格式不正确。")),
    403: (_l("无权访问"), _l("您没有执行此操作的权限。如需访问，请联系部门经理。")),
    404: (_l("页面不存在"), _l("您要找的页面或记录不存在。")),
    405: (_l("请求方式不正确"), _l("此页面不支持该请求方式。")),
    413: (_l("文件过大"), _l("上传的文件超过了允许的大小。")),
    422: (_l("无法处理"), _l("提交的内容无法处理，请检查后重试。")),
    429: (_l("操作过于频繁"), _l("请求次数过多，请稍后再试。")),
    500: (_l("系统错误"), _l("服务器遇到了问题，请稍后再试。如问题持续，请联系信息部。")),
}


def render_error(status: int, detail: str | None = None):
    title, message = _MESSAGES.get(status, _MESSAGES[500])
    response = render("errors/error.html", "content", status=status, code=status,
                      title=title, message=detail or message)
    if wants_fragment():
        # Shown in the page's alert area instead of replacing the element that asked.
        response.headers["HX-Retarget"] = "#alerts"
        response.headers["HX-Reswap"] = "innerHTML"
    return response


def register(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_error(400, _("页面已过期或安全令牌无效，请刷新页面后重试。"))

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code and error.code < 400:
            return error
        # A rate limit with its own message (sign-in) says it; others get the generic one.
        limit = getattr(error, "limit", None)
        detail = error.description if limit is not None and limit.error_message else None
        return render_error(error.code or 500, detail)

    @app.errorhandler(Exception)
    def server_error(error: Exception):
        db.session.rollback()
        current_app.logger.exception("unhandled error")
        return render_error(500)
