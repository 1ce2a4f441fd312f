"""The ``triton`` backend: Triton kernels generated from each activation's definition.

Nothing here is written per activation. The derived PyTorch functions of
:mod:`actlab.kernels.lean` (forward ``f``, backward ``(x, dy) -> dx``, the two-valued-derivative
mask) are traced to aten graphs (:mod:`actlab.kernels.trace`), then

- :mod:`~actlab.kernels.triton.translate` turns each graph into Triton statements (the op table
  is data);
- :mod:`~actlab.kernels.triton.templates` pastes them into six kernel templates (forward,
  backward, mask-packing forward, mask backward, GLU forward, fused GLU backward);
- :mod:`~actlab.kernels.triton.launch` compiles and launches them (and runs them in Triton's
  CPU interpreter under ``TRITON_INTERPRET=1``).

Importing this package does not import Triton; building a kernel does.
"""
