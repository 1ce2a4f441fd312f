"""Run specs (keys, grid, validation) and the SQLite store (safety, transactions)."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3

import pytest

import actlab
from actlab.bench.activations import ActivationFactory, parse_activation_list, register_prefix, resolve
from actlab.bench.spec import RunSpec, canonical_json, expand_grid
from actlab.bench.store import APPLICATION, SCHEMA_VERSION, Store, StoreError, StoreWriteError
from actlab.bench.tasks import UnknownTaskError
from tests.bench import fake_tasks  # (registers the fake tasks)


def _row(spec: RunSpec, status: str = "ok", **kw) -> dict:
    row = {
        "key": spec.key, "grp": spec.group, "task": spec.task, "activation": spec.activation,
        "params": spec.params, "seed": spec.seed, "config": spec.config, "version": spec.version,
        "status": status, "metrics": {"test_metric": 0.5}, "curves": {"train_loss": [1.0, 0.5]},
        "versions": {"actlab": actlab.__version__}, "finished": 1.0,
    }  # fmt: skip
    row.update(kw)
    return row


# ---------------------------------------------------------------------------- keys and grid


def test_key_is_sha256_of_canonical_identity():
    s = RunSpec("fake_score", "relu", {}, 3, {"n": 64, "sleep": 0.0})
    ident = {"task": "fake_score", "activation": "relu", "params": {}, "seed": 3,
             "config": {"n": 64, "sleep": 0.0}, "version": actlab.__version__}  # fmt: skip
    expected = hashlib.sha256(json.dumps(ident, sort_keys=True, separators=(",", ":")).encode()).hexdigest()
    assert s.key == expected
    # key order of dicts does not matter; every field does
    assert RunSpec("fake_score", "relu", {}, 3, {"sleep": 0.0, "n": 64}).key == s.key
    assert RunSpec("fake_score", "relu", {}, 4, s.config).key != s.key
    assert RunSpec("fake_score", "relu", {}, 3, {"n": 65, "sleep": 0.0}).key != s.key
    assert RunSpec("fake_score", "relu", {}, 3, s.config, version="999").key != s.key
    # runs differing only in seed share a group
    assert RunSpec("fake_score", "relu", {}, 4, s.config).group == s.group


def test_canonical_json_rejects_nan():
    with pytest.raises(ValueError):
        canonical_json({"a": float("nan")})
    assert canonical_json({"b": (1, 2), "a": 1.5}) == '{"a":1.5,"b":[1,2]}'


def test_expand_grid_product_and_alias_canonicalisation():
    specs = expand_grid(["fake_score"], ["relu", "RELU"], 3, preset="tiny")
    assert [(s.activation, s.seed) for s in specs] == [("relu", 0), ("relu", 1), ("relu", 2)]
    specs = expand_grid(["fake_score", "fake_raise"], ["relu"], [5, 7], preset="tiny")
    assert len(specs) == 4 and {s.seed for s in specs} == {5, 7}
    assert len({s.key for s in specs}) == 4


def test_expand_grid_rejects_bad_input_with_suggestions():
    with pytest.raises(UnknownTaskError, match="fake_score"):
        expand_grid(["fake_scor"], ["relu"], 1)
    with pytest.raises(actlab.UnknownActivationError, match="relu"):
        expand_grid(["fake_score"], ["reluu"], 1)
    with pytest.raises(TypeError, match="negative_slop"):
        expand_grid(["fake_score"], [("relu", {"negative_slop": 0.1})], 1)
    with pytest.raises(ValueError, match="seeds"):
        expand_grid(["fake_score"], ["relu"], 0)
    with pytest.raises(TypeError, match="unknown config key"):
        expand_grid(["fake_score"], ["relu"], 1, overrides={"fake_score": {"bogus": 1}})


def test_invalid_parameter_value_is_a_value_error():
    name, p, bad = fake_tasks.bounded_float_param()
    with pytest.raises(ValueError, match=p.name):
        expand_grid(["fake_score"], [(name, {p.name: bad})], 1)


def test_parse_activation_list():
    got = parse_activation_list("relu, leaky_relu(negative_slope=0.2), prelu(trainable=True),expr:max(x, 0)")
    assert got == [
        ("relu", {}),
        ("leaky_relu", {"negative_slope": 0.2}),
        ("prelu", {"trainable": True}),
        ("expr:max(x, 0)", {}),
    ]
    with pytest.raises(ValueError):
        parse_activation_list("relu(0.2)")
    with pytest.raises(ValueError):
        parse_activation_list("relu(a=1")
    with pytest.raises(ValueError):
        parse_activation_list("relu(a=os.system)")


def test_prefix_hook_and_picklable_factory():
    import pickle

    import torch

    class Scaled(torch.nn.Module):
        def __init__(self, k):
            super().__init__()
            self.k = k

        def forward(self, x):
            return self.k * x

    calls = []

    def factory(rest, params):
        if rest.strip() != "scale":
            raise ValueError(f"bad expression {rest!r}")
        calls.append(params)
        return lambda: Scaled(params.get("k", 2.0))

    register_prefix("testpfx", factory)
    f = resolve("testpfx:scale", {"k": 3.0})
    assert isinstance(f, ActivationFactory)
    assert torch.equal(f()(torch.ones(2)), torch.full((2,), 3.0))
    assert isinstance(pickle.loads(pickle.dumps(f)), ActivationFactory)
    with pytest.raises(ValueError, match="bad expression"):
        resolve("testpfx:nonsense", {})
    with pytest.raises(LookupError, match="unknown activation prefix"):
        resolve("nopfx:x", {})
    # an optional canonicaliser gives equivalent spellings one run key
    register_prefix("testpfx", factory, canonicalize=lambda rest: rest.replace(" ", ""))
    specs = expand_grid(["fake_score"], ["testpfx: sc ale", "testpfx:scale"], 1, preset="tiny")
    assert [s.activation for s in specs] == ["testpfx:scale"]


# ---------------------------------------------------------------------------- store


def test_store_create_reopen_and_record(tmp_path):
    path = tmp_path / "r.db"
    spec = RunSpec("fake_score", "relu", {}, 0, {"n": 1})
    with Store(path) as st:
        assert st.meta()["application"] == APPLICATION
        assert st.meta()["schema_version"] == str(SCHEMA_VERSION)
        assert st.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert st.record(_row(spec, predictions=[1, 0], metrics={"test_metric": float("nan")}))
        assert not st.record(_row(spec))  # same key: ignored, kept once
    with Store(path) as st:
        (r,) = st.runs()
        assert r.key == spec.key and r.predictions == [1, 0] and r.curves == {"train_loss": [1.0, 0.5]}
        assert r.metrics["test_metric"] != r.metrics["test_metric"]  # NaN survives the round trip
        assert st.finished_keys() == {spec.key}
        with pytest.raises(ValueError, match="status"):
            st.record(_row(RunSpec("fake_score", "relu", {}, 1, {}), status="running"))
    with Store(path, readonly=True) as st, pytest.raises(StoreError, match="read-only"):
        st.record(_row(RunSpec("fake_score", "relu", {}, 2, {})))


def _snapshot(path):
    st = os.stat(path)
    return path.read_bytes(), st.st_mtime_ns, sorted(os.listdir(path.parent))


@pytest.mark.parametrize("kind", ["text", "foreign_sqlite", "corrupt", "newer_schema"])
def test_foreign_or_corrupt_file_is_refused_and_untouched(tmp_path, kind):
    path = tmp_path / "results.db"
    if kind == "text":
        path.write_text("name,value\nnot a database\n" * 50)
        match = "not an SQLite database"
    elif kind == "foreign_sqlite":
        c = sqlite3.connect(path)
        c.execute("CREATE TABLE runs (x)")
        c.execute("INSERT INTO runs VALUES (1)")
        c.commit()
        c.close()
        match = "not an actlab results store"
    elif kind == "corrupt":
        with Store(path) as st:
            for i in range(30):
                st.record(_row(RunSpec("fake_score", "relu", {}, i, {}), curves={"x": list(range(300))}))
        data = bytearray(path.read_bytes())
        data[100:4096 * 3] = os.urandom(4096 * 3 - 100)  # keep the magic header, trash the schema pages
        path.write_bytes(bytes(data))
        for extra in tmp_path.glob("results.db-*"):
            extra.unlink()
        match = "corrupt"
    else:
        with Store(path):
            pass
        c = sqlite3.connect(path)
        c.execute("UPDATE actlab_meta SET value = '99' WHERE key = 'schema_version'")
        c.commit()
        c.close()
        for extra in tmp_path.glob("results.db-*"):
            extra.unlink()
        match = "newer actlab"
    before = _snapshot(path)
    with pytest.raises(StoreError, match=match):
        Store(path)
    assert _snapshot(path) == before


def test_disk_full_write_is_transactional(tmp_path):
    """A write failing with SQLITE_FULL leaves every committed run intact and raises StoreWriteError."""
    path = tmp_path / "r.db"
    big = {"long": [float(i) for i in range(20000)]}
    specs = [RunSpec("fake_score", "relu", {}, i, {}) for i in range(4)]
    with Store(path) as st:
        for s in specs[:2]:
            st.record(_row(s, curves=big))
        pages = st.conn.execute("PRAGMA page_count").fetchone()[0]
        st.conn.execute(f"PRAGMA max_page_count = {pages}")  # the "disk" is now full
        with pytest.raises(StoreWriteError, match="database or disk is full"):
            st.record(_row(specs[2], curves=big))
        assert not st.conn.in_transaction
        assert st.finished_keys() == {specs[0].key, specs[1].key}
    with Store(path) as st:  # a fresh connection: space again
        assert st.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert st.record(_row(specs[2], curves=big))
        assert len(st) == 3
