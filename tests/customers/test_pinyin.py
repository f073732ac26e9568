"""The name sort key: pinyin_text (cached per word, for imports of 100,000 rows) reads every
name exactly as pypinyin.lazy_pinyin does, polyphones and non-Chinese text included."""

import random

from pypinyin import lazy_pinyin

from app.services.customers.operations import pinyin_text
from app.services.demo.synthetic import fake_customer

EDGE_CASES = ["", "ABC Trading", "重庆重型机械厂", "长沙银行", "朝阳区朝晖路", "Ｆｕｌｌ宽度",
              "中国银行（香港）", "乐器行音乐", "单县单田", "x1-重", "銀行"]


def test_pinyin_text_is_lazy_pinyin():
    rng = random.Random(5)
    names = EDGE_CASES + [fake_customer(rng).name for _ in range(2000)]
    assert [pinyin_text(n) for n in names] == ["".join(lazy_pinyin(n)) for n in names]
