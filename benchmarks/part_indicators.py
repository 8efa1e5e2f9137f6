"""Part ``indicators``: the indicator library on a synthetic long panel (full: 85 regions x 100
activities x 20 years, 170,000 rows, seeded, rows shuffled, about 5 % zeros), each indicator
against the NumPy floor (the same numbers from the same rows, the keys already integer codes), NumPy
with the keys coded once by ``pandas.factorize``, the dense 3-D arithmetic, and ecomplexity's RCA
path where it is installed; agreement of all of them.

Targets: each indicator within :data:`TARGET_FLOOR_RATIO` (20) x the NumPy floor; the location
quotient at least :data:`TARGET_ECX_SPEEDUP` (20) x faster than ecomplexity's RCA path; all agree
within 1e-9 relative.
"""

from __future__ import annotations

import timeit
import warnings

import numpy as np
import pandas as pd

from analysis import indicators as ind
from benchmarks import panel_indicators as pind
from benchmarks.common import median

TARGET_FLOOR_RATIO = 20.0  # each indicator within 20x of the NumPy floor
TARGET_ECX_SPEEDUP = 20.0  # the location quotient at least 20x faster than ecomplexity's RCA path
TOLERANCE = 1e-9  # agreement, relative to the largest value


def make_panel(n_regions: int, n_activities: int, n_years: int, seed: int = 20180412):
    """A complete long panel (one row per year, region, activity) in shuffled row order, with
    about 5 % zero cells; every region and activity has a positive total each year."""
    rng = np.random.default_rng(seed)
    size_r = rng.lognormal(0.0, 1.0, n_regions)
    size_a = rng.lognormal(0.0, 1.0, n_activities)
    x = (
        size_r[None, :, None]
        * size_a[None, None, :]
        * rng.lognormal(0.0, 0.5, (n_years, n_regions, n_activities))
        * 1000.0
    )
    x[rng.random(x.shape) < 0.05] = 0.0
    x[:, :, 0] = np.maximum(x[:, :, 0], 1.0)  # no empty region
    x[:, 0, :] = np.maximum(x[:, 0, :], 1.0)  # no empty activity
    x = np.round(x, 3)
    years = np.arange(2000, 2000 + n_years)
    regions = np.array([f"r{i:03d}" for i in range(n_regions)], dtype=object)
    acts = np.array([f"a{j:03d}" for j in range(n_activities)], dtype=object)
    yy, rr, aa = np.meshgrid(np.arange(n_years), np.arange(n_regions), np.arange(n_activities), indexing="ij")
    order = rng.permutation(x.size)
    df = pd.DataFrame(
        {
            "year": years[yy.ravel()[order]],
            "region": regions[rr.ravel()[order]],
            "activity": acts[aa.ravel()[order]],
            "value": x.ravel()[order],
        }
    )
    pop = rng.lognormal(14.0, 1.0, (n_years, n_regions)).round()
    df["population"] = pop[yy.ravel()[order], rr.ravel()[order]]
    df["x_total"] = x.sum(axis=1)[yy.ravel()[order], aa.ravel()[order]]  # the reference: all regions
    df["population_total"] = pop.sum(axis=1)[yy.ravel()[order]]
    dense = {"x": x, "pop": pop}
    pop_long = pd.DataFrame(
        {
            "year": years[np.repeat(np.arange(n_years), n_regions)],
            "region": np.tile(regions, n_years),
            "pop": pop.ravel(),
        }
    )
    return df, dense, pop_long


def timed(fn, repeat: int, min_time: float) -> dict:
    """timeit of ``fn``: per-call median and minimum of ``repeat`` repeats, each of ``number`` calls
    (doubled until one repeat takes ``min_time`` seconds)."""
    t = timeit.Timer(fn)
    number = 1
    while True:
        dt = t.timeit(number)
        if dt >= min_time or number >= 1 << 16:
            break
        number *= 2 if dt * 2 >= min_time else max(2, min(10, int(min_time / max(dt, 1e-9))))
    per = [x / number for x in t.repeat(repeat=repeat, number=number)]
    return {"median_s": median(per), "min_s": min(per), "number": number, "repeat": repeat}


