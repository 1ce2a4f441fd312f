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

# Originals of survey rows identified on 2026-12-02 through later papers' reference lists, the
# peer package's README and third-party transcriptions (the survey's stored text carries no
# bibliography). Their full texts were not open to us: the entries citing them keep the survey's
# formula and defaults (see each spec's source).
RAMACHANDRAN_2017 = Citation(
    authors="Ramachandran, P. and Zoph, B. and Le, Q. V.",
    title="Searching for Activation Functions",
    year=2017,
    arxiv="1710.05941",
)
SHAN_LI_CHEN_2022 = Citation(
    authors="Shan, C. and Li, A. and Chen, X.",
    title="Deep delay rectified neural networks",
    year=2022,
    url="https://doi.org/10.1007/s11227-022-04704-z",
    venue="The Journal of Supercomputing",
)
WANG_XU_ZHU_2022 = Citation(
    authors="Wang, J. and Xu, J. and Zhu, J.",
    title="CNNs with Compact Activation Function",
    year=2022,
    url="https://doi.org/10.1007/978-3-031-08754-7_40",
    venue="Computational Science - ICCS 2022, LNCS",
)
FERREIRA_MATTHEAKIS_PROTOPAPAS_2021 = Citation(
    authors="Ferreira, T. A. E. and Mattheakis, M. and Protopapas, P.",
    title="A New Artificial Neuron Proposal with Trainable Simultaneous Local and Global Activation "
    "Function",
    year=2021,
    arxiv="2101.06100",
)
MERCIONI_HOLBAN_2021 = Citation(
    authors="Mercioni, M. A. and Holban, S.",
    title="Soft-Clipping Swish: A Novel Activation Function for Deep Learning",
    year=2021,
    url="https://doi.org/10.1109/SACI51354.2021.9465622",
    venue="IEEE 15th International Symposium on Applied Computational Intelligence and Informatics (SACI)",
)
HAZIMEH_ET_AL_2020 = Citation(
    authors="Hazimeh, H. and Ponomareva, N. and Mol, P. and Tan, Z. and Mazumder, R.",
    title="The Tree Ensemble Layer: Differentiability meets Conditional Computation",
    year=2020,
    arxiv="2002.07772",
    venue="ICML 2020",
)
GUEVARA_ET_AL_2021 = Citation(
    authors="Guevara, M. and Cruz, V. and Vergara, O. and Nandayapa, M. and Ochoa, H. and Sossa, H.",
    title="Study of the Effect of Combining Activation Functions in a Convolutional Neural Network",
    year=2021,
    url="https://doi.org/10.1109/TLA.2021.9448319",
    venue="IEEE Latin America Transactions",
)
PISHCHIK_2023 = Citation(
    authors="Pishchik, E.",
    title="Trainable Activations for Image Classification",
    year=2023,
    url="https://doi.org/10.20944/preprints202301.0463.v1",
    venue="Preprints.org (not peer-reviewed)",
)
HUSAIN_ONG_BOBER_2019 = Citation(
    authors="Husain, S. S. and Ong, E.-J. and Bober, M.",
    title="ACTNET: end-to-end learning of feature activations and multi-stream aggregation for effective "
    "instance image retrieval",
    year=2019,
    arxiv="1907.05794",
)
KOCAK_USTUNDAG_SIRAY_2021 = Citation(
    authors="Koçak, Y. and Üstündağ Şiray, G.",
    title="New activation functions for single layer feedforward neural network",
    year=2021,
    url="https://www.sciencedirect.com/science/article/abs/pii/S0957417420307557",
    venue="Expert Systems with Applications 164:113977",
)

IDENTIFIED_NOT_READ = (
    "The original paper is cited (identified through later papers' reference lists and third-party "
    "transcriptions that name it, since the survey's stored text carries no bibliography) but its "
    "text was out of reach here, so the formula and defaults are the survey's"
)
