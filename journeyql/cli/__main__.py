"""``python -m journeyql.cli``: the same as the ``journeyql`` console script."""

from . import console

console()
