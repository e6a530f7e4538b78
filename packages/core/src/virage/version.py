"""Versions: of the core package, and of the public door for plugins (:mod:`virage.sdk`).

The SDK follows semantic versioning: a minor version adds names, a major version may remove or
change them. Plugins declare the range they support (``VIRAGE_SDK = ">=1,<2"``).
"""

SDK_VERSION = "1.10"
