"""The built-in check groups: ``values`` (C-VAL), ``self_eval`` (C-SE), ``declaration`` (C-TD), ``result`` (C-ER).

Each group's ``__init__`` lists its checks explicitly through the ``jixiao_checks`` hook; see
:mod:`jixiao.rules.registry`.
"""
