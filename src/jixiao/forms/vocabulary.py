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

# --- The national 绩效目标表 (项目支出绩效目标表 / 绩效目标申报表 / 批复表) ------------------------------------------
# Header labels by the field they fill.  The provincial templates rename the same row (湖南 项目支出名称 / 预算部门 /
# 项目支出实施期, 重庆 项目(专项)名称 / 具体实施单位, 湖北 项目主管部门 / 项目执行单位); the lists hold the class.
NATIONAL_PROJECT = ("项目名称", "项目支出名称", "项目(专项)名称", "专项名称")
NATIONAL_DEPARTMENT = (
    "主管部门",
    "主管部门及代码",
    "主管部门及其编码",
    "项目主管部门",
    "主管单位",
    "主管部门名称",
    "主管部门(单位)",
)
# The unit that carries the project out; 申报单位 only when none of these is printed (spec).
NATIONAL_UNIT = (
    "实施单位",
    "项目实施单位",
    "具体实施单位",
    "项目执行单位",
    "执行单位",
    "预算部门",
    "预算单位",
    "实施单位名称",
    "项目实施单位名称",
    "项目单位",
)
NATIONAL_APPLICANT = ("申报单位", "申报单位名称")
NATIONAL_TOTAL = ("年度资金总额", "资金总额", "项目资金总额", "预算总额", "年度预算总额")
NATIONAL_ANNUAL = ("年度本级预算金额", "本级预算金额", "年度预算金额")
NATIONAL_PERIOD = (
    "项目期",
    "项目支出实施期",
    "实施期",
    "起止时间",
    "项目起止时间",
    "实施周期",
    "项目周期",
    "实施期限",
    "项目期限",
    "项目实施期限",
    "项目实施期",
    "实施时间",
    "执行期限",
    "项目起止日期",
)
NATIONAL_OVERALL_GOAL = (
    "总体目标",
    "项目总体目标",
    "实施期绩效目标",
    "实施期目标",
    "长期目标",
    "中期目标",
    "绩效总目标",
)
NATIONAL_ANNUAL_GOAL = ("年度目标", "本年度绩效目标", "项目年度目标", "年度绩效目标", "年度总体目标")
# Labels whose value no field takes: they end the value of the label before them.
NATIONAL_OTHER_LABELS = (
    "项目负责人",
    "项目负责人及电话",
    "联系电话",
    "项目属性",
    "项目来源",
    "项目类别",
    "项目概况",
    "项目概况及立项依据",
    "立项依据",
    "项目实施进度计划",
    "项目实施内容",
    "开始时间",
    "完成时间",
    "结束时间",
    "项目绩效目标",
    "项目资金",
    "项目资金申请",
    "资金情况",
    "其中:财政拨款",
    "财政拨款",
    "其他资金",
    "上年结转",
    "上年结转资金",
    "上级资金",
    "该项目支出上级资金",
    "填报单位",
    "绩效指标",
    "年度绩效指标",
    "本年度绩效指标",
)
# The indicator block's header: the category columns, the 三级 column, then the value columns by role.
NATIONAL_LEVEL_COLUMNS = ("一级指标", "二级指标")
NATIONAL_NAME_COLUMNS = ("三级指标", "指标内容", "指标名称")
NATIONAL_VALUE_COLUMNS: dict[str, str] = {
    "指标值": "value",
    "指标值及单位": "value",
    "年度指标值": "value",
    "指标目标值": "value",
    "年度目标值": "value",
    "预期目标值": "value",
    "预期指标值": "value",
    "绩效指标值": "value",
    "计量单位": "unit",
    "指标单位": "unit",
    "度量单位": "unit",
    "指标性质": "op",
    "绩效标准": "standard",
    "指标值设定依据": "standard",
    "备注": "note",
    "分值": "weight",
    "指标分值": "weight",
}
# What ends the indicator block.
NATIONAL_END = (
    "其他需说明的问题",
    "财政部门审核意见",
    "审核意见",
    "填表人",
    "填报人",
    "附件",
    # a government site's footer, "scan to open this page on your phone", worded several ways (在手机打开当前页,
    # 在手机上查看当前页面): matched by its opening words (a label ends the block when its key starts so)
    "扫一扫在手机",
)
# Annotations printed after a category label: 数量指标 (必填硬性指标), 经济效益指标 (选填).
CATEGORY_NOTES = ("必填", "选填", "核心", "硬性")

