"""DistributedDataParallel: a model with actlab activations (learnable ones included) trains under
DDP with two CPU processes over gloo, with the gradients of single-process training
(issue 13, item 7)."""

from __future__ import annotations

import socket

import pytest
import torch
import torch.distributed as dist
import torch.multiprocessing as mp
from torch import nn

import actlab

STEPS, LR = 3, 0.05


def _model() -> nn.Module:
    torch.manual_seed(0)
    return nn.Sequential(
        nn.Linear(8, 16), actlab.get("golu", impl="lean"),
        nn.Linear(16, 16), actlab.get("snake", trainable=True),  # learnable: a
        nn.Linear(16, 16), actlab.get("prelu", trainable=True, num_parameters=16, channel_dim=-1),
        actlab.nn.GatedFFN(16, 32, gate="xsilu"),  # a learned alpha in the gate
        actlab.nn.GatedFFN(16, 32, gate="silu", impl="lean"),  # the fused, lean GLU
        nn.Linear(16, 16), actlab.get("relu", inplace=True),  # auto, in place where safe
        nn.Linear(16, 1),
    )


def _data() -> tuple[torch.Tensor, torch.Tensor]:
    g = torch.Generator().manual_seed(1)
    return torch.randn(16, 8, generator=g), torch.randn(16, 1, generator=g)


def _train(model: nn.Module, x: torch.Tensor, y: torch.Tensor) -> list[dict[str, torch.Tensor]]:
    """SGD steps on (x, y); the gradients of every step, by parameter name."""
    opt = torch.optim.SGD(model.parameters(), lr=LR)
    grads = []
    for _ in range(STEPS):
        opt.zero_grad()
        nn.functional.mse_loss(model(x), y).backward()
        grads.append({n.removeprefix("module."): p.grad.clone() for n, p in model.named_parameters()})
        opt.step()
    return grads


def _worker(rank: int, port: int, out: str) -> None:
    dist.init_process_group("gloo", init_method=f"tcp://127.0.0.1:{port}", rank=rank, world_size=2)
    try:
        torch.set_num_threads(1)
        ddp = nn.parallel.DistributedDataParallel(_model())
        x, y = _data()
        grads = _train(ddp, x[rank::2], y[rank::2])  # each rank half the batch; DDP averages
        torch.save({"grads": grads, "state": ddp.module.state_dict()}, f"{out}/rank{rank}.pt")
    finally:
        dist.destroy_process_group()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.skipif(not dist.is_available() or not dist.is_gloo_available(),
                    reason="needs torch.distributed with gloo")
def test_ddp_two_cpu_processes_match_single_process(tmp_path):
    mp.spawn(_worker, args=(_free_port(), str(tmp_path)), nprocs=2, join=True)
    single = _model()
    grads = _train(single, *_data())
    names = [n for n, _ in single.named_parameters()]
    learned = {"3.a", "5.a", "6.act.alpha"}  # the learnable activations take part
    assert learned | {"7.gate_proj.weight"} <= set(names), names
    for rank in (0, 1):
        got = torch.load(tmp_path / f"rank{rank}.pt", weights_only=True)
        for step in range(STEPS):
            assert set(got["grads"][step]) == set(names)
            for n in names:
                torch.testing.assert_close(got["grads"][step][n], grads[step][n], rtol=1e-5, atol=1e-7,
                                           msg=f"rank {rank}, step {step}, {n}")
        for n, v in single.state_dict().items():
            torch.testing.assert_close(got["state"][n], v, rtol=1e-5, atol=1e-7, msg=f"rank {rank}, {n}")
    assert all(grads[0][n].abs().sum() > 0 for n in learned)
