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
    # one example: seed 002 — the Shanghai 申报表 template's printed 项目类型 option
    "市委市政府已确定的新增项目",
    # one example: seed 002 — the Shanghai 申报表 template's printed 项目类型 option
    "结转项目",
    # one example: seed 002 — the Shanghai 申报表 template's printed 项目类型 option
    "其他一次性项目",
    # one example: seed 002 — the Shanghai 申报表 template's printed 项目类型 option
    "经常性专项业务费",
    "其他经常性项目",
)
# one example: seed 002 — the Shanghai 申报表 template's printed 资金用途 options
FUND_USES = ("基本建设工程类", "信息化建设类", "政策补贴类", "政府购买服务", "资产购置类", "其他事业专业类")

# --- The national 绩效目标表 (项目支出绩效目标表 / 绩效目标申报表 / 批复表) ------------------------------------------
# Header labels by the field they fill.  The provincial templates rename the same row (湖南 项目支出名称 / 预算部门 /
# 项目支出实施期, 重庆 项目(专项)名称 / 具体实施单位, 湖北 项目主管部门 / 项目执行单位); the lists hold the class.
# one example: r037, r201 — a provincial template's name for the 项目名称 row; the list holds the class
NATIONAL_PROJECT = ("项目名称", "项目支出名称", "项目(专项)名称", "专项名称")
NATIONAL_DEPARTMENT = (
    "主管部门",
    "主管部门及代码",
    # one example: r202 — a template's name for the 主管部门 row; the list holds the class
    "主管部门及其编码",
    "项目主管部门",
    "主管单位",
    # one example: none — a template's name for the 主管部门 row; the list holds the class
    "主管部门名称",
    "主管部门(单位)",
)
# The unit that carries the project out; 申报单位 only when none of these is printed (spec).
NATIONAL_UNIT = (
    "实施单位",
    "项目实施单位",
    # one example: r217 — a template's name for the 实施单位 row; the list holds the class
    "具体实施单位",
    # one example: r225 — a template's name for the 实施单位 row; the list holds the class
    "项目执行单位",
    # one example: r225 — a template's name for the 实施单位 row; the list holds the class
    "执行单位",
    # one example: r201 — a template's name for the 实施单位 row; the list holds the class
    "预算部门",
    "预算单位",
    # one example: none — a template's name for the 实施单位 row; the list holds the class
    "实施单位名称",
    # one example: none — a template's name for the 实施单位 row; the list holds the class
    "项目实施单位名称",
    "项目单位",
)
NATIONAL_APPLICANT = ("申报单位", "申报单位名称")
# one example: none — a template's name for the 年度资金总额 row; the list holds the class
NATIONAL_TOTAL = ("年度资金总额", "资金总额", "项目资金总额", "预算总额", "年度预算总额")
# one example: r201 — a template's name for the 本级预算 row; the list holds the class
NATIONAL_ANNUAL = ("年度本级预算金额", "本级预算金额", "年度预算金额")
NATIONAL_PERIOD = (
    "项目期",
    # one example: r201 — a wording of the 实施期 row (项目期 / 起止时间 class); the list holds it
    "项目支出实施期",
    "实施期",
    "起止时间",
    "项目起止时间",
    # one example: none — a wording of the 实施期 row (项目期 / 起止时间 class); the list holds it
    "实施周期",
    # one example: none — a wording of the 实施期 row (项目期 / 起止时间 class); the list holds it
    "项目周期",
    # one example: none — a wording of the 实施期 row (项目期 / 起止时间 class); the list holds it
    "实施期限",
    # one example: none — a wording of the 实施期 row (项目期 / 起止时间 class); the list holds it
    "项目期限",
    # one example: none — a wording of the 实施期 row (项目期 / 起止时间 class); the list holds it
    "项目实施期限",
    # one example: none — a wording of the 实施期 row (项目期 / 起止时间 class); the list holds it
    "项目实施期",
    # one example: none — a wording of the 实施期 row (项目期 / 起止时间 class); the list holds it
    "实施时间",
    # one example: none — a wording of the 实施期 row (项目期 / 起止时间 class); the list holds it
    "执行期限",
    # one example: none — a wording of the 实施期 row (项目期 / 起止时间 class); the list holds it
    "项目起止日期",
)
NATIONAL_OVERALL_GOAL = (
    "总体目标",
    # one example: r217 — a template's name for the 总体目标 row; the list holds the class
    "项目总体目标",
    # one example: r201 — a template's name for the 总体目标 row; the list holds the class
    "实施期绩效目标",
    # one example: none — a template's name for the 总体目标 row; the list holds the class
    "实施期目标",
    "长期目标",
    # one example: none — a template's name for the 总体目标 row; the list holds the class
    "中期目标",
    # one example: none — a template's name for the 总体目标 row; the list holds the class
    "绩效总目标",
)
# one example: r201 — a template's name for the 年度目标 row; the list holds the class
NATIONAL_ANNUAL_GOAL = ("年度目标", "本年度绩效目标", "项目年度目标", "年度绩效目标", "年度总体目标")
# Labels whose value no field takes: they end the value of the label before them.
NATIONAL_OTHER_LABELS = (
    "项目负责人",
    "项目负责人及电话",
    "联系电话",
    "项目属性",
    # one example: r223 — a template's row no field takes; listed so it ends the value before it
    "项目来源",
    "项目类别",
    "项目概况",
    # one example: r217 — a template's row no field takes; listed so it ends the value before it
    "项目概况及立项依据",
    "立项依据",
    # one example: r202 — a template's row no field takes; listed so it ends the value before it
    "项目实施进度计划",
    "项目实施内容",
    "开始时间",
    "完成时间",
    "结束时间",
    "项目绩效目标",
    "项目资金",
    # one example: r202 — a template's row no field takes; listed so it ends the value before it
    "项目资金申请",
    "资金情况",
    "其中:财政拨款",
    "财政拨款",
    "其他资金",
    "上年结转",
    "上年结转资金",
    "上级资金",
    # one example: r201 — a template's row no field takes; listed so it ends the value before it
    "该项目支出上级资金",
    "填报单位",
    "绩效指标",
    "年度绩效指标",
    # one example: r201 — a template's row no field takes; listed so it ends the value before it
    "本年度绩效指标",
)
# The indicator block's header: the category columns, the 三级 column, then the value columns by role.
NATIONAL_LEVEL_COLUMNS = ("一级指标", "二级指标")
# one example: r125 — a template's header of the indicator-name column
NATIONAL_NAME_COLUMNS = ("三级指标", "指标内容", "指标名称")
NATIONAL_VALUE_COLUMNS: dict[str, str] = {
    "指标值": "value",
    # one example: r201 — a template's header of an indicator column; the map holds the class
    "指标值及单位": "value",
    "年度指标值": "value",
    "指标目标值": "value",
    # one example: none — a template's header of an indicator column; the map holds the class
    "年度目标值": "value",
    # one example: none — a template's header of an indicator column; the map holds the class
    "预期目标值": "value",
    # one example: r018 — a template's header of an indicator column; the map holds the class
    "预期指标值": "value",
    # one example: none — a template's header of an indicator column; the map holds the class
    "绩效指标值": "value",
    "计量单位": "unit",
    # one example: none — a template's header of an indicator column; the map holds the class
    "指标单位": "unit",
    "度量单位": "unit",
    "指标性质": "op",
    "绩效标准": "standard",
    # one example: none — a template's header of an indicator column; the map holds the class
    "指标值设定依据": "standard",
    "备注": "note",
    "分值": "weight",
    "指标分值": "weight",
}
# What ends the indicator block.
NATIONAL_END = (
    # one example: r202 — a template's closing row after the indicators; the list holds the class
    "其他需说明的问题",
    # one example: r201 — a template's closing row after the indicators; the list holds the class
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
        # one example: none — a form title's word; one vote of the kind among the others
        "自评情况表",
        # one example: none — a form title's word; one vote of the kind among the others
        "自评结果表",
        # one example: none — issue 14 names it among the words to recognise; one vote of the kind
        "自评结果",
        "自评报告",
        # one example: none — issue 14 names it among the words to recognise; one vote of the kind
        "区域绩效目标自评表",
        "绩效自评",
    ),
    "target_declaration": (
        "绩效目标申报表",
        "绩效目标表",
        "绩效目标批复表",
        # one example: none — issue 14 names 审批表 among the titles to recognise; one vote of the kind
        "绩效目标审批表",
        # one example: r228 — a form title's word; one vote of the kind among the others
        "绩效目标设定表",
        "绩效目标设定",
        # one example: none — a form title's word; one vote of the kind among the others
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
        # one example: none — issue 14 names it among the words to recognise; one vote of the kind
        "评价指标表",
        # one example: none — a form title's word; one vote of the kind among the others
        "评价结果公示",
        # one example: none — a form title's word; one vote of the kind among the others
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
        # one example: none — issue 14 names it among the words to recognise; one vote of the kind
        "自评结果",
        "实际完成情况",
    ),
    "target_declaration": (
        "指标值",
        "年度目标",
        "总体目标",
        "绩效标准",
        "申报单位名称",
        # one example: seed 002 — a label of the kind's form; one vote among the others
        "分解目标内容",
        "指标目标值",
        "项目当年预算",
        # one example: r201 — a label of the kind's form; one vote among the others
        "实施期绩效目标",
        # one example: r202 — a label of the kind's form; one vote among the others
        "项目资金申请",
    ),
    "evaluation_result": (
        "评价结论",
        "评价等级",
        "评价分值",
        # one example: r115 — a label of the kind's form; one vote among the others
        "评价得分",
        "综合评分",
        "评价机构",
        # one example: none — a label of the kind's form; one vote among the others
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
    # one example: r213 — a result's label for the field (信息表, report cover); the map holds the class
    "项目承担单位": "department",
    "评价机构": "evaluator",
    # one example: r219 — a result's label for the field (信息表, report cover); the map holds the class
    "评估机构": "evaluator",
    # one example: r040 — a result's label for the field (信息表, report cover); the map holds the class
    "评价机构全称": "evaluator",
    # one example: none — a result's label for the field (信息表, report cover); the map holds the class
    "评价机构名称": "evaluator",
    # one example: r235 — a result's label for the field (信息表, report cover); the map holds the class
    "评审机构名称": "evaluator",
    # one example: none — a result's label for the field (信息表, report cover); the map holds the class
    "第三方机构": "evaluator",
    # one example: r213 — a result's label for the field (信息表, report cover); the map holds the class
    "项目总金额": "funds_amount",
    # one example: r040 — a result's label for the field (信息表, report cover); the map holds the class
    "各级资金投入总数": "funds_amount",
    "决算金额": "final_accounts",
    "评价分值": "score",
    # one example: r115 — a result's label for the field (信息表, report cover); the map holds the class
    "评价得分": "score",
    # one example: r040 — a result's label for the field (信息表, report cover); the map holds the class
    "自评分值": "self_score",
    "自评得分": "self_score",
    "评价结论": "conclusion",
    "评价等级": "conclusion",
    "评价结果": "conclusion",
    # one example: r219 — a result's label for the field (信息表, report cover); the map holds the class
    "评估等级": "conclusion",
    # one example: r219 — a result's label for the field (信息表, report cover); the map holds the class
    "评估结论": "conclusion",
    "主要绩效": "performance",
    "存在问题": "problems",
    "整改建议": "suggestions",
    "整改情况": "rectification",
    # the same rows as other 信息表 and provincial results print them
    "决算数": "final_accounts",
    # one example: seed 004 — a result's label for the field (信息表, report cover); the map holds the class
    "项目决算金额": "final_accounts",
    # one example: none — a result's label for the field (信息表, report cover); the map holds the class
    "决算金额合计": "final_accounts",
    # one example: none — a result's label for the field (信息表, report cover); the map holds the class
    "综合得分": "score",
    # one example: r213 — a result's label for the field (信息表, report cover); the map holds the class
    "主要成效": "performance",
    # one example: none — a result's label for the field (信息表, report cover); the map holds the class
    "主要绩效及成效": "performance",
    "存在的问题": "problems",
    # one example: none — a result's label for the field (信息表, report cover); the map holds the class
    "主要问题": "problems",
    # one example: none — a result's label for the field (信息表, report cover); the map holds the class
    "存在的主要问题": "problems",
    # one example: r219 — a result's label for the field (信息表, report cover); the map holds the class
    "改进建议": "suggestions",
    # one example: none — a result's label for the field (信息表, report cover); the map holds the class
    "意见建议": "suggestions",
    # one example: none — a result's label for the field (信息表, report cover); the map holds the class
    "整改意见": "suggestions",
    # one example: none — a result's label for the field (信息表, report cover); the map holds the class
    "整改落实情况": "rectification",
    # one example: none — a result's label for the field (信息表, report cover); the map holds the class
    "整改结果": "rectification",
}
# The columns of a table that lists several projects' results (评价结果汇总表 / 公示表), by EvaluationItem field.
EVALUATION_ITEM_COLUMNS: dict[str, str] = {
    "项目名称": "project",
    "项目": "project",
    # one example: r122 — a results list's header for the field; the map holds the class
    "评价项目": "project",
    "主管部门": "department",
    "部门": "department",
    "预算单位": "department",
    "单位名称": "department",
    "资金量": "funds_amount",
    "资金金额": "funds_amount",
    "项目资金": "funds_amount",
    # one example: r115 — a results list's header for the field; the map holds the class
    "评价得分": "score",
    "得分": "score",
    "评价分值": "score",
    # one example: none — a results list's header for the field; the map holds the class
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
    # one example: none — a sentence's word before the overall score; the list holds the class
    "综合得分",
    # one example: r210 — a sentence's word before the overall score; the list holds the class
    "评价总得分",
    # one example: r115 — a sentence's word before the overall score; the list holds the class
    "评价得分",
    # one example: none — a sentence's word before the overall score; the list holds the class
    "评价总分",
    "总得分",
    # one example: r210 — a sentence's word before the overall score; the list holds the class
    "考核总分",
    # one example: none — a sentence's word before the overall score; the list holds the class
    "最终得分",
    "评价分值",
    # one example: none — a sentence's word before the overall score; the list holds the class
    "评定得分",
    # one example: r115 — a sentence's word before the overall score; the list holds the class
    "绩效评价得分",
)
# Words a sentence prints before the grade (绩效评价等级为良好, 评估等级为“建议予以支持”).
GRADE_SENTENCE_WORDS = (
    "评价等级",
    # one example: r219 — a sentence's word before the grade; the list holds the class
    "评估等级",
    # one example: none — a sentence's word before the grade; the list holds the class
    "评定等级",
    "评价结论",
    # one example: r219 — a sentence's word before the grade; the list holds the class
    "评估结论",
    # one example: none — a sentence's word before the grade; the list holds the class
    "等级评定",
    # one example: none — a sentence's word before the grade; the list holds the class
    "绩效等级",
    # one example: none — a sentence's word before the grade; the list holds the class
    "综合等级",
)
# The evaluation criteria of international lenders (ADB / World Bank: relevance, efficiency, effectiveness,
# sustainability), which loan-project results print instead of 决策 / 过程 / 产出 / 效益.
# one example: seed 000 — one of the four lender criteria, printed as a set
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
# one example: r219 — a report's heading over its problems; the list holds the class
PROBLEM_HEADINGS = ("存在问题", "存在的问题", "主要问题", "评估意见", "评价意见", "问题及原因")
# one example: r219 — a report's heading over its suggestions; the list holds the class
SUGGESTION_HEADINGS = ("改进建议", "整改建议", "意见建议", "相关建议", "工作建议")

