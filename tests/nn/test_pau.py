"""Safe PAU: least-squares initialisation, the safe denominator, and the module."""

from __future__ import annotations

import pytest
import torch

import actlab
from actlab.catalog.registry import REGISTRY
from actlab.nn import PAU, fit_pau

# Max |PAU(x) - f(x)| on 20001 points of [-3, 3] for the default (5, 4) fit, measured on this code:
# leaky_relu 0.0298 (the paper's published coefficients: 0.0336), gelu 0.00285, tanh 2.4e-6.
FIT_BOUNDS = {"leaky_relu": 0.031, "gelu": 0.0035, "tanh": 5e-6}


@pytest.mark.parametrize("target", sorted(FIT_BOUNDS))
def test_fit_error_on_minus3_3(target):
    fit = fit_pau(target)
    assert fit.m == 5 and fit.n == 4 and fit.interval == (-3.0, 3.0)
    assert fit.max_error < FIT_BOUNDS[target], f"{target}: max error {fit.max_error:.3g}"
    assert all(b >= 0 for b in fit.denominator)
    # the reported error is the real one: re-evaluate independently on a shifted grid
    x = torch.linspace(-3, 3, 7919, dtype=torch.float64)
    pau = PAU(numerator=fit.numerator, denominator=fit.denominator).double()
    with torch.no_grad():
        err = (pau(x) - REGISTRY[target].fn(x, **REGISTRY[target].defaults)).abs().max()
    assert float(err) <= fit.max_error * 1.01 + 1e-12


def test_default_fit_beats_the_published_leaky_relu_init():
    x = torch.linspace(-3, 3, 20001, dtype=torch.float64)
    spec = REGISTRY["pau"]
    published = (spec.fn(x, **spec.defaults) - REGISTRY["leaky_relu"].fn(x, negative_slope=0.01)).abs()
    assert fit_pau().max_error <= float(published.max())


def test_fit_is_cached_per_target_degrees_interval():
    a = fit_pau("tanh", 3, 2)
    assert fit_pau("tanh", 3, 2, (-3, 3)) is a
    assert fit_pau("tanh", 3, 2, (-2, 2)) is not a
    assert fit_pau("leaky_relu", negative_slope=0.2) is not fit_pau("leaky_relu")
    assert len(a.numerator) == 4 and len(a.denominator) == 2


def test_denominator_is_safe_for_any_coefficients():
    pau = PAU(numerator=[0.0, 1.0, 0.0, 0.0], denominator=[-5.0, -2.0, 3.0]).double()
    x = torch.linspace(-50, 50, 10001, dtype=torch.float64, requires_grad=True)
    y = pau(x)
    q = 1 + 5 * x.abs() + 2 * x.abs() ** 2 + 3 * x.abs() ** 3
    torch.testing.assert_close(y, x / q)
    y.sum().backward()
    assert torch.isfinite(x.grad).all()


def test_pau_module_and_registry():
    pau = PAU(init="gelu")
    assert pau.fit is not None and pau.fit.target == "gelu" and "max_error" in repr(pau)
    assert pau.numerator.shape == (6,) and pau.denominator.shape == (4,)
    small = PAU(3, 2, init="tanh", interval=(-2.0, 2.0))
    assert small.m == 3 and small.n == 2
    x = torch.linspace(-2, 2, 101)
    assert (small(x) - torch.tanh(x)).abs().max() < 0.01
    learn = actlab.get("pau", trainable=True)
    assert isinstance(learn, PAU)
    torch.testing.assert_close(learn.numerator, torch.tensor(REGISTRY["pau"].defaults["numerator"]))
    assert isinstance(actlab.get("pau", trainable=True, init="tanh", m=4, n=4), PAU)
    assert not isinstance(actlab.get("pau"), PAU)  # the fixed catalog function
    with pytest.raises(ValueError, match="both"):
        PAU(numerator=[1.0])


def test_pau_learns_a_new_shape():
    """Start from LeakyReLU and train the 10 coefficients towards |x|: the error falls."""
    pau = PAU()
    x = torch.linspace(-3, 3, 301)
    opt = torch.optim.Adam(pau.parameters(), lr=0.02)
    first = None
    for _ in range(150):
        opt.zero_grad()
        loss = (pau(x) - x.abs()).pow(2).mean()
        loss.backward()
        opt.step()
        first = loss.item() if first is None else first
    assert loss.item() < 0.05 * first
