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
CARLILE_2017 = Citation(
    authors="Carlile, B. and Delamarter, G. and Kinney, P. and Marti, A. and Whitney, B.",
    title="Improving Deep Learning by Inverse Square Root Linear Units (ISRLUs)",
    year=2017,
    arxiv="1710.09967",
)
KUNC_KLEMA_2024 = Citation(
    authors="Kunc, V. and Kléma, J.",
    title="Three Decades of Activations: A Comprehensive Survey of 400 Activation Functions for Neural "
    "Networks",
    year=2024,
    arxiv="2402.09092",
)
TORCH7_2011 = Citation(
    authors="Collobert, R. and Kavukcuoglu, K. and Farabet, C.",
    title="Torch7: A Matlab-like Environment for Machine Learning",
    year=2011,
    url="http://publications.idiap.ch/downloads/papers/2011/Collobert_NIPSWORKSHOP_2011.pdf",
    venue="BigLearn, NIPS Workshop",
)
GUPTA_AHUJA_2021 = Citation(
    authors="Gupta, A. and Ahuja, S.",
    title="Parametric Variational Linear Units (PVLUs) in Deep Convolutional Networks",
    year=2021,
    arxiv="2110.12246",
)
