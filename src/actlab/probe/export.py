"""Write probe results: CSV rows and JSON details (NaN written as empty / null)."""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path
from typing import Any


def _clean(obj: Any) -> Any:
    """JSON-safe copy: NaN/inf floats become None (strict JSON has neither)."""
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if isinstance(obj, dict):
        return {str(k): _clean(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_clean(v) for v in obj]
    return obj


def write_csv(rows: list[dict[str, Any]], path: str | Path) -> Path:
    """``layer,metric,value`` rows; undefined values are left empty."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=["layer", "metric", "value"])
        w.writeheader()
        for r in rows:
            v = r["value"]
            w.writerow({**r, "value": "" if isinstance(v, float) and math.isnan(v) else repr(float(v))})
    return path


def write_json(data: dict[str, Any], path: str | Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(_clean(data), indent=1, allow_nan=False))
    return path
