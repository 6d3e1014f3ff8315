"""The zoo's own form vocabulary, written from ``../shared/spec`` and the real documents — never imported from src.

Each list holds the ways a 绩效自评表 prints one thing. The first entry is the Shanghai seed wording; the others
were seen in the real corpus (``../shared/corpus/real/README.md`` names the files) or are given by the spec. A
label the parsers do not know fails a zoo test, which is the point of keeping this list apart from ``src/``.
"""

from __future__ import annotations

# Title lines (the national 10号 form, a province's own prefix, the older 目标自评 wording).
TITLES = [
    "财政项目支出绩效自评表",
    "项目支出绩效自评表",
    "项目支出绩效目标自评表",
    "省级财政项目支出绩效自评表",
]

# Year lines under the title.
YEAR_LINES = ["（{y} 年度）", "({y}年度)", "（{y}年度）"]

PROJECT = ["项目名称"]
DEPARTMENT = ["主管部门", "主管部门及代码"]
UNIT = ["实施单位", "实施单位（盖章）", "预算单位"]

# The funds block: its left label (with the printed unit), then the column headers as printed in the
# Shanghai seeds, the national 10号 form (A/B letters) and a provincial variant (调整后预算数, 权重, 预算执行率).
FUNDS_LABEL = ["项目资金（{u}）", "项目资金({u})", "资金情况（{u}）"]
FUND_HEADERS = [
    ("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"),
    ("年初预算数", "全年预算数（A）", "全年执行数（B）", "分值", "执行率（B/A）", "得分"),
    ("年初预算数", "调整后预算数", "实际执行数", "权重", "预算执行率", "得分"),
]

GOAL_LABEL = ["年度总体目标", "年度 总体 目标"]
GOAL_HEADERS = [("预期目标", "实际完成情况"), ("预期目标", "实际完成")]

INDICATOR_LABEL = ["绩效指标", "绩效 指标"]
INDICATOR_HEADERS = [
    (
        "一级指标",
        "二级指标",
        "三级指标",
        "年度指标值",
        "实际完成值",
        "分值",
        "得分",
        "偏差原因分析及改进措施",
    ),
    (
        "一级指标",
        "二级指标",
        "三级指标",
        "年度指标值（A）",
        "实际完成值（B）",
        "分值",
        "得分",
        "偏差原因分析及改进措施",
    ),
    ("一级指标", "二级指标", "三级指标", "指标值", "完成值", "权重", "得分", "偏差原因"),
]

TOTAL = ["总分", "合计"]

# Null marks for an empty amount.
NULLS = ["—", "-", ""]

# Page furniture that extraction tools leave before the first table (site banners, breadcrumbs).
BANNERS = [
    "首页 > 信息公开 > 财政资金 > 绩效信息",
    "发布时间：2023-05-06 浏览次数：128 字号：大 中 小",
    "【打印本页】 【关闭窗口】",
]

# Traditional forms of the characters the form's labels use (r022, r117, r209, r129 print them), and the pinyin
# glosses doc-sites put after some of them (`數(shù)`, `項(xiàng)`).
TRADITIONAL = str.maketrans(
    "项预执实单绩总资门标级产数质时满经济进财拨结转际称务类评价值满检测编发区县据应属开设务账户计划报营",
    "項預執實單績總資門標級產數質時滿經濟進財撥結轉際稱務類評價值滿檢測編發區縣據應屬開設務賬戶計劃報營",
)
GLOSSES = {
    "項": "xiàng",
    "預": "yù",
    "執": "zhí",
    "實": "shí",
    "單": "dān",
    "績": "jì",
    "總": "zǒng",
    "資": "zī",
    "門": "mén",
    "標": "biāo",
    "級": "jí",
    "產": "chǎn",
    "數": "shù",
    "質": "zhì",
    "時": "shí",
    "經": "jīng",
    "濟": "jì",
    "進": "jìn",
    "財": "cái",
    "結": "jié",
    "轉": "zhuǎn",
}

# --- the national 绩效目标表 (target declarations outside the Shanghai 2018 layout) ---------------------------

DECLARATION_TITLES = [
    "项目支出绩效目标表",
    "项目支出绩效目标申报表",
    "项目绩效目标表",
    "绩效目标申报表",
    "省级部门预算项目支出绩效目标表",
]
DECLARATION_YEAR_LINES = ["（{y}年度）", "{y}年度", "({y}年)"]
DECLARATION_UNIT = ["实施单位", "申报单位", "实施单位（盖章）"]
DECLARATION_FUNDS = [
    ("项目资金（{u}）", "年度资金总额"),
    ("资金情况（{u}）", "资金总额"),
    ("项目资金（{u}）", "年度资金总额："),
]
DECLARATION_PERIOD = ["实施期限", "起止时间", "项目期限"]
DECLARATION_GOALS = [("总体目标", "年度目标"), ("中期目标", "年度目标"), ("总体目标", "年度绩效目标")]
DECLARATION_INDICATORS = [
    ("一级指标", "二级指标", "三级指标", "指标值"),
    ("一级指标", "二级指标", "三级指标", "年度指标值"),
    ("一级指标", "二级指标", "三级指标", "指标目标值"),
]

# --- the 绩效评价结果信息表 ---------------------------------------------------------------------------------

EVALUATION_TITLES = ["绩效评价结果信息表", "项目绩效评价结果信息表", "财政支出绩效评价结果"]
EVALUATION_LABELS = [
    # 项目名称, 决算金额, 评价分值, 评价结论, 主要绩效, 存在问题, 整改建议, 整改情况
    ("项目名称", "决算金额", "评价分值", "评价结论", "主要绩效", "存在问题", "整改建议", "整改情况"),
    ("项目名称", "决算数", "评价得分", "评价等级", "主要绩效", "存在的问题", "改进建议", "整改落实情况"),
    ("项目名称", "项目决算金额", "综合得分", "评价结论", "主要成效", "主要问题", "意见建议", "整改情况"),
]
GRADES = {"优": ["优", "优秀"], "良": ["良", "良好"], "中": ["中", "中等"], "差": ["差"]}
