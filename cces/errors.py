"""Errors a person made (bad config, bad argument): printed as one line, exit code 2."""

from __future__ import annotations


class UserError(Exception):
    pass
