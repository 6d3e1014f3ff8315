"""The yearly cycle's people and rules: organisations, roles, who may do what, and the review workflow.

Pure library code (no store, no web): the web application and the CLI hold the state and call these to decide.

* :mod:`jixiao.cycle.orgs`: the organisation tree (财政局 → 业务处室; 主管部门 → 实施单位), read from CSV.
* :mod:`jixiao.cycle.access`: roles scoped to a subtree, the one ``can(actor, action, form)`` and the one scope
  filter that every list, JSON twin and export goes through.
* :mod:`jixiao.cycle.workflow`: 草稿 → 待审核 → 已审核 → 锁定 → 公开, with 送审, 撤销送审, 退回, 审核通过, 取消审核,
  解锁 and 公开, each step an audit entry.
* :mod:`jixiao.cycle.passwords`: argon2 password hashes and the login throttle.
"""
