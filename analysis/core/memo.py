"""Results of pure functions of tables, kept for the life of the process.

A run executes the notebooks of many regions one after another in each worker process, and some steps
compute the same all-regions tables from the same Rosstat tables for each region. :func:`by_content`
keeps such a result keyed by the *content* of its arguments (a hash of each DataFrame's values,
index, column names and dtypes), so a changed table is never answered from the cache, and hands
out copies, so a caller that modifies its result cannot change what the next caller gets.
"""

from __future__ import annotations

import functools
import hashlib
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, ParamSpec, TypeVar

import pandas as pd

P = ParamSpec("P")
R = TypeVar("R")

MAXSIZE = 4  # results kept per function: memory stays flat in the number of regions


def content_key(value: Any) -> Hashable:
    """A hashable key equal for equal contents: a DataFrame's values, index, columns and dtypes;
    other arguments as they are (they must be hashable)."""
    if isinstance(value, pd.DataFrame):
        digest = hashlib.sha256(pd.util.hash_pandas_object(value, index=True).to_numpy().tobytes())
        digest.update(repr((list(value.columns), [str(t) for t in value.dtypes])).encode())
        return ("DataFrame", value.shape, digest.hexdigest())
    return value


def by_content(func: Callable[P, R]) -> Callable[P, R]:
    """Memoise ``func`` (pure, returning a DataFrame) on the content of its arguments."""
    cache: OrderedDict[Hashable, Any] = OrderedDict()

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        key = (
            tuple(content_key(a) for a in args),
            tuple(sorted((k, content_key(v)) for k, v in kwargs.items())),
        )
        if key not in cache:
            cache[key] = func(*args, **kwargs)
            while len(cache) > MAXSIZE:
                cache.popitem(last=False)
        cache.move_to_end(key)
        result: R = cache[key]
        return result.copy() if isinstance(result, pd.DataFrame) else result

    wrapper.cache_clear = cache.clear  # type: ignore[attr-defined]
    return wrapper
