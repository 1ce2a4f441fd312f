"""References: rational units (the safe PAU of Molina et al., official code's formula)."""

from mpmath import mpf

from tests.reference import ref

# "pade_optimized_leakyrelu" coefficients of the official code (ml-research/pau)
NUMERATOR = (3.35583603e-02, 5.05000375e-01, 1.65343934e00, 2.01001052e00, 9.31901999e-01, 1.52424124e-01)
DENOMINATOR = (3.30847488e-06, 3.98021568e00, 5.12471206e-07, 3.01830109e-01)


@ref("pau", cases=[
    {'numerator': (0.0, 1.0, 0.5, -0.2, 0.1, 0.05), 'denominator': (0.5, -1.0, 0.2, 2.0)},
    {'numerator': (1.0, -2.0, 0.0, 0.0, 0.0, 0.0), 'denominator': (0.0, 0.0, 0.0, 0.0)},
])
def pau(x, numerator=NUMERATOR, denominator=DENOMINATOR):
    p = sum(mpf(a) * x**j for j, a in enumerate(numerator))
    q = 1 + sum(abs(mpf(b)) * abs(x) ** (k + 1) for k, b in enumerate(denominator))
    return p / q
