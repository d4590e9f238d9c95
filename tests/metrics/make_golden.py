#!/usr/bin/python3
"""Writes the golden values of the metric tests: tests/metrics/golden/metrics.json.

Fixed float32 features (and class probabilities), and every metric on them in float64,
computed here independently of the C++ code, with the reference implementations' formulas:
  FID        pytorch-fid's calculate_frechet_distance: numpy mean and cov (N - 1),
             scipy.linalg.sqrtm(sigma1 @ sigma2), real part
  KID        torch-fidelity's mmd2 with the polynomial kernel (x.y / d + 1)^3, one subset
             of every image (so no random subset is involved; the MMD of a whole set
             does not depend on the order of its images)
  IS         the original (Salimans et al.) and torch-fidelity formula on consecutive
             chunks i N // splits, population std; unshuffled
  PR         NVlabs' improved precision and recall: k-NN radius = (k+1)-th smallest
             distance within a set (itself included), test ||.|| <= radius
  DC         clovaai's prdc: the same radii, test ||.|| < radius

Run: /usr/bin/python3 tests/metrics/make_golden.py   (numpy, scipy)
"""
import json
import os

import numpy as np
import scipy.linalg

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "golden", "metrics.json")
D, N_REAL, N_GENERATED, K_CLASSES, N_PROBABILITIES = 12, 160, 130, 10, 100


def float32_fixture(values):
    """float32 values whose shortest decimal text, parsed as a double and rounded to
    float (what the C++ test does), gives the same float32 back."""
    values = np.asarray(values, dtype=np.float32)
    texts = [float(str(v)) for v in values.ravel()]
    assert all(np.float32(t) == v for t, v in zip(texts, values.ravel()))
    return values, np.array(texts).reshape(values.shape).tolist()


def fid(real, generated):
    mu1, mu2 = real.mean(axis=0), generated.mean(axis=0)
    sigma1, sigma2 = np.cov(real, rowvar=False), np.cov(generated, rowvar=False)
    diff = mu1 - mu2
    covmean, _ = scipy.linalg.sqrtm(sigma1.dot(sigma2), disp=False)
    assert np.isfinite(covmean).all()
    if np.iscomplexobj(covmean):
        assert np.allclose(np.diagonal(covmean).imag, 0, atol=1e-3)
        covmean = covmean.real
    value = diff.dot(diff) + np.trace(sigma1) + np.trace(sigma2) - 2 * np.trace(covmean)
    # The symmetric form the plugin uses must agree (a check of this script, not of C++).
    root = scipy.linalg.sqrtm(sigma1).real
    symmetric = np.sqrt(np.clip(np.linalg.eigvalsh(root @ sigma2 @ root), 0, None)).sum()
    assert abs(symmetric - np.trace(covmean)) < 1e-9 * abs(np.trace(covmean))
    return float(value)


def kid(real, generated):
    m, d = real.shape
    assert generated.shape[0] == m
    kernel = lambda a, b: (a @ b.T / d + 1) ** 3
    k_xx, k_yy, k_xy = kernel(real, real), kernel(generated, generated), kernel(real, generated)
    off = lambda k: k.sum() - np.diagonal(k).sum()
    return float((off(k_xx) + off(k_yy)) / (m * (m - 1)) - 2 * k_xy.sum() / (m * m))


def inception_score(p, splits):
    n = p.shape[0]
    scores = []
    for i in range(splits):
        part = p[i * n // splits:(i + 1) * n // splits]
        q = part.mean(axis=0, keepdims=True)
        with np.errstate(divide="ignore", invalid="ignore"):
            kl = np.where(part > 0, part * (np.log(part) - np.log(q)), 0.0)
        scores.append(np.exp(kl.sum(axis=1).mean()))
    return [float(np.mean(scores)), float(np.std(scores))]


def distances(a, b):
    return np.sqrt(((a[:, None, :] - b[None, :, :]) ** 2).sum(axis=-1))


def radii(x, k):
    return np.sort(distances(x, x), axis=1)[:, k]


def prdc(real, generated, pr_k, dc_k):
    d = distances(real, generated)  # [real, generated]
    real_pr, real_dc, gen_pr = radii(real, pr_k), radii(real, dc_k), radii(generated, pr_k)
    precision = (d <= real_pr[:, None]).any(axis=0).mean()
    recall = (d <= gen_pr[None, :]).any(axis=1).mean()
    density = (1.0 / dc_k) * (d < real_dc[:, None]).sum(axis=0).mean()
    coverage = (d.min(axis=1) < real_dc).mean()
    return [float(precision), float(recall), float(density), float(coverage)]


def main():
    rng = np.random.default_rng(20261201)
    mixing = rng.normal(size=(D, D)) / np.sqrt(D)
    real, real_json = float32_fixture(rng.normal(size=(N_REAL, D)) @ mixing)
    # A generator that is off: shifted, narrower, and correlated differently.
    other = 0.8 * mixing + 0.3 * rng.normal(size=(D, D)) / np.sqrt(D)
    generated, generated_json = float32_fixture(rng.normal(size=(N_GENERATED, D)) @ other + 0.25)
    real64, generated64 = real.astype(np.float64), generated.astype(np.float64)

    logits = 3.0 * rng.normal(size=(N_PROBABILITIES, K_CLASSES))
    p = np.exp(logits - logits.max(axis=1, keepdims=True))
    p, p_json = float32_fixture(p / p.sum(axis=1, keepdims=True))
    p64 = p.astype(np.float64)

    golden = {
        "real": real_json,
        "generated": generated_json,
        "probabilities": p_json,
        "fid": fid(real64, generated64),
        # KID over the first N_GENERATED real images and every generated one.
        "kid": {"real_rows": N_GENERATED, "value": kid(real64[:N_GENERATED], generated64)},
        "inception_score": [{"splits": s, "values": inception_score(p64, s)} for s in (10, 3, 1)],
        "prdc": [{"pr_k": pr, "dc_k": dc, "values": prdc(real64, generated64, pr, dc)} for pr, dc in ((3, 5), (5, 2))],
    }
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        json.dump(golden, f, separators=(",", ":"))
        f.write("\n")
    print("wrote", OUT, "fid", golden["fid"], "kid", golden["kid"]["value"],
          "is", golden["inception_score"][0]["values"], "prdc", golden["prdc"][0]["values"])


if __name__ == "__main__":
    main()
