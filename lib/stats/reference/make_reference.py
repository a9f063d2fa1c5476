#!/usr/bin/python3
"""Reference values for lib/stats and lib/text-metrics tests.

Run with Debian's SciPy (the versions are recorded in the output):
    /usr/bin/python3 lib/stats/reference/make_reference.py
It writes reference-values.json beside this file. Inputs are fixed here and copied into the
JSON, so the TypeScript tests read both the data and the expected figures from one place.

Independent implementations on purpose: Wilcoxon, sign test and correlations come from
scipy.stats; Bradley-Terry from a direct scipy.optimize maximum-likelihood fit; Krippendorff's
alpha from a numpy transcription of the formulas in Krippendorff (2011), "Computing
Krippendorff's Alpha-Reliability", checked against the paper's published values.
"""
import json
import os
import warnings

import numpy as np
import scipy
import scipy.special
from scipy import optimize, stats

warnings.simplefilter("ignore")
HERE = os.path.dirname(os.path.abspath(__file__))
out = {"generator": {"numpy": np.__version__, "scipy": scipy.__version__}}

# ---------------------------------------------------------------- normal distribution
zs = [0.0, 0.5, 1.0, 1.959963984540054, 2.5, 3.0, 4.0, 5.5, 8.0, -1.3]
ps = [1e-10, 0.001, 0.025, 0.3, 0.5, 0.975, 0.999]
out["normal"] = {
    "z": zs,
    "sf": [float(stats.norm.sf(z)) for z in zs],
    "p": ps,
    "ppf": [float(stats.norm.ppf(p)) for p in ps],
}

# ---------------------------------------------------------------- Wilcoxon signed-rank
rng = np.random.default_rng(7)
wilcoxon_cases = {
    # SciPy documentation / Fisher's data: untied, no zeros, n = 15 -> exact.
    "fisher": [6, 8, 14, 16, 23, 24, 28, 29, 41, -48, 49, 56, 60, -67, 75],
    "small_untied": [1.5, -0.2, 3.1, 0.7, 2.2, -1.1, 0.4, 2.9],
    "mixed_signs": [1, -2, 3, -4, 5, -6, 7, 8, -9],
    # R+ = 5 is the centre of the null for n = 4: SciPy returns p = 1.
    "centre": [1, -2, -3, 4],
    # Ties among |d| but no zeros: SciPy 1.10's auto would use its (truncated) exact table.
    "ties_no_zeros": [1, 1, -1, 2, 2, 0.5, -0.5, 1.5, 3, 1],
    # Zeros: SciPy drops them and uses the tie-corrected normal approximation.
    "with_zeros": [0, 0, 1, -1, 2, 2, 2, 0.5, 1, 1.5, -0.5, 3],
    "large": [float(v) for v in np.round(rng.normal(0.3, 1.0, 120) * 3) / 3],
    "large_untied": [float(v) for v in rng.normal(-0.2, 1.0, 60)],
}
wilcoxon_expected = {}
for name, d in wilcoxon_cases.items():
    entry = {}
    res = stats.wilcoxon(d)  # defaults: zero_method="wilcox", correction=False, method="auto"
    entry["default"] = {"statistic": float(res.statistic), "p": float(res.pvalue)}
    res = stats.wilcoxon(d, method="approx")
    entry["approx"] = {"statistic": float(res.statistic), "p": float(res.pvalue)}
    if 0 not in d and len(d) <= 50:
        res = stats.wilcoxon(d, method="exact")
        entry["exact"] = {"statistic": float(res.statistic), "p": float(res.pvalue)}
    wilcoxon_expected[name] = entry
out["wilcoxon"] = {"cases": wilcoxon_cases, "expected": wilcoxon_expected}

# ---------------------------------------------------------------- sign test
sign_cases = [[2, 10], [8, 20], [0, 6], [10, 20], [150, 260], [3, 5], [1, 1], [40, 47]]
out["signTest"] = [
    {"wins": k, "n": n, "p": float(stats.binomtest(k, n, 0.5).pvalue)} for k, n in sign_cases
]

# ---------------------------------------------------------------- correlations
x = [1.0, 2.0, 2.0, 3.5, 4.0, 5.0, 5.0, 6.1, 7.0, 9.0]
y = [2.1, 1.9, 3.0, 3.0, 4.5, 4.4, 6.0, 5.9, 8.0, 7.5]
pr = stats.pearsonr(x, y)
sr = stats.spearmanr(x, y)
out["correlation"] = {
    "x": x,
    "y": y,
    "pearson": float(pr[0]),
    "pearsonP": float(pr[1]),
    "spearman": float(sr.correlation),
    "spearmanP": float(sr.pvalue),
}

# Student t two-sided p-values and log-gamma, for the distribution helpers.
t_cases = [[0.5, 3], [2.1, 8], [-3.4, 20], [1.0, 1], [6.0, 120], [0.0, 5]]
out["studentT"] = [{"t": t, "df": df, "p": float(2 * stats.t.sf(abs(t), df))} for t, df in t_cases]
out["logGamma"] = [{"x": x, "value": float(scipy.special.gammaln(x))} for x in [0.1, 0.5, 1.0, 3.7, 25.0, 170.5]]