# --- The kind vote: words whose presence is evidence of a kind ------------------------------------------------------
# (word, weight): a title word decides more than a column header; a header more than a word in the text.
KIND_TITLE_EVIDENCE: dict[str, tuple[str, ...]] = {
    "self_evaluation": (
        "自评表",
        "自评情况表",
        "自评结果表",
        "自评结果",
        "自评报告",
        "区域绩效目标自评表",
        "绩效自评",
    ),
    "target_declaration": (
        "绩效目标申报表",
        "绩效目标表",
        "绩效目标批复表",
        "绩效目标审批表",
        "绩效目标设定表",
        "绩效目标设定",
        "绩效目标公示",
        "目标申报表",
        "批复表",
        "审批表",
    ),
    "evaluation_result": (
        "绩效评价结果信息表",
        "评价结果信息表",
        "绩效评价报告",
        "评价结果",
        "评价指标表",
        "评价结果公示",
        "评价情况表",
    ),
}
KIND_CONTENT_EVIDENCE: dict[str, tuple[str, ...]] = {
    "self_evaluation": (
        "实际完成值",
        "完成值",
        "全年执行数",
        "执行数",
        "执行率",
        "偏差原因分析及改进措施",
        "偏差原因",
        "自评得分",
        "自评结果",
        "实际完成情况",
    ),
    "target_declaration": (
        "指标值",
        "年度目标",
        "总体目标",
        "绩效标准",
        "申报单位名称",
        "分解目标内容",
        "指标目标值",
        "项目当年预算",
        "实施期绩效目标",
        "项目资金申请",
    ),
    "evaluation_result": (
        "评价结论",
        "评价等级",
        "评价分值",
        "评价得分",
        "综合评分",
        "评价机构",
        "评价组织单位",
        "决算金额",
        "整改建议",
    ),
}

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
    # the same rows as other 信息表 and provincial results print them
    "决算数": "final_accounts",
    "项目决算金额": "final_accounts",
    "决算金额合计": "final_accounts",
    "综合得分": "score",
    "主要成效": "performance",
    "主要绩效及成效": "performance",
    "存在的问题": "problems",
    "主要问题": "problems",
    "存在的主要问题": "problems",
    "改进建议": "suggestions",
    "意见建议": "suggestions",
    "整改意见": "suggestions",
    "整改落实情况": "rectification",
    "整改结果": "rectification",
}
# The columns of a table that lists several projects' results (评价结果汇总表 / 公示表), by EvaluationItem field.
EVALUATION_ITEM_COLUMNS: dict[str, str] = {
    "项目名称": "project",
    "项目": "project",
    "评价项目": "project",
    "主管部门": "department",
    "部门": "department",
    "预算单位": "department",
    "单位名称": "department",
    "资金量": "funds_amount",
    "资金金额": "funds_amount",
    "项目资金": "funds_amount",
    "评价得分": "score",
    "得分": "score",
    "评价分值": "score",
    "综合得分": "score",
    "评价等级": "conclusion",
    "等级": "conclusion",
    "评价结论": "conclusion",
    "评价结果": "conclusion",
}
# The four grades of R11 and the words printed for them (优秀 → 优).
GRADE_WORDS: dict[str, str] = {
    "优秀": "优", "优": "优", "良好": "良", "良": "良", "中等": "中", "中": "中", "较差": "差", "差": "差",
}  # fmt: skip
# Words a sentence prints before the overall score (综合评分为97分, 评价总得分85分, 总得分为90.5分).
SCORE_WORDS = (
    "综合评分",
    "综合得分",
    "评价总得分",
    "评价得分",
    "评价总分",
    "总得分",
    "考核总分",
    "最终得分",
    "评价分值",
    "评定得分",
    "绩效评价得分",
)
# Words a sentence prints before the grade (绩效评价等级为良好, 评估等级为“建议予以支持”).
GRADE_SENTENCE_WORDS = (
    "评价等级",
    "评估等级",
    "评定等级",
    "评价结论",
    "评估结论",
    "等级评定",
    "绩效等级",
    "综合等级",
)
# The evaluation criteria of international lenders (ADB / World Bank: relevance, efficiency, effectiveness,
# sustainability), which loan-project results print instead of 决策 / 过程 / 产出 / 效益.
LENDER_CRITERIA = ("相关性", "效率", "效果", "可持续性", "影响")
# The suffixes that make a name an organisation (a 主管部门 or an evaluator), not a place or a sentence.
ORGANISATION_SUFFIXES = (
    "局",
    "委",
    "厅",
    "办",
    "院",
    "中心",
    "政府",
    "站",
    "所",
    "馆",
    "会",
    "部",
    "处",
    "公司",
    "合伙)",
)
# The section headings a report prints over its numbered problems and suggestions (二、评估意见 (一)… (二)…).
PROBLEM_HEADINGS = ("存在问题", "存在的问题", "主要问题", "评估意见", "评价意见", "问题及原因")
SUGGESTION_HEADINGS = ("改进建议", "整改建议", "意见建议", "相关建议", "工作建议")