def run(shape: tuple[int, int, int], repeat: int, min_time: float) -> dict:
    """Measure the part on a panel of ``shape`` (regions, activities, years): agreement first,
    then the timings (see the module's doc)."""
    nR, nA, nY = shape
    df, dense, pop_long = make_panel(nR, nA, nY)
    res: dict = {"shape": {"regions": nR, "activities": nA, "years": nY, "rows": len(df)}}
    v = df["value"].to_numpy()

    # ---- the library
    def lib_lq():
        return pind.location_quotient_long(df)

    def lib_hhi():  # from volumes: shares within (year, region), then the HHI of each region-year
        s = pind.shares_long(df)
        return ind.hhi(df.assign(value=s), by=["year", "region"])

    share_df = df[["year", "region", "activity"]].assign(value=pind.shares_long(df).to_numpy())

    def lib_hhi_shares():  # from the shares (as Table 1 publishes them)
        return ind.hhi(share_df, by=["year", "region"])

    def lib_pcc():
        return ind.per_capita_coefficient(
            df["value"], df["x_total"], df["population"], df["population_total"]
        )

    # ---- plain NumPy: the same numbers from the same long rows
    def codes():
        yu, yc = np.unique(df["year"].to_numpy(), return_inverse=True)
        ru, rc = np.unique(df["region"].to_numpy(), return_inverse=True)
        au, ac = np.unique(df["activity"].to_numpy(), return_inverse=True)
        return yu, yc, ru, rc, au, ac

    yu, yc, ru, rc, au, ac = codes()
    nYu, nRu, nAu = len(yu), len(ru), len(au)

    def np_lq():
        kr, ki = yc * nRu + rc, yc * nAu + ac
        xr = np.bincount(kr, v, nYu * nRu)[kr]
        xi = np.bincount(ki, v, nYu * nAu)[ki]
        x = np.bincount(yc, v, nYu)[yc]
        return (v / xr) / (xi / x)

    def np_hhi():
        g = yc * nRu + rc
        s = v / np.bincount(g, v, nYu * nRu)[g] * 100.0
        return np.bincount(g, s * s, nYu * nRu)

    sv = share_df["value"].to_numpy()

    def np_hhi_shares():
        g = yc * nRu + rc
        return np.bincount(g, sv * sv, nYu * nRu)

    xt, p, pt = df["x_total"].to_numpy(), df["population"].to_numpy(), df["population_total"].to_numpy()

    def np_pcc():
        return (v / xt) / (p / pt)

    # ---- the same NumPy, the keys coded once by hashing (pandas.factorize), as a library must
    def fcodes(col):
        c, u = pd.factorize(df[col], sort=True)
        return c, len(u)

    def fz_lq():
        (y, ny), (r, nr), (a_, na) = fcodes("year"), fcodes("region"), fcodes("activity")
        kr, ki = y * nr + r, y * na + a_
        return (v / np.bincount(kr, v, ny * nr)[kr]) / (
            np.bincount(ki, v, ny * na)[ki] / np.bincount(y, v, ny)[y]
        )

    def fz_hhi():
        (y, ny), (r, nr) = fcodes("year"), fcodes("region")
        g = y * nr + r
        s = v / np.bincount(g, v, ny * nr)[g] * 100.0
        return np.bincount(g, s * s, ny * nr)

    def fz_hhi_shares():
        (y, ny), (r, nr) = fcodes("year"), fcodes("region")
        g = y * nr + r
        return np.bincount(g, sv * sv, ny * nr)

    X = dense["x"]

    def dense_lq():
        return (X / X.sum(axis=2, keepdims=True)) / (
            X.sum(axis=1, keepdims=True) / X.sum(axis=(1, 2), keepdims=True)
        )

    def dense_hhi():
        s = X / X.sum(axis=2, keepdims=True) * 100.0
        return (s * s).sum(axis=2)

    # ---- agreement: library vs NumPy
    def maxdiff(a, b) -> float:
        a, b = np.asarray(a, float), np.asarray(b, float)
        if a.shape != b.shape or (np.isnan(a) != np.isnan(b)).any():
            return float("inf")
        return float(np.nanmax(np.abs(a - b))) if a.size else 0.0

    agree = {}
    lq = lib_lq()
    agree["lq_vs_numpy"] = maxdiff(lq.to_numpy(), np_lq())
    h = lib_hhi()
    g_index = pd.MultiIndex.from_arrays([yu[np.arange(nYu * nRu) // nRu], ru[np.arange(nYu * nRu) % nRu]])
    floor_h = pd.Series(np_hhi(), index=g_index)
    agree["hhi_vs_numpy"] = maxdiff(h.to_numpy(), floor_h.reindex(h.index).to_numpy())
    agree["hhi_shares_vs_numpy"] = maxdiff(lib_hhi_shares().to_numpy(), floor_h.reindex(h.index).to_numpy())
    agree["pcc_vs_numpy"] = maxdiff(lib_pcc().to_numpy(), np_pcc())
    agree["lq_vs_factorize"] = maxdiff(lq.to_numpy(), fz_lq())
    agree["hhi_vs_factorize"] = maxdiff(h.to_numpy(), fz_hhi())
    # dense arrays: rows in (year, region, activity) order after sorting the table
    key = df.sort_values(["year", "region", "activity"]).index.to_numpy()
    agree["lq_vs_dense"] = maxdiff(lq.to_numpy()[key], dense_lq().ravel())
    agree["hhi_vs_dense"] = maxdiff(h.to_numpy(), dense_hhi().ravel())
    scale = {"lq_vs_numpy": float(np.nanmax(np.abs(lq))), "hhi_vs_numpy": float(h.max())}

    # ---- ecomplexity (Harvard Growth Lab): RCA step, and RPOP for the per-capita coefficient
    ecx: dict = {}
    cols = {"time": "year", "loc": "region", "prod": "activity", "val": "value"}
    try:
        from importlib import metadata

        ecx["version"] = metadata.version("ecomplexity")
        from ecomplexity.ComplexityData import ComplexityData
    except Exception as exc:
        ecx["error"] = (
            f"{type(exc).__name__}: {exc}"
            if type(exc).__name__ != "PackageNotFoundError"
            else "not installed (`make bench` installs benchmarks/requirements-bench.txt into build/bench-deps)"
        )
        ComplexityData = None
    if ComplexityData is not None:
        ecx_in = df[["year", "region", "activity", "value"]]

        def ecx_rca():
            cd = ComplexityData(ecx_in, cols, "coerce")
            out = {}
            for t in cd.data.index.unique("time"):
                cd.create_full_df(t)
                cd.calculate_rca()
                out[t] = (cd.data_t.index.levels[0], cd.data_t.index.levels[1], cd.rca_t)
            return out

        def to_long(out) -> pd.Series:
            parts = []
            for t, (locs, prods, m) in out.items():
                parts.append(
                    pd.Series(
                        np.asarray(m, float).ravel(),
                        index=pd.MultiIndex.from_product(
                            [[t], locs, prods], names=["year", "region", "activity"]
                        ),
                    )
                )
            return pd.concat(parts)

        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                rca = to_long(ecx_rca())
                lq_idx = pd.Series(
                    lq.to_numpy(), index=pd.MultiIndex.from_frame(df[["year", "region", "activity"]])
                )
                al = rca.reindex(lq_idx.index)
                agree["lq_vs_ecomplexity_rca"] = maxdiff(lq_idx.to_numpy(), al.to_numpy())
                ecx["rca_cells"] = int(rca.size)
                # RPOP = (x_cp / pop_c) / (sum_c x_cp / sum_c pop_c): the per-capita coefficient
                cd = ComplexityData(ecx_in, cols, "coerce")
                parts = []
                for t in cd.data.index.unique("time"):
                    cd.create_full_df(t)
                    cd.calculate_rpop(pop_long.rename(columns={"region": "region"}), t)
                    locs, prods = cd.data_t.index.levels
                    parts.append(
                        pd.Series(
                            np.asarray(cd.rpop_t, float).ravel(),
                            index=pd.MultiIndex.from_product(
                                [[t], locs, prods], names=["year", "region", "activity"]
                            ),
                        )
                    )
                rpop = pd.concat(parts).reindex(lq_idx.index)
                agree["pcc_vs_ecomplexity_rpop"] = maxdiff(lib_pcc().to_numpy(), rpop.to_numpy())
            except Exception as exc:
                ecx["error"] = f"{type(exc).__name__}: {exc}"
        ecx["warnings"] = sorted(
            {f"{w.category.__name__}: {str(w.message).splitlines()[0][:160]}" for w in caught}
        )
        # pandas 3 (Copy-on-Write): does ecomplexity's "NaN value(s) present, coercing to zero(es)" still zero them?
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                tiny = pd.DataFrame(
                    {
                        "year": [1, 1, 1, 1],
                        "region": ["a", "a", "b", "b"],
                        "activity": ["x", "y", "x", "y"],
                        "value": [1.0, np.nan, 2.0, 3.0],
                    }
                )
                cd = ComplexityData(tiny, cols, "coerce")
                ecx["nan_coerced_to_zero"] = bool(not cd.data["val"].isna().any())
        except Exception as exc:
            ecx["nan_check_error"] = f"{type(exc).__name__}: {exc}"
        if "error" not in ecx:
            ecx["rca_timing"] = timed(ecx_rca, max(3, repeat // 2), min_time)
            try:
                from ecomplexity import ecomplexity as ecx_full

                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    ecx["full_timing"] = timed(
                        lambda: ecx_full(ecx_in, cols, verbose=False, check_logsupermodularity=False),
                        3,
                        min_time,
                    )
            except Exception as exc:
                ecx["full_error"] = f"{type(exc).__name__}: {exc}"
    res["ecomplexity"] = ecx

    checks = {}
    for k, d in agree.items():
        base = scale.get(k.split("_vs_")[0] + "_vs_numpy", 1.0)
        checks[k] = {"max_abs_diff": d, "ok": bool(d <= TOLERANCE * max(1.0, base))}
    res["agreement"] = checks
    res["agreement_ok"] = all(c["ok"] for c in checks.values())

    # ---- timings
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the library must not warn on complete data
        timings = {
            "lq": {
                "library": timed(lib_lq, repeat, min_time),
                "numpy": timed(np_lq, repeat, min_time),
                "factorize": timed(fz_lq, repeat, min_time),
                "dense": timed(dense_lq, repeat, min_time),
            },
            "hhi": {
                "library": timed(lib_hhi, repeat, min_time),
                "numpy": timed(np_hhi, repeat, min_time),
                "factorize": timed(fz_hhi, repeat, min_time),
                "dense": timed(dense_hhi, repeat, min_time),
            },
            "hhi_from_shares": {
                "library": timed(lib_hhi_shares, repeat, min_time),
                "numpy": timed(np_hhi_shares, repeat, min_time),
                "factorize": timed(fz_hhi_shares, repeat, min_time),
            },
            "pcc": {
                "library": timed(lib_pcc, repeat, min_time),
                "numpy": timed(np_pcc, repeat, min_time),
            },
        }
    res["key_coding"] = timed(codes, repeat, min_time)
    res["timings"] = timings
    for _k, t in timings.items():
        t["floor_ratio"] = t["library"]["median_s"] / t["numpy"]["median_s"]
        if "factorize" in t:
            t["factorize_ratio"] = t["library"]["median_s"] / t["factorize"]["median_s"]
    if "rca_timing" in ecx:
        res["ecx_speedup"] = ecx["rca_timing"]["median_s"] / timings["lq"]["library"]["median_s"]
    return res
