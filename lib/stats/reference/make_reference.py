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

# ---------------------------------------------------------------- two-way cluster intervals
# Cameron, Gelbach & Miller (2011): V = V_items + V_annotators - V_ratings on the influence of
# each rating, written here with indicator matrices; small-sample factor G / (G - 1) on each
# one-way part; t quantile with min(G_items, G_annotators) - 1 degrees of freedom.
def crossed_case(seed, items, annotators, k):
    r = np.random.default_rng(seed)
    lean = r.normal(0, 0.4, annotators)
    rows = []
    for i in range(items):
        level = r.normal(0, 0.8)
        for a in sorted(r.choice(annotators, size=k if i % 4 else k - 1, replace=False)):
            t = float(np.clip(np.round(4 + level + r.normal(0, 0.7)), 1, 5))
            s = float(np.clip(np.round(3.8 + level + lean[a] + r.normal(0, 0.7)), 1, 5))
            rows.append((i, int(a), s, t))
    return rows


def cgm(item, annot, e):
    def part(keys):
        labels = np.unique(keys)
        D = (keys[:, None] == labels[None, :]).astype(float)
        g = len(labels)
        return g / (g - 1) * float(np.sum((D.T @ e) ** 2)), g
    vi, gi = part(item)
    va, ga = part(annot)
    if ga < 2:
        return vi, gi - 1
    return max(vi + va - float(np.sum(e ** 2)), vi, va), min(gi, ga) - 1


def two_way(rows, kind, level=0.95):
    item = np.array([r[0] for r in rows])
    annot = np.array([r[1] for r in rows])
    s = np.array([r[2] for r in rows])
    t = np.array([r[3] for r in rows])
    labels, inverse, counts = np.unique(item, return_inverse=True, return_counts=True)
    w = 1.0 / (len(labels) * counts[inverse])
    S, T = float(w @ s), float(w @ t)
    if kind == "difference":
        est, e = S - T, w * ((s - S) - (t - T))
    elif kind == "relative":
        est = 100 * S / T
        e = w * 100 * (s - est / 100 * t) / T
    else:
        est, e = S, w * (s - S)
    V, df = cgm(item, annot, e)
    q = float(stats.t.ppf(1 - (1 - level) / 2, df))
    se = float(np.sqrt(V))
    return {"estimate": est, "lower": est - q * se, "upper": est + q * se, "standardError": se, "df": int(df)}


two_way_cases = {"balanced": crossed_case(11, 24, 6, 3), "sparse": crossed_case(12, 40, 15, 2)}
out["twoWay"] = {
    "cases": {name: [list(r) for r in rows] for name, rows in two_way_cases.items()},
    "expected": {
        name: {kind: two_way(rows, kind) for kind in ["difference", "relative", "mean"]}
        for name, rows in two_way_cases.items()
    },
}

# ---------------------------------------------------------------- non-inferiority (Bonferroni over the two cases)
margin = 0.05
m_family = len(two_way_cases)
ni = {}
for name in two_way_cases:
    rel = out["twoWay"]["expected"][name]["relative"]
    q = float(stats.t.ppf(1 - 0.025 / m_family, rel["df"]))
    lo, hi = rel["estimate"] - q * rel["standardError"], rel["estimate"] + q * rel["standardError"]
    verdict = "non-inferior" if lo > 95 else "inferior" if hi < 95 else "inconclusive"
    ni[name] = {"lowerBound": lo, "upperBound": hi, "level": 1 - 0.025 / m_family, "verdict": verdict}
out["nonInferiority"] = {"margin": margin, "expected": ni}


