"""Times the reference formulas (pytorch-fid's FID with scipy sqrtm, torch-fidelity's KID with
numpy) on the sizes bench_metrics.cpp uses, for docs/metrics.md. Same distributions, not the
same numbers (numpy's generator), so values agree only to sampling noise.

Run: OPENBLAS_CORETYPE=SkylakeX /usr/bin/python3 bench/metrics/reference_timing.py D
"""
import time, sys
import numpy as np, scipy.linalg
n, d = 10000, int(sys.argv[1])
rng = np.random.default_rng(1)
real = rng.normal(size=(n, d)); gen = 0.1 + 1.2 * rng.normal(size=(n, d))
t = time.time()
mu1, mu2 = real.mean(0), gen.mean(0); s1, s2 = np.cov(real, rowvar=False), np.cov(gen, rowvar=False)
covmean, _ = scipy.linalg.sqrtm(s1.dot(s2), disp=False)
fid = ((mu1 - mu2) ** 2).sum() + np.trace(s1) + np.trace(s2) - 2 * np.trace(covmean.real)
print(f"D={d} fid (pytorch-fid formula) {time.time() - t:.3f} s  fid {fid:.6g}")
t = time.time()
r = np.random.RandomState(0); mmds = []
for _ in range(100):
    x = real[r.choice(n, 1000, replace=False)]; y = gen[r.choice(n, 1000, replace=False)]
    k = lambda a, b: (a @ b.T / d + 1) ** 3
    kxx, kyy, kxy = k(x, x), k(y, y), k(x, y); m = 1000
    mmds.append((kxx.sum() - np.trace(kxx) + kyy.sum() - np.trace(kyy)) / (m * (m - 1)) - 2 * kxy.sum() / m ** 2)
print(f"D={d} kid (torch-fidelity formula, numpy) {time.time() - t:.3f} s  kid {np.mean(mmds):.6g}")
