"""What reading an upload can say: the whole file refused (BadFile), or one cell that cannot be
read (Unreadable), which fails its row only."""

from flask_babel import gettext as _

from app.services.core.errors import Refused


class BadFile(Refused):
    """The upload is not a readable workbook; `message` says why, in the user's words."""


class Unreadable:
    """A cell whose value the file does not hold: a formula saved without its result (files
    written by programs that do not calculate), or an error value (#DIV/0!). `text` is what the
    cell showed (the formula, the error) for the failed rows' workbook; `problem` says why, with
    %(column)s for the column's header."""

    __slots__ = ("text", "problem")

    def __init__(self, text: str, problem: str):
        self.text, self.problem = text, problem

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return f"Unreadable({self.text!r})"

    def __eq__(self, other) -> bool:
        return (isinstance(other, Unreadable) and other.text == self.text
                and other.problem == self.problem)

    def __hash__(self) -> int:
        return hash((self.text, self.problem))


def no_result(formula: str) -> Unreadable:
    return Unreadable(formula, _("「%(column)s」是公式，但文件中没有保存它的计算结果（生成文件的"
                                 "程序未计算公式）：请用 Excel 或 WPS 打开该文件并保存后再上传。"))


def error_value(text: str) -> Unreadable:
    return Unreadable(text, _("「%(column)s」的公式结果是错误值，请更正后再上传。"))


def out_of_range_value() -> Unreadable:
    return Unreadable("#NUM!", _("本行有单元格的数值超出了可读取的范围（如过大的时长或日期），"
                                 "请更正后再上传。"))


def damaged() -> BadFile:
    return BadFile(_("文件已损坏，无法读取，请重新保存后上传。"))


def not_a_workbook() -> BadFile:
    return BadFile(_("文件不是 Excel（.xlsx）工作簿，也不是 .xls 或 .ods 表格，请下载模板填写后"
                     "上传。"))


def too_large() -> BadFile:
    return BadFile(_("文件内容过大，请拆分为多个文件后上传。"))


def out_of_range(ref: str) -> BadFile:
    return BadFile(_("文件中有单元格的位置（%(ref)s）超出了 Excel 工作表的范围，文件可能已损坏："
                     "请用 Excel 或 WPS 打开并重新保存后上传。", ref=ref))


def too_wide(cells: int) -> BadFile:
    return BadFile(_("工作表中有内容的区域超过 %(n)s 个单元格（可能在很远的行或列中有内容）："
                     "请删除多余的内容，或拆分为多个文件后上传。", n=f"{cells:,}"))
