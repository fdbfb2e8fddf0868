"""The language: scanner, parser, syntax tree, binder, resolver, schema, the typed model and
the formatter. It knows nothing of files, settings or plugins (that is ``workspace`` and ``host``).
"""
