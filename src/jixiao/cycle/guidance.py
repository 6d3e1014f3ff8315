"""The 财预〔2021〕101号 guidance shown beside each row of a declaration draft: what a good indicator of its
category looks like, written once as data from the spec (``shared/spec/rules.md`` R14–R16) and the C-TD checks
that hold a declaration to it.  Nothing here is a rule of its own: every line names the rule or check it restates.
"""

from __future__ import annotations

from dataclasses import dataclass

from jixiao.model import Indicator
from jixiao.rules.checks._common import category

__all__ = ["GENERAL", "GUIDANCE", "Guidance", "guidance_for"]


@dataclass(frozen=True, slots=True)
class Guidance:
    """The help for one category: a title, what a good row holds, and what to avoid, each line with its source."""

    category: str
    title: str
    good: tuple[str, ...]
    avoid: tuple[str, ...]

    def to_dict(self) -> dict[str, object]:
        return {
            "category": self.category,
            "title": self.title,
            "good": list(self.good),
            "avoid": list(self.avoid),
        }


# Said of every row (R14, R16 细化量化 / 量化易评; C-TD-01, C-TD-02, C-TD-03).
GENERAL: tuple[str, ...] = (
    "每行都要有一级、二级、三级指标名称和指标值（R14；C-TD-01）",
    "能量化的用「≥ / ≤ / = 数值 + 度量单位」表述，如「≥200人次」「≤5000元/人」（R16 细化量化、量化易评；C-TD-02）",
    "不能量化的用分级分档的定性表述（达到 / 基本达到 / 未达到，好 / 较好 / 一般 / 差），"
    "不用「进一步提升」「明显改善」「有效保障」等无基准的措辞（R16；C-TD-03）",
    "指标值的依据：计划标准、行业标准、历史标准（近年实际，应体现提高）或财政认可的其他标准（R16）",
)

GUIDANCE: dict[str, Guidance] = {
    "产出": Guidance(
        "产出",
        "产出指标：这笔钱直接产出的数量、质量、时效",
        (
            "数量：提供的产品或服务的数目，如培训人次、课程门数，方向为「≥」（R15；C-TD-07）",
            "质量：达到的标准或水平，如合格率、验收通过率（R15）",
            "时效：完成的时限，如「2025年12月底前」（R15、R16）",
            "至少各有一项数量、质量、时效指标（R16；C-TD-04）",
        ),
        (
            "把预算执行率、资金到位率、资金拨付及时性、制度健全性、绩效管理覆盖率、自评按时完成等过程或内部管理事项"
            "当作产出（R16 重点突出；C-TD-05）",
            "数量类指标用「≤」（方向错误，R16；C-TD-07）",
        ),
    ),
    "成本": Guidance(
        "成本",
        "成本指标：经济成本、社会成本、生态环境成本",
        (
            "用单位成本（元/人次、元/课时）或有依据的总成本表述（R16）",
            "101号把成本列为单独的一级指标；产出 + 成本合计 50 分（R2、R15）",
        ),
        ("「成本控制率 ≤100%」「不超过预算」「符合规定」等同义反复的成本指标（R16；C-TD-06）",),
    ),
    "效益": Guidance(
        "效益",
        "效益指标：经济效益、社会效益、生态效益、可持续影响",
        (
            "写这笔钱带来的结果，而不是做了什么；能量化的给出基准和目标值（R16 高度关联、量化易评）",
            "至少有一项效益指标（R16；C-TD-04）",
        ),
        (
            "「进一步提升」「明显改善」等没有基准或分档的措辞（R16；C-TD-03）",
            "整个部门而非本项目资金的指标，或与其他指标重复（R16；C-TD-13）",
        ),
    ),
    "满意度": Guidance(
        "满意度",
        "满意度指标：服务对象满意度",
        (
            "直接面向公众或明确服务对象的项目应设满意度指标（R16；C-TD-04）",
            "目标值在 (0, 100%] 之内，一般不低于 80%（R16；C-TD-08）",
        ),
        (
            "满意度目标为 0、超过 100% 或异常偏低（R16；C-TD-08）",
            "把信访投诉数量等放在满意度下（归类错误，R16；C-TD-12）",
        ),
    ),
    "过程": Guidance(
        "过程",
        "投入和管理目标（上海 2018 申报表）",
        (
            "预算执行、资金管理、制度建设等过程事项只在这一组填写（R15；C-TD-05）",
            "投入和管理目标不在自评中评分（R15）",
        ),
        (),
    ),
}


def guidance_for(ind: Indicator) -> Guidance | None:
    """The help for a row's category (by :func:`jixiao.rules.checks._common.category`), None for a row whose
    category is not known yet (no 一级指标)."""
    return GUIDANCE.get(category(ind))
