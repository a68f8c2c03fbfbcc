"""NIR metadata (nested dicts of strings, numbers and arrays) as xDSL attributes.

* ``str`` <-> ``StringAttr``; a dict <-> ``DictionaryAttr`` (keys kept verbatim);
* numbers and numeric arrays <-> ``#nir.dense`` with their dtype (a Python ``int``
  becomes int64, ``float`` float64, ``bool`` bool, as h5py stores them);
* a list or array of strings <-> ``ArrayAttr`` of ``StringAttr``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from xdsl.dialects.builtin import ArrayAttr, DictionaryAttr, StringAttr
from xdsl.ir import Attribute

from nirc.core.dense import DenseAttr, UnsupportedDtype
from nirc.core.errors import NircError


def metadata_to_attr(meta: Mapping[str, Any], where: str | None = None) -> DictionaryAttr:
    return DictionaryAttr({str(k): _value_to_attr(v, f"metadata.{k}", where) for k, v in meta.items()})


def _value_to_attr(value: Any, key: str, where: str | None) -> Attribute:
    if isinstance(value, Mapping):
        return metadata_to_attr(value, where)
    if isinstance(value, bytes):
        value = value.decode("utf-8", errors="replace")
    if isinstance(value, str):
        return StringAttr(value)
    arr = np.asarray(value)
    if arr.dtype.kind in "OSU":
        flat = [v.decode("utf-8", errors="replace") if isinstance(v, bytes) else v for v in arr.reshape(-1).tolist()]
        if arr.ndim == 1 and all(isinstance(v, str) for v in flat):
            return ArrayAttr([StringAttr(v) for v in flat])
        raise NircError(f"'{key}' holds values that are neither numbers nor strings", rule="metadata", node=where)
    try:
        return DenseAttr.from_array(arr)
    except UnsupportedDtype as exc:
        raise NircError(f"'{key}': {exc}", rule="metadata", node=where) from None


def attr_to_metadata(attr: DictionaryAttr) -> dict[str, Any]:
    return {k: _attr_to_value(v) for k, v in attr.data.items()}


def _attr_to_value(attr: Attribute) -> Any:
    if isinstance(attr, DictionaryAttr):
        return attr_to_metadata(attr)
    if isinstance(attr, StringAttr):
        return attr.data
    if isinstance(attr, DenseAttr):
        return attr.array
    if isinstance(attr, ArrayAttr):
        return np.array([a.data for a in attr.data if isinstance(a, StringAttr)], dtype=object)
    raise NircError(f"metadata attribute {attr} has no NIR equivalent", rule="metadata")