# A larger correlation sample with a moderate p-value (n = 30).
xs = [float(v) for v in np.round(rng.normal(0, 1, 30), 3)]
ys = [float(v) for v in np.round(0.4 * np.array(xs) + rng.normal(0, 1, 30), 3)]
out["correlation30"] = {
    "x": xs,
    "y": ys,
    "pearson": float(stats.pearsonr(xs, ys)[0]),
    "pearsonP": float(stats.pearsonr(xs, ys)[1]),
    "spearman": float(stats.spearmanr(xs, ys).correlation),
    "spearmanP": float(stats.spearmanr(xs, ys).pvalue),
}

# ---------------------------------------------------------------- quantiles
qdata = [3.2, 1.0, 4.8, 2.2, 9.9, 5.5, 5.5, 0.3]
qps = [0.0, 0.025, 0.1, 0.25, 0.5, 0.75, 0.975, 1.0]
out["quantiles"] = {"data": qdata, "p": qps, "values": [float(v) for v in np.quantile(qdata, qps)]}

# ---------------------------------------------------------------- Bradley-Terry
systems = ["teacher", "s1", "s2", "s3"]
# comparisons: [winner index, loser index, count]; ties: [i, j, count] count as half a win each.
wins = [[0, 1, 30], [1, 0, 18], [0, 2, 35], [2, 0, 10], [0, 3, 25], [3, 0, 25],
        [1, 2, 22], [2, 1, 15], [1, 3, 12], [3, 1, 20], [2, 3, 9], [3, 2, 21]]
ties = [[0, 1, 6], [0, 2, 4], [1, 3, 8], [2, 3, 2]]
W = np.zeros((4, 4))
for i, j, c in wins:
    W[i, j] += c
for i, j, c in ties:
    W[i, j] += c / 2
    W[j, i] += c / 2


def bt_negloglik(free):
    beta = np.append(free, -free.sum())  # log-strengths with mean 0
    ll = 0.0
    for i in range(4):
        for j in range(4):
            if i != j and W[i, j] > 0:
                ll += W[i, j] * (beta[i] - np.logaddexp(beta[i], beta[j]))
    return -ll


fit = optimize.minimize(bt_negloglik, np.zeros(3), method="BFGS", options={"gtol": 1e-12})
beta = np.append(fit.x, -fit.x.sum())
out["bradleyTerry"] = {
    "systems": systems,
    "wins": wins,
    "ties": ties,
    "logStrengths": [float(b) for b in beta],
}


# ---------------------------------------------------------------- Krippendorff's alpha
def krippendorff_alpha(data, level):
    """data: coders x units with np.nan for missing, transcribed from Krippendorff (2011)."""
    data = np.asarray(data, dtype=float)
    values = np.unique(data[~np.isnan(data)])
    index = {v: i for i, v in enumerate(values)}
    V = len(values)
    o = np.zeros((V, V))
    for u in range(data.shape[1]):
        col = data[:, u]
        col = col[~np.isnan(col)]
        m = len(col)
        if m < 2:
            continue
        for a in range(m):
            for b in range(m):
                if a != b:
                    o[index[col[a]], index[col[b]]] += 1.0 / (m - 1)
    n_c = o.sum(axis=1)
    n = n_c.sum()
    delta = np.zeros((V, V))
    for c in range(V):
        for k in range(V):
            if level == "nominal":
                delta[c, k] = 0.0 if c == k else 1.0
            elif level == "interval":
                delta[c, k] = (values[c] - values[k]) ** 2
            elif level == "ratio":
                delta[c, k] = ((values[c] - values[k]) / (values[c] + values[k])) ** 2
            elif level == "ordinal":
                lo, hi = min(c, k), max(c, k)
                delta[c, k] = (n_c[lo:hi + 1].sum() - (n_c[c] + n_c[k]) / 2.0) ** 2
    d_o = (o * delta).sum()
    d_e = (np.outer(n_c, n_c) * delta).sum()
    return float(1.0 - (n - 1) * d_o / d_e), float(n)


nan = float("nan")
# Krippendorff (2011), section C: 4 observers x 12 units, nominal data with missing values.
k2011 = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, nan, nan, nan],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, nan, 3],
    [nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, nan],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, nan],
]
published = {"nominal": 0.743, "ordinal": 0.815, "interval": 0.849, "ratio": 0.797}
computed = {level: krippendorff_alpha(k2011, level)[0] for level in published}
for level, value in published.items():
    assert abs(computed[level] - value) < 5e-4, (level, computed[level], value)

# A second, integer-valued ratings set (3 coders x 10 units, Likert 1-5, gaps).
likert = [
    [4, 5, 3, 2, 4, 1, 5, nan, 3, 4],
    [4, 4, 3, 3, 5, 2, 5, 2, nan, 4],
    [5, 4, 2, 2, 4, 1, nan, 1, 3, 3],
]
out["krippendorff"] = {
    "paper2011": {
        "coderRows": [[None if np.isnan(v) else v for v in row] for row in k2011],
        "published": published,
        "alpha": computed,
        "pairableValues": krippendorff_alpha(k2011, "nominal")[1],
    },
    "likert": {
        "coderRows": [[None if np.isnan(v) else v for v in row] for row in likert],
        "alpha": {level: krippendorff_alpha(likert, level)[0] for level in ["nominal", "ordinal", "interval"]},
    },
}

with open(os.path.join(HERE, "reference-values.json"), "w") as fh:
    json.dump(out, fh, indent=1)
    fh.write("\n")
print("wrote reference-values.json", {k: round(v, 4) for k, v in computed.items()})