# ---------------------------------------------------------------- sample-size plan
def plan(c):
    alpha = 0.025 / c["comparisons"]
    delta = c["teacherMean"] * (c["expectedRelative"] - (1 - c["margin"]))
    k = c["annotatorsPerItem"]

    def annotators(n):
        return max(k, -(-n * k // c["itemsPerAnnotator"])) if c["itemsPerAnnotator"] else k

    def power(n):
        var = (c["itemSd"] ** 2 + c["residualSd"] ** 2 / k) / n + c["annotatorSd"] ** 2 / annotators(n)
        return float(stats.norm.cdf(delta / np.sqrt(var) - stats.norm.ppf(1 - alpha)))

    for n in range(1, 200001):  # a plain scan: independent of the TypeScript bisection
        if power(n) >= 0.8:
            return {"items": n, "annotators": annotators(n), "ratings": n * k, "power": power(n)}
    return None


plan_cases = [
    dict(teacherMean=4.2, expectedRelative=1.0, margin=0.05, itemSd=0.6, residualSd=0.9, annotatorSd=0.2,
         annotatorsPerItem=3, itemsPerAnnotator=50, comparisons=2),
    dict(teacherMean=3.5, expectedRelative=0.98, margin=0.04, itemSd=0.8, residualSd=1.1, annotatorSd=0.0,
         annotatorsPerItem=2, itemsPerAnnotator=None, comparisons=4),
    dict(teacherMean=4.0, expectedRelative=1.0, margin=0.05, itemSd=0.5, residualSd=0.8, annotatorSd=0.5,
         annotatorsPerItem=3, itemsPerAnnotator=None, comparisons=1),
]
out["plan"] = [{"input": c, "expected": plan(c)} for c in plan_cases]

# Pilot spread: moment estimators of y = student - (1 - margin) * teacher.
pilot = two_way_cases["balanced"]
y = np.array([r[2] - (1 - margin) * r[3] for r in pilot])
pi = np.array([r[0] for r in pilot])
pa = np.array([r[1] for r in pilot])
item_labels = np.unique(pi)
item_means = np.array([y[pi == i].mean() for i in item_labels])
n_i = np.array([np.sum(pi == i) for i in item_labels])
residual = sum(float(np.sum((y[pi == i] - y[pi == i].mean()) ** 2)) for i in item_labels) / float(np.sum(n_i - 1))
resid = y - item_means[np.searchsorted(item_labels, pi)]
ann_labels = np.unique(pa)
ann_means = np.array([resid[pa == a].mean() for a in ann_labels])
m_a = np.array([np.sum(pa == a) for a in ann_labels])
out["spread"] = {
    "margin": margin,
    "teacherMean": float(np.mean([np.mean([r[3] for r in pilot if r[0] == i]) for i in item_labels])),
    "itemSd": float(np.sqrt(max(0.0, np.var(item_means, ddof=1) - residual * np.mean(1 / n_i)))),
    "residualSd": float(np.sqrt(residual)),
    "annotatorSd": float(np.sqrt(max(0.0, np.var(ann_means, ddof=1) - residual * np.mean(1 / m_a)))),
}

# "How many more": the half-width on the estimate's side shrinks as 1 / sqrt(items).
more_cases = [
    dict(estimate=97.0, lower=93.0, upper=101.0, threshold=95.0, items=40, ratings=120),
    dict(estimate=92.0, lower=86.0, upper=98.5, threshold=95.0, items=25, ratings=50),
    dict(estimate=99.0, lower=96.0, upper=102.0, threshold=95.0, items=40, ratings=120),
]


def more(c):
    gap = abs(c["estimate"] - c["threshold"])
    half = c["estimate"] - c["lower"] if c["estimate"] >= c["threshold"] else c["upper"] - c["estimate"]
    if half <= gap:
        return 0
    needed = int(np.ceil(c["items"] * (half / gap) ** 2))
    return int(np.ceil((needed - c["items"]) * c["ratings"] / c["items"]))


out["moreRatings"] = [{"input": c, "expected": more(c)} for c in more_cases]

with open(os.path.join(HERE, "reference-values.json"), "w") as fh:
    json.dump(out, fh, indent=1)
    fh.write("\n")
print("wrote reference-values.json", {k: round(v, 4) for k, v in computed.items()})
