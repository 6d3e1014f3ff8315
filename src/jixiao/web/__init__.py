"""The web application (``jixiao serve``): the store in the browser, Chinese first, with a JSON twin of every
page.  ``create_app(db)`` builds it; see :mod:`jixiao.web.app`."""

from __future__ import annotations

from jixiao.web.app import create_app

__all__ = ["create_app"]
