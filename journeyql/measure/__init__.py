"""Measurement: survey items, response data (read and validated in DuckDB), the analysis of the
answers and its reports, and simulated responses. The heavy extras (``journeyql[measure]``: DuckDB,
pyarrow, numpy) are imported here and nowhere in the core, and only inside the functions
that need them: ``items`` and ``results`` are light, so renderers can use them on any install.
"""
