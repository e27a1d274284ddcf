"""Errors of the models package.

`models` imports nothing of ours, so it cannot raise the CLI's `UserError`; the CLI maps
these to it. Each message is one line a person can act on.
"""

from __future__ import annotations


class ModelsError(Exception):
    """Base class: something about a model pack or an input image a person must fix."""


class PackError(ModelsError):
    """A pack cannot be installed or loaded: unknown id, missing source, bad digest, bad manifest."""


class ImageError(ModelsError):
    """An image cannot be read, or holds no usable face where one is required."""
