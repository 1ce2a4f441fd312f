"""A cheap evaluation task for search tests (a user task given as ``module:function``)."""

from __future__ import annotations

import torch
from torch import nn


def fit(make_act, seed: int, config: dict) -> float:
    """Negative MSE of a 1-16-16-1 MLP fitted to sin(2x) on [-2, 2] in ``config['steps']`` Adam steps."""
    torch.set_num_threads(1)  # tiny tensors: threads only contend (the bench executor restores the count)
    g = torch.Generator().manual_seed(seed)
    x = torch.linspace(-2, 2, 64).unsqueeze(1)
    y = torch.sin(2 * x)
    model = nn.Sequential(nn.Linear(1, 16), make_act(), nn.Linear(16, 16), make_act(), nn.Linear(16, 1))
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.randn(p.shape, generator=g) * 0.5)
    opt = torch.optim.Adam(model.parameters(), lr=0.02)
    for _ in range(int(config.get("steps", 20))):
        opt.zero_grad()
        loss = ((model(x) - y) ** 2).mean()
        loss.backward()
        opt.step()
    with torch.no_grad():
        return -float(((model(x) - y) ** 2).mean())


fit.config = {"steps": 20}
fit.metric = "neg_mse"
