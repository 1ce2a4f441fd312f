"""Citations shared by several activations (one place each)."""

from actlab.catalog.spec import Citation

PYTORCH = Citation(
    authors="Paszke, A. and Gross, S. and Massa, F. and others",
    title="PyTorch: An Imperative Style, High-Performance Deep Learning Library",
    year=2019,
    arxiv="1912.01703",
)
NAIR_HINTON_2010 = Citation(
    authors="Nair, V. and Hinton, G. E.",
    title="Rectified Linear Units Improve Restricted Boltzmann Machines",
    year=2010,
    url="https://www.cs.toronto.edu/~hinton/absps/reluICML.pdf",
    venue="ICML",
)