# --- Self-evaluation header labels and their synonyms (compared after key() folding) ---------------------------
# The transfer-payment self-evaluation (转移支付绩效自评表) names the same header fields differently: its project
# is the 转移支付(项目), its department the 地方主管部门 (the 中央主管部门 is the ministry above), its implementing
# unit the 资金使用单位.
SE_PROJECT_LABELS = ("项目名称", "转移支付(项目)名称", "转移支付名称", "转移支付项目名称")
SE_DEPARTMENT_LABELS = ("主管部门", "主管部门及代码", "地方主管部门")
SE_UNIT_LABELS = ("实施单位", "项目实施单位", "资金使用单位", "预算单位", "项目单位")
SE_OTHER_HEADER_LABELS = ("中央主管部门",)

# --- Self-evaluation column headers by the field they fill (compared after ``common.column_key``) ---------------
# The Shanghai seeds, the national 10号 form (its (A)/(B)/(B/A) letters are folded off by column_key) and the
# provincial forms (调整后预算数 · 实际执行数 · 权重 · 预算执行率 in the funds; 指标值 · 完成值 · 权重 · 偏差原因 in the
# indicators) name the same columns; one table serves the grid parser and the stream parser.
SE_FUND_COLUMNS: dict[str, str] = {
    "年初预算数": "initial_budget",
    "年初预算": "initial_budget",
    "全年预算数": "annual_budget",
    "调整后预算数": "annual_budget",
    "全年执行数": "executed",
    "实际执行数": "executed",
    "预算执行数": "executed",
    "分值": "weight",
    "分数": "weight",
    "权重": "weight",
    "执行率": "execution_rate",
    "预算执行率": "execution_rate",
    "得分": "score",
}
SE_INDICATOR_COLUMNS: dict[str, str] = {
    "三级指标": "name",
    "年度指标值": "target",
    "指标值": "target",
    "年度目标值": "target",
    "指标性质": "target_op",  # Sichuan/Yunnan forms split the target: 指标性质 | 指标值 | 度量单位
    "度量单位": "target_unit",
    "实际完成值": "actual",
    "全年实际值": "actual",
    "实际值": "actual",
    "完成值": "actual",
    "分值": "weight",
    "分数": "weight",
    "权重": "weight",
    "得分": "score",
    "偏差原因分析及改进措施": "deviation",
    "偏差原因分析及改进情况": "deviation",
    "偏差原因": "deviation",
    "未完成原因及拟采取的改进措施": "deviation",
    "未完成原因分析": "deviation",
}
# The 年度总体目标 block: its row label, and the headers of its two columns (expected · actual).
SE_GOAL_LABELS = ("年度总体目标", "年度总体目标完成情况", "总体目标")
SE_GOAL_EXPECTED = ("预期目标", "预算目标", "年初设定目标")
SE_GOAL_ACTUAL = ("实际完成情况", "实际完成", "年度总体目标完成情况综述")
# The label cell that opens the fund table's header row (项目资金(万元) in the 10号 form, 年度预算数(万元) in the
# Sichuan one, 资金情况 in the provincial ones).
SE_FUND_HEADER_LABELS = ("项目资金", "资金情况", "年度预算数", "资金投入情况", "预算执行情况")
# The 项目基本概况 block of a self-evaluation report (湖南 自评报告): each amount printed as label · value, the columns
# of one fund table; the funding sources below repeat their label once per column (a merged cell exported with
# every cell it spans).  None: a column no field takes (到位, 结余).
SE_FUND_AMOUNT_LABELS: dict[str, str | None] = {
    "计划安排资金": "annual_budget",
    "实际到位资金": None,
    "实际支出": "executed",
    "结余": None,
}
SE_PERIOD_LABELS = ("项目起止时间", "起止时间", "项目实施期")

# The labels that text extraction glues onto their values (``项目名称X主管部门Y``): the printed forms, with their
# brackets and colons, that forms.glue splits a run of text at, longest first.  The header fields they fill are
# the lists above; this list is what a glued line prints, so it keeps the bracketed variants as printed.
GLUED_LABELS = (
    "项目名称",
    "主管部门及代码",
    "中央主管部门",
    "地方主管部门",
    "主管部门",
    "资金使用单位",
    "项目实施单位",
    "实施单位",
    "项目类别",
    "项目属性",
    "项目类型",
    "项目资金(万元)",
    "项目资金(元)",
    "资金情况(万元)",
    "预算执行情况",
    "年初预算数(A)",
    "年初预算数",
    "全年预算数(A)",
    "全年预算数",
    "全年执行数(B)",
    "全年执行数",
    "分值(10分)",
    "执行率(B/A)",
    "执行率",
    "得分计算方法",
    "年度资金总额:",
    "年度资金总额",
    "其中:本年一般公共预算拨款",
    "其中:本年财政拨款",
    "其中:当年财政拨款",
    "上年结转资金",
    "其他资金",
    "年度总体目标",
    "预期目标",
    "实际完成情况",
    "绩效指标",
    "一级指标",
    "二级指标",
    "三级指标",
    "年度指标值(A)",
    "年度指标值",
    "全年实际值(B)",
    "全年实际值",
    "实际完成值",
    "未完成原因分析",
    "偏差原因分析及改进措施",
    "总分",
)
