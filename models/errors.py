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


class GalleryStoreError(ModelsError):
    """A stored gallery file cannot be read, written or used (missing, not a gallery, bad key file)."""


class GalleryIntegrityError(GalleryStoreError):
    """The gallery file fails its AES-GCM check: altered, truncated or corrupted since it was written."""


class GalleryKeyError(GalleryStoreError):
    """The key file does not open this gallery (a different key), or is unusable (size, permissions)."""


class GalleryPackError(GalleryStoreError):
    """The gallery was made for another model pack: its embeddings mean nothing to the pack in use."""