# --- Self-evaluation header labels and their synonyms (compared after key() folding) ---------------------------
# The transfer-payment self-evaluation (转移支付绩效自评表) names the same header fields differently: its project
# is the 转移支付(项目), its department the 地方主管部门 (the 中央主管部门 is the ministry above), its implementing
# unit the 资金使用单位.
# one example: none — the transfer-payment 自评表's project row (see above)
SE_PROJECT_LABELS = ("项目名称", "转移支付(项目)名称", "转移支付名称", "转移支付项目名称")
# one example: r107 — the transfer-payment 自评表's department row (see above)
SE_DEPARTMENT_LABELS = ("主管部门", "主管部门及代码", "地方主管部门")
# one example: r107 — the transfer-payment 自评表's unit row (see above)
SE_UNIT_LABELS = ("实施单位", "项目实施单位", "资金使用单位", "预算单位", "项目单位")
# one example: r107 — the transfer-payment 自评表's ministry row (see above)
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
    # one example: none — a provincial fund column's header; the map holds the class
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
    # one example: none — a provincial indicator column's header; the map holds the class
    "年度目标值": "target",
    # one example: r017 — a provincial indicator column's header (湖北 年初目标值(A)); the map holds the class
    "年初目标值": "target",
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
    # one example: none — a provincial indicator column's header; the map holds the class
    "偏差原因分析及改进情况": "deviation",
    "偏差原因": "deviation",
    # one example: r008 — a provincial indicator column's header; the map holds the class
    "未完成原因及拟采取的改进措施": "deviation",
    "未完成原因分析": "deviation",
}
# The 年度总体目标 block: its row label, and the headers of its two columns (expected · actual).
SE_GOAL_LABELS = ("年度总体目标", "年度总体目标完成情况", "总体目标")
SE_GOAL_EXPECTED = ("预期目标", "预算目标", "年初设定目标")
# one example: r008 — a provincial header of the goal's actual column
SE_GOAL_ACTUAL = ("实际完成情况", "实际完成", "年度总体目标完成情况综述")
# The label cell that opens the fund table's header row (项目资金(万元) in the 10号 form, 年度预算数(万元) in the
# Sichuan one, 资金情况 in the provincial ones).
# one example: r124 — a fund table's opening label (see above); the list holds the class
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
# one example: none — a wording of the period row; the list holds the class
SE_PERIOD_LABELS = ("项目起止时间", "起止时间", "项目实施期")

# The labels that text extraction glues onto their values (``项目名称X主管部门Y``): the printed forms, with their
# brackets and colons, that forms.glue splits a run of text at, longest first.  The header fields they fill are
# the lists above; this list is what a glued line prints, so it keeps the bracketed variants as printed.
GLUED_LABELS = (
    "项目名称",
    "主管部门及代码",
    # one example: r107 — a label of the lists above as a glued line prints it
    "中央主管部门",
    # one example: r107 — a label of the lists above as a glued line prints it
    "地方主管部门",
    "主管部门",
    # one example: r107 — a label of the lists above as a glued line prints it
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
    # one example: r014 — a label of the lists above as a glued line prints it
    "得分计算方法",
    "年度资金总额:",
    "年度资金总额",
    # one example: r014 — a label of the lists above as a glued line prints it
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
