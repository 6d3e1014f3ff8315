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

# --- Evaluation results (绩效评价结果) ---------------------------------------------------------------------------
# The labels a result prints before its values, in the 信息表, on a report's cover and in its header lines, mapped
# to the EvaluationResult field they fill.  Gathered from the Shanghai 信息表 and the covers of county, city and
# provincial reports (报告封面: 项目承担单位, 评价机构, 评价年度 …).
EVALUATION_FIELDS: dict[str, str] = {
    "项目名称": "project",
    "评价年度": "year",
    "主管部门": "department",
    "项目主管部门": "department",
    "主管单位": "department",
    "项目承担单位": "department",
    "评价机构": "evaluator",
    "评估机构": "evaluator",
    "评价机构全称": "evaluator",
    "评价机构名称": "evaluator",
    "评审机构名称": "evaluator",
    "第三方机构": "evaluator",
    "项目总金额": "funds_amount",
    "各级资金投入总数": "funds_amount",
    "决算金额": "final_accounts",
    "评价分值": "score",
    "评价得分": "score",
    "自评分值": "self_score",
    "自评得分": "self_score",
    "评价结论": "conclusion",
    "评价等级": "conclusion",
    "评价结果": "conclusion",
    "评估等级": "conclusion",
    "评估结论": "conclusion",
    "主要绩效": "performance",
    "存在问题": "problems",
    "整改建议": "suggestions",
    "整改情况": "rectification",
}
# The four grades of R11 and the words printed for them (优秀 → 优).
GRADE_WORDS: dict[str, str] = {
    "优秀": "优", "优": "优", "良好": "良", "良": "良", "中等": "中", "中": "中", "较差": "差", "差": "差",
}  # fmt: skip
# Words a sentence prints before the overall score (综合评分为97分, 评价总得分85分, 总得分为90.5分).
SCORE_WORDS = ("综合评分", "综合得分", "评价总得分", "评价得分", "评价总分", "总得分", "考核总分", "最终得分", "评价分值")
# Words a sentence prints before the grade (绩效评价等级为良好, 评估等级为“建议予以支持”).
GRADE_SENTENCE_WORDS = ("评价等级", "评估等级", "评定等级", "评价结论", "评估结论", "等级评定")
# The evaluation criteria of international lenders (ADB / World Bank: relevance, efficiency, effectiveness,
# sustainability), which loan-project results print instead of 决策 / 过程 / 产出 / 效益.
LENDER_CRITERIA = ("相关性", "效率", "效果", "可持续性", "影响")
# The suffixes that make a name an organisation (a 主管部门 or an evaluator), not a place or a sentence.
ORGANISATION_SUFFIXES = ("局", "委", "厅", "办", "院", "中心", "政府", "站", "所", "馆", "会", "部", "处", "公司", "合伙)")
# The section headings a report prints over its numbered problems and suggestions (二、评估意见 (一)… (二)…).
PROBLEM_HEADINGS = ("存在问题", "存在的问题", "主要问题", "评估意见", "评价意见", "问题及原因")
SUGGESTION_HEADINGS = ("改进建议", "整改建议", "意见建议", "相关建议", "工作建议")
