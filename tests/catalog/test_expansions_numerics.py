"""Expansions (catalog/expansions.py): the written-out default coefficients are what their notes say
they are (projections, fits, kernel ridge solutions, Fourier coefficients), recomputed here from their
definitions; the branches the implementations switch between join; huge inputs stay finite."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from actlab.catalog import expansions as ex
from actlab.catalog.registry import REGISTRY


def _quad(f, lo: float, hi: float, n: int = 200001) -> float:
    x = np.linspace(lo, hi, n)
    return float(np.trapezoid(f(x), x))


def test_polynomial_defaults_are_the_relu_projections():
    relu = lambda x: np.maximum(x, 0.0)  # noqa: E731
    # Legendre, uniform weight on [-1, 1]: a_j = (2j + 1)/2 ∫ relu P_j
    p = [lambda x: np.ones_like(x), lambda x: x, lambda x: (3 * x**2 - 1) / 2,
         lambda x: (5 * x**3 - 3 * x) / 2]
    leg = [(2 * j + 1) / 2 * _quad(lambda x, j=j: relu(x) * p[j](x), -1, 1) for j in range(4)]
    np.testing.assert_allclose(leg, ex.LPAF_INIT, atol=1e-9)
    # Chebyshev, weight 1/sqrt(1 - x²): x = cos θ, a_0 = (1/π)∫ relu(cos θ) dθ,
    # a_j = (2/π)∫ relu(cos θ) cos jθ dθ
    cheb = [(1 if j == 0 else 2) / math.pi * _quad(lambda t, j=j: relu(np.cos(t)) * np.cos(j * t), 0, math.pi)
            for j in range(4)]
    np.testing.assert_allclose(cheb, ex.CHPAF_INIT, atol=1e-9)
    # physicists' Hermite, weight e^{-x²}: a_j = ∫ relu H_j e^{-x²} / (√π 2^j j!)
    h = [lambda x: np.ones_like(x), lambda x: 2 * x, lambda x: 4 * x**2 - 2, lambda x: 8 * x**3 - 12 * x]
    her = [_quad(lambda x, j=j: relu(x) * h[j](x) * np.exp(-x * x), -12, 12) / (math.sqrt(math.pi) * 2**j
           * math.factorial(j)) for j in range(4)]
    np.testing.assert_allclose(her, ex.HPAF_INIT, atol=1e-9)
    # monomials: the standard-normal (probabilists' Hermite) projection, rewritten in powers of x
    he = [lambda x: np.ones_like(x), lambda x: x, lambda x: x**2 - 1, lambda x: x**3 - 3 * x]
    phi = lambda x: np.exp(-x * x / 2) / math.sqrt(2 * math.pi)  # noqa: E731
    c = [_quad(lambda x, j=j: relu(x) * he[j](x) * phi(x), -12, 12) / math.factorial(j) for j in range(4)]
    mono = (c[0] - c[2], c[1] - 3 * c[3], c[2], c[3])
    np.testing.assert_allclose(mono, ex.SLAF_INIT, atol=1e-9)


def test_fourier_defaults_are_relu_fourier_coefficients():
    relu = lambda x: np.maximum(x, 0.0)  # noqa: E731
    a0 = _quad(relu, -math.pi, math.pi) / (2 * math.pi)
    b = [_quad(lambda x, j=j: relu(x) * np.cos(j * x), -math.pi, math.pi) / math.pi for j in range(1, 6)]
    c = [_quad(lambda x, j=j: relu(x) * np.sin(j * x), -math.pi, math.pi) / math.pi for j in range(1, 6)]
    spec = REGISTRY["fourier_series_activation"]
    np.testing.assert_allclose(a0, spec.defaults["a"], atol=1e-8)
    np.testing.assert_allclose(b, spec.defaults["cos_coefficients"], atol=1e-8)
    np.testing.assert_allclose(c, spec.defaults["sin_coefficients"], atol=1e-8)


def test_kaf_defaults_are_the_kernel_ridge_fit_of_softplus():
    d = np.array(ex.kaf_dictionary(ex.KAF_BOUNDARY, ex.KAF_SIZE))
    delta = d[1] - d[0]
    assert ex.KAF_GAMMA == pytest.approx(1 / (6 * delta**2), rel=1e-14)
    k = np.exp(-ex.KAF_GAMMA * (d[:, None] - d[None, :]) ** 2)
    alpha = np.linalg.solve(k + 1e-3 * np.eye(len(d)), np.logaddexp(d, 0.0))
    np.testing.assert_allclose(ex.KAF_INIT, alpha, rtol=1e-9, atol=1e-12)
    x = torch.linspace(-3, 3, 601, dtype=torch.float64)
    err = (REGISTRY["kernel_activation_function"].fn(x) - F.softplus(x)).abs().max()
    assert err < 0.03


def _ls_gradient(residual, params: np.ndarray, h: float = 1e-6) -> np.ndarray:
    """Central-difference gradient of the sum of squares, relative to it (times each |parameter|)."""
    base = np.sum(residual(params) ** 2)
    out = []
    for i in range(len(params)):
        step = h * max(1.0, abs(params[i]))
        up, down = params.copy(), params.copy()
        up[i] += step
        down[i] -= step
        grad = (np.sum(residual(up) ** 2) - np.sum(residual(down) ** 2)) / (2 * step)
        out.append(grad * max(1.0, abs(params[i])))
    return np.array(out) / base


def test_era_defaults_are_a_least_squares_fit_of_silu():
    xs = np.linspace(-5, 5, 2001)
    silu = xs / (1 + np.exp(-xs))

    def residual(p):
        return 0.5 * xs + p[0] + p[1] / (xs**2 + p[2] ** 2 + 1e-6) - silu

    p = np.array(ex.ERA_INIT)
    assert np.abs(residual(p)).max() < 0.043
    assert np.abs(_ls_gradient(residual, p)).max() < 1e-4  # a (local) least-squares optimum


@pytest.mark.parametrize("name,num,den,basis,bound", [
    ("safe_hermite_pade_prob", ex.HP1_NUMERATOR, ex.HP1_DENOMINATOR, ex.HERMITE_PROB, 0.083),
    ("safe_hermite_pade_phys", ex.HP2_NUMERATOR, ex.HP2_DENOMINATOR, ex.HERMITE_PHYS, 0.070),
])
def test_safe_hermite_pade_defaults_fit_leaky_relu(name, num, den, basis, bound):
    x = torch.linspace(-3, 3, 2001, dtype=torch.float64)
    err = (REGISTRY[name].fn(x) - F.leaky_relu(x, 0.01)).abs().max()
    assert err < bound


@pytest.mark.parametrize("name", ["safe_hermite_pade_prob", "safe_hermite_pade_phys"])
def test_safe_hermite_pade_branches_join_and_the_far_tail_is_linear(name):
    spec = REGISTRY[name]
    eps = torch.finfo(torch.float64).eps
    for edge in (1.0, -1.0):
        x = torch.tensor([edge * (1 - eps), edge, edge * (1 + eps)], dtype=torch.float64)
        assert (spec.fn(x).diff().abs() < 1e-13).all()
    basis = ex.HERMITE_PROB if name.endswith("prob") else ex.HERMITE_PHYS
    d = spec.defaults
    slope = d["numerator"][5] * basis[5][5] / (abs(d["denominator"][3]) * abs(basis[4][4]))
    big = torch.tensor([3e38, -3e38, 1e30], dtype=torch.float32, requires_grad=True)
    y = spec.fn(big, **d)
    (g,) = torch.autograd.grad(y.sum(), big)
    torch.testing.assert_close(g, torch.full_like(g, slope), rtol=1e-5, atol=0)
    torch.testing.assert_close(y, big.detach() * slope, rtol=1e-5, atol=0)


def test_era_near_and_far_forms_join():
    spec = REGISTRY["enhanced_rational_activation"]
    p = {**spec.defaults, "c": 0.7, "e": 0.3}
    eps = torch.finfo(torch.float64).eps
    for edge in (1.3, -0.7):  # |x - e| = 1
        x = torch.tensor([edge - 2 * eps, edge, edge + 2 * eps], dtype=torch.float64)
        assert (spec.fn(x, **p).diff().abs() < 1e-12).all()


def test_saf_interpolates_its_control_points_is_c1_and_constant_outside():
    spec = REGISTRY["spline_activation"]
    knots = torch.tensor([ex.SAF_START + k * ex.SAF_STEP for k in range(1, ex.SAF_KNOTS - 1)],
                         dtype=torch.float64)
    expected = torch.tensor(ex.SAF_INIT[1:-1], dtype=torch.float64)
    torch.testing.assert_close(spec.fn(knots), expected, rtol=1e-14, atol=1e-15)
    inner = knots[1:-1].clone().requires_grad_(True)
    h = 1e-7
    left = (spec.fn(inner.detach()) - spec.fn(inner.detach() - h)) / h
    right = (spec.fn(inner.detach() + h) - spec.fn(inner.detach())) / h
    torch.testing.assert_close(left, right, rtol=0, atol=1e-5)
    out = torch.tensor([-50.0, -1.9, 1.9, 50.0], dtype=torch.float64)
    torch.testing.assert_close(spec.fn(out), torch.tensor([ex.SAF_INIT[1]] * 2 + [ex.SAF_INIT[-2]] * 2,
                                                          dtype=torch.float64))


def test_fsa_is_accurate_at_large_inputs_with_an_inexact_frequency():
    """d·x carries a rounding error that sin and cos of a large argument amplify; the two-product
    correction keeps float64 values within 1e-13 of the exactly rounded ones."""
    import mpmath

    spec = REGISTRY["fourier_series_activation"]
    p = {**spec.defaults, "d": 0.7}
    x = torch.tensor([1e3, 3.3e4, -7.7e5], dtype=torch.float64)
    y = spec.fn(x, **p).tolist()
    with mpmath.workdps(40):
        for xi, yi in zip(x.tolist(), y):
            ref = mpmath.mpf(p["a"]) + sum(
                mpmath.mpf(b) * mpmath.cos(j * mpmath.mpf(p["d"]) * xi) + mpmath.mpf(c) * mpmath.sin(
                    j * mpmath.mpf(p["d"]) * xi)
                for j, (b, c) in enumerate(zip(p["cos_coefficients"], p["sin_coefficients"]), start=1))
            assert abs(yi - float(ref)) < 1e-13 * max(1.0, abs(float(ref)))
