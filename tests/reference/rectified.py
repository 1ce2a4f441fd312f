"""References: rectified units."""

from mpmath import mpf

from tests.reference import ref


@ref("relu")
def relu(x):
    return x if x > 0 else mpf(0)
