"""Fits the rational erf that ActivationsVector.geluErf evaluates: erf(z) ~ z P(z^2) / Q(z^2) on [0, 4].

P has degree 6 and Q degree 5 in z^2 (q0 = 1). Linearized least squares (z P - erf Q = 0) with the
Sanathanan-Koerner weight 1/Q and Lawson reweighting towards the minimax absolute error; prints the
coefficients rounded to float and the error of a float evaluation (FMA Horner, as the kernel does).
Run: python3 runtime/src/main/python/fit_erf.py   (numpy, scipy). Measured: max |error| 1.5e-9 in double,
3.0e-7 evaluated in float; as GELU, at most 0.08 of DESIGN.md's abs 1e-5 + rel 1e-4 tolerance.
"""
import numpy as np
from scipy.special import erf

X, NP, NQ = 4.0, 6, 5
z = (np.cos(np.linspace(0, np.pi, 6000)) + 1) / 2 * X
f, s = erf(z), z * z
A = np.hstack([np.stack([z * s**i for i in range(NP + 1)], 1), np.stack([-f * s**j for j in range(1, NQ + 1)], 1)])
q_prev, lawson, best = np.ones_like(z), np.ones_like(z), None
for _ in range(300):
    w = lawson / np.abs(q_prev)
    scale = np.linalg.norm(A * w[:, None], axis=0)
    sol = np.linalg.lstsq(A * w[:, None] / scale, f * w, rcond=None)[0] / scale
    p, q = sol[:NP + 1], np.concatenate([[1.0], sol[NP + 1:]])
    q_prev = np.polyval(q[::-1], s)
    err = z * np.polyval(p[::-1], s) / q_prev - f
    if best is None or np.abs(err).max() < best[0]:
        best = (np.abs(err).max(), p, q)
    lawson = lawson * np.abs(err) ** 0.3
    lawson /= lawson.sum()
worst, p, q = best
p32, q32 = p.astype(np.float32), q.astype(np.float32)


def horner32(c, x):
    acc = np.full_like(x, c[-1])
    for k in c[-2::-1]:
        acc = (acc.astype(np.float64) * x + k).astype(np.float32)  # one rounding, as an FMA
    return acc


zs = np.linspace(0, X, 400001).astype(np.float32)
ss = (zs * zs).astype(np.float32)
y = np.minimum(((zs * horner32(p32, ss)).astype(np.float32) / horner32(q32, ss)).astype(np.float32), 1)
print("max |error|: double %.2e, float %.2e" % (worst, np.abs(y - erf(zs.astype(np.float64))).max()))
print("P:", ", ".join(repr(float(c)) + "f" for c in p32))
print("Q:", ", ".join(repr(float(c)) + "f" for c in q32))
