"""The directory (annuaire): structures and professionals from national registries (FINESS, RPPS…).

Registry data is professional information, readable by every signed-in user; imports are done by
the network administration with ``virage import <source> PATH``. Sources are contributed by plugins
through the ``register_directory_sources`` hook (see :mod:`virage.directory.sources`).
"""
