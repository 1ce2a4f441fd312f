"""``actlab search``: automated discovery of activation functions, deduplicated against the catalog.

- :mod:`~actlab.search.expr`: the expression language (parse, print, LaTeX, compile);
- :mod:`~actlab.search.fingerprint` and :mod:`~actlab.search.identify`: which known function is this?
- :mod:`~actlab.search.reject`: cheap rejection before training;
- :mod:`~actlab.search.space`: the search space (core units ``binary(unary, unary)``);
- :mod:`~actlab.search.engine`: exhaustive, random and evolutionary search with successive halving,
  every evaluation a bench run in the bench store;
- :mod:`~actlab.search.results`: the report section and ``actlab search export``.

Importing this package registers the bench's ``"expr:<expression>"`` activation prefix.
"""

from actlab.bench.activations import register_prefix
from actlab.bench.report import SECTIONS
from actlab.search.expr import Expression, ExpressionSyntaxError, parse
from actlab.search.fingerprint import Fingerprint, fingerprint
from actlab.search.identify import Identity, identify
from actlab.search.register import expression_factory, expression_module, expression_spec, register_expression
from actlab.search.reject import Verdict, check

register_prefix("expr", expression_factory)


def _report_section(store, out_dir):  # noqa: ANN001, ANN202 - the bench's hook signature
    """``actlab report``: one subsection per search in the store (see :mod:`actlab.search.results`)."""
    from actlab.search.results import search_section

    return search_section(store, out_dir)


if _report_section not in SECTIONS:
    SECTIONS.append(_report_section)

__all__ = [
    "Expression",
    "ExpressionSyntaxError",
    "Fingerprint",
    "Identity",
    "Verdict",
    "check",
    "expression_module",
    "expression_spec",
    "fingerprint",
    "identify",
    "parse",
    "register_expression",
]
