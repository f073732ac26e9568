"""Other names people write in the sales ledgers' spreadsheets for the choices (beyond the
labels, the codes and the shorter names the import kit derives from the labels: A类(重点) is
already read from A, A类, A类客户, 重点). The sales plug_in registers them with the kit; every
import of these choices then accepts them."""

from app.models import ContractKind, CustomerKind, CustomerType, EntryKind, Grade, Level, Source
from app.services.imports.fields import add_synonyms

SYNONYMS = {
    Grade: {Grade.A: ("A级", "重点客户", "一类"), Grade.B: ("B级", "普通客户", "一般", "二类"),
            Grade.C: ("C级", "潜力客户", "三类")},
    CustomerType: {CustomerType.POTENTIAL: ("潜客",), CustomerType.DEAL: ("已成交", "老客户"),
                   CustomerType.LOST: ("已流失",)},
    CustomerKind: {CustomerKind.UNIT: ("企业", "公司", "单位客户", "法人"),
                   CustomerKind.PERSON: ("个人客户", "自然人")},
    Source: {Source.EXPO: ("展览会", "会展"), Source.REFERRAL: ("介绍", "客户介绍", "老客户介绍"),
             Source.ONLINE: ("网络", "网上", "互联网"), Source.VISIT: ("拜访", "陌拜")},
    Level: {Level.PUBLIC: ("公开级", "非密"), Level.INTERNAL: ("内部级",),
            Level.SECRET: ("秘密级",), Level.CONFIDENTIAL: ("机密级",)},
    ContractKind: {ContractKind.FRAMEWORK: ("框架合同", "框架")},
    EntryKind: {EntryKind.RETURN: ("退回", "退货"), EntryKind.ALLOWANCE: ("折让",)},
}



def register() -> None:
    for enum, words in SYNONYMS.items():
        add_synonyms(enum, words)
