"""The official forms' words as data: titles, column headers and option lists, shared by parsers and writers.

One place for every label a form prints, so that a parser and the writer that prints the same form can never
disagree on a word.  Parsers fold text (width, traditional forms, glosses) before they look a word up here; the
printed text is kept on the cell.
"""

from __future__ import annotations

TITLE_SELF = "财政项目支出绩效自评表"
TITLE_DECLARATION = "上海市财政支出项目绩效目标申报表"
TITLE_EVALUATION = "绩效评价结果信息表"

INDICATOR_HEADER = (
    "一级指标",
    "二级指标",
    "三级指标",
    "年度指标值",
    "实际完成值",
    "分值",
    "得分",
    "偏差原因分析及改进措施",
)

# The Shanghai 2018 申报表's check-box rows: 项目类型 and 资金用途.
PROJECT_TYPES = (
    "市委市政府已确定的新增项目",
    "结转项目",
    "其他一次性项目",
    "经常性专项业务费",
    "其他经常性项目",
)
FUND_USES = ("基本建设工程类", "信息化建设类", "政策补贴类", "政府购买服务", "资产购置类", "其他事业专业类")

# --- Self-evaluation header labels and their synonyms (compared after key() folding) ---------------------------
# The transfer-payment self-evaluation (转移支付绩效自评表) names the same header fields differently: its project
# is the 转移支付(项目), its department the 地方主管部门 (the 中央主管部门 is the ministry above), its implementing
# unit the 资金使用单位.
SE_PROJECT_LABELS = ("项目名称", "转移支付(项目)名称", "转移支付名称", "转移支付项目名称")
SE_DEPARTMENT_LABELS = ("主管部门", "地方主管部门")
SE_UNIT_LABELS = ("实施单位", "项目实施单位", "资金使用单位")
SE_OTHER_HEADER_LABELS = ("中央主管部门",)
