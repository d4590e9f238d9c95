#!/usr/bin/python3
"""Writes the golden vectors of the scheduler tests: tests/schedulers/golden/*.json.

Everything is re-derived here from the papers' formulas with numpy in float64, written
independently of the C++ code:
  betas and alphas_cumprod  Ho et al. 2020 (linear), Nichol & Dhariwal 2021 eq. 17
                            (squaredcos_cap_v2), Lin et al. 2023 Algorithm 1 (zero SNR)
  timestep spacing          Lin et al. 2023 Table 2, as diffusers implements it
  DDPM step                 Ho et al. 2020 eq. 6-7 (posterior of the strided chain)
  DDIM step                 Song et al. 2021 eq. 12 and 16
  Euler, Heun, sigmas       Karras et al. 2022 Algorithm 1 and eq. 5 (rho = 7)
  Euler ancestral           k-diffusion's sample_euler_ancestral
  DPM-Solver++(2M)          Lu et al. 2022 Algorithm 2, in lambda = log(alpha/sigma);
                            dynamic thresholding of x0: Saharia et al. 2022 (Imagen) 2.3
  noise                     Philox4x32-10 (Salmon et al. 2011) + Box-Muller, as
                            sdk/include/genhost/cpp/scheduler/philox_normal.hpp documents
Inputs (samples, model outputs) are float32 values; expected outputs are float64.

Run: /usr/bin/python3 tests/schedulers/make_golden.py   (numpy only)
"""
import json
import math
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "golden")
N = 1000
SHAPE = [2, 1, 1, 3]

# ---- noise schedules ------------------------------------------------------------------


def betas_for(schedule, beta_start=0.0001, beta_end=0.02, n=N):
    if schedule == "linear":
        return np.linspace(beta_start, beta_end, n, dtype=np.float64)
    if schedule == "scaled_linear":
        return np.linspace(beta_start ** 0.5, beta_end ** 0.5, n, dtype=np.float64) ** 2
    if schedule == "squaredcos_cap_v2":
        f = lambda t: math.cos((t + 0.008) / 1.008 * math.pi / 2) ** 2
        return np.array([min(1 - f((i + 1) / n) / f(i / n), 0.999) for i in range(n)])
    if schedule == "sigmoid":
        x = np.linspace(-6, 6, n, dtype=np.float64)
        return 1 / (1 + np.exp(-x)) * (beta_end - beta_start) + beta_start
    raise ValueError(schedule)


def zero_snr(betas):
    root = np.sqrt(np.cumprod(1.0 - betas))
    first, last = root[0], root[-1]
    root = (root - last) * first / (first - last)
    bar = root ** 2
    alphas = np.concatenate([bar[:1], bar[1:] / bar[:-1]])
    return 1 - alphas


def alphas_cumprod_for(params):
    p = dict(params)
    if p.get("trained_betas") is not None:
        betas = np.array(p["trained_betas"], dtype=np.float64)
    else:
        betas = betas_for(p.get("beta_schedule", "linear"), p.get("beta_start", 0.0001), p.get("beta_end", 0.02),
                          p.get("num_train_timesteps", N))
    if p.get("rescale_betas_zero_snr"):
        betas = zero_snr(betas)
    return betas, np.cumprod(1.0 - betas)


# ---- timesteps --------------------------------------------------------------------------


def discrete_timesteps(n, spacing, offset=0, N=N):
    if spacing == "linspace":
        return np.linspace(0, N - 1, n).round()[::-1].copy()
    if spacing == "leading":
        return (np.arange(0, n) * (N // n)).round()[::-1].astype(np.float64) + offset
    # trailing: exactly n strides of N / n from N down (numpy.arange can give n + 1)
    return np.round(N - np.arange(n) * (N / n)) - 1


def continuous_timesteps(n, spacing, offset=0, N=N):
    if spacing == "linspace":
        return np.linspace(0, N - 1, n)[::-1].copy()
    return discrete_timesteps(n, spacing, offset, N)


def dpm_timesteps(n, spacing, offset=0, N=N):
    if spacing == "linspace":
        return np.linspace(0, N - 1, n + 1).round()[::-1][:-1].copy()
    if spacing == "leading":
        return (np.arange(0, n + 1) * (N // (n + 1))).round()[::-1][:-1].astype(np.float64) + offset
    return discrete_timesteps(n, spacing, offset, N)


# ---- sigmas (Karras et al. 2022) --------------------------------------------------------


def karras(sigma_min, sigma_max, n, rho=7.0):
    ramp = np.linspace(0, 1, n)
    return (sigma_max ** (1 / rho) + ramp * (sigma_min ** (1 / rho) - sigma_max ** (1 / rho))) ** rho


def sigma_to_t(sigma, log_sigmas):
    log_sigma = np.log(np.maximum(sigma, 1e-10))
    dists = log_sigma - log_sigmas[:, np.newaxis]
    low = np.cumsum(dists >= 0, axis=0).argmax(axis=0).clip(max=log_sigmas.shape[0] - 2)
    lo, hi = log_sigmas[low], log_sigmas[low + 1]
    w = np.clip((lo - log_sigma) / (lo - hi), 0, 1)
    return float(((1 - w) * low + w * (low + 1)).reshape(()))


def sigma_alphas_cumprod(params):
    _, a = alphas_cumprod_for(params)
    if a[-1] <= 0:
        a = a.copy()
        a[-1] = 2.0 ** -24
    return a


def euler_run(params, n):
    a = sigma_alphas_cumprod(params)
    table = np.sqrt((1 - a) / a)
    t = continuous_timesteps(n, params.get("timestep_spacing", "linspace"), params.get("steps_offset", 0))
    s = np.interp(t, np.arange(len(table)), table)
    if params.get("use_karras_sigmas"):
        s = karras(s[-1], s[0], n)
        t = np.array([sigma_to_t(x, np.log(table)) for x in s])
    return a, t, s


def init_noise_sigma(sigmas, spacing):
    m = float(np.max(sigmas))
    return math.sqrt(m * m + 1) if spacing == "leading" else m


# ---- noise: Philox4x32-10 + Box-Muller -------------------------------------------------

M0, M1, W0, W1 = 0xD2511F53, 0xCD9E8D57, 0x9E3779B9, 0xBB67AE85
MASK = 0xFFFFFFFF


def philox(counter, key):
    c = list(counter)
    k = list(key)
    for r in range(10):
        if r:
            k = [(k[0] + W0) & MASK, (k[1] + W1) & MASK]
        p0, p1 = M0 * c[0], M1 * c[2]
        c = [((p1 >> 32) ^ c[1] ^ k[0]) & MASK, p1 & MASK, ((p0 >> 32) ^ c[3] ^ k[1]) & MASK, p0 & MASK]
    return c


def normals(seed, count):
    key = [seed & MASK, (seed >> 32) & MASK]
    out = []
    for block in range((count + 3) // 4):
        b = philox([block & MASK, block >> 32, 0, 0], key)
        for pair in range(2):
            u1 = (b[2 * pair] + 0.5) / 2.0 ** 32
            u2 = b[2 * pair + 1] / 2.0 ** 32
            r = math.sqrt(-2 * math.log(u1))
            out += [r * math.cos(2 * math.pi * u2), r * math.sin(2 * math.pi * u2)]
    return np.array(out[:count], dtype=np.float32).astype(np.float64)  # the plugins use float32 noise


# ---- steps, per paper --------------------------------------------------------------------


def x0_and_eps(pred, a_t, x, out):
    if pred == "epsilon":
        return (x - math.sqrt(1 - a_t) * out) / math.sqrt(a_t), out
    if pred == "v_prediction":
        return math.sqrt(a_t) * x - math.sqrt(1 - a_t) * out, math.sqrt(a_t) * out + math.sqrt(1 - a_t) * x
    return out, (x - math.sqrt(a_t) * out) / math.sqrt(1 - a_t)


def ddpm_step(params, timesteps, a, i, x, out, seed):
    t = int(timesteps[i])
    a_t = a[t]
    a_prev = a[int(timesteps[i + 1])] if i + 1 < len(timesteps) else 1.0
    alpha = a_t / a_prev
    beta = 1 - alpha
    x0, _ = x0_and_eps(params.get("prediction_type", "epsilon"), a_t, x, out)
    if params.get("clip_sample", True):
        r = params.get("clip_sample_range", 1.0)
        x0 = np.clip(x0, -r, r)
    # Ho et al. eq. 7: posterior mean and variance of q(x_prev | x_t, x0).
    mean = math.sqrt(a_prev) * beta / (1 - a_t) * x0 + math.sqrt(alpha) * (1 - a_prev) / (1 - a_t) * x
    var = beta if params.get("variance_type") == "fixed_large" else max((1 - a_prev) / (1 - a_t) * beta, 1e-20)
    if t > 0:
        mean = mean + math.sqrt(var) * normals(seed, x.size).reshape(x.shape)
    return mean


def ddim_step(params, timesteps, a, i, x, out, seed):
    a_t = a[int(timesteps[i])]
    final = 1.0 if params.get("set_alpha_to_one", True) else a[0]
    a_prev = a[int(timesteps[i + 1])] if i + 1 < len(timesteps) else final
    x0, eps = x0_and_eps(params.get("prediction_type", "epsilon"), a_t, x, out)
    if params.get("clip_sample", True):
        r = params.get("clip_sample_range", 1.0)
        x0 = np.clip(x0, -r, r)
        if params.get("use_clipped_model_output", False):  # GLIDE: eps from the clipped x0
            eps = (x - math.sqrt(a_t) * x0) / math.sqrt(1 - a_t)
    eta = params.get("eta", 0.0)
    sigma = eta * math.sqrt((1 - a_prev) / (1 - a_t)) * math.sqrt(1 - a_t / a_prev)  # eq. 16
    prev = math.sqrt(a_prev) * x0 + math.sqrt(1 - a_prev - sigma ** 2) * eps  # eq. 12
    if sigma > 0:
        prev = prev + sigma * normals(seed, x.size).reshape(x.shape)
    return prev


def ve_x0(pred, sigma, x, out):
    # The denoiser saw x / sqrt(sigma^2 + 1) = alpha x0 + s eps with alpha = 1/sqrt(1+sigma^2).
    alpha = 1 / math.sqrt(sigma ** 2 + 1)
    s = sigma * alpha
    xs = x * alpha
    if pred == "epsilon":
        return (xs - s * out) / alpha
    if pred == "v_prediction":
        return alpha * xs - s * out
    return out


def model_input_scale(sigma):
    return 1 / math.sqrt(sigma ** 2 + 1)


# ---- writing ------------------------------------------------------------------------------

rng = np.random.default_rng(20261121)


def f32(shape=SHAPE, scale=1.0):
    # Multiples of 1/64: exact in float32 and short in JSON.
    return np.round(rng.standard_normal(shape) * scale * 64) / 64


def flat(a):
    # 10 significant digits: 5e-10 relative, far below the tests' 1e-6.
    return [float("%.10g" % v) for v in np.asarray(a, dtype=np.float64).ravel()]


def write(name, data):
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, name), "w") as f:
        json.dump(data, f, indent=None, separators=(",", ":"))
        f.write("\n")


def schedules():
    idx = list(range(0, 5)) + list(range(50, 1000, 97)) + list(range(995, 1000))
    cases = []
    configs = [{"beta_schedule": s} for s in ["linear", "scaled_linear", "squaredcos_cap_v2", "sigmoid"]]
    configs += [{"beta_schedule": "scaled_linear", "beta_start": 0.00085, "beta_end": 0.012},
                {"beta_schedule": "linear", "rescale_betas_zero_snr": True},
                {"beta_schedule": "scaled_linear", "beta_start": 0.00085, "beta_end": 0.012,
                 "rescale_betas_zero_snr": True}]
    for params in configs:
        betas, a = alphas_cumprod_for(params)
        cases.append({"params": params, "indices": idx, "betas": flat(betas[idx]), "alphas_cumprod": flat(a[idx])})
    trained = [0.1, 0.2, 0.3, 0.4, 0.5]
    betas, a = alphas_cumprod_for({"trained_betas": trained, "num_train_timesteps": 5})
    cases.append({"params": {"trained_betas": trained, "num_train_timesteps": 5}, "indices": list(range(5)),
                  "betas": flat(betas), "alphas_cumprod": flat(a)})
    write("schedules.json", cases)


def timesteps():
    cases = []
    for n in [1, 7, 61, 1000]:
        for spacing in ["linspace", "leading", "trailing"]:
            for offset in ([0, 1] if spacing == "leading" and n < 1000 else [0]):
                if n == 1000:  # every training step: the discrete lists only
                    cases.append({"scheduler": "ddpm", "params": {"timestep_spacing": spacing}, "n": n,
                                  "timesteps": flat(discrete_timesteps(n, spacing, offset))})
                    continue
                base = {"timestep_spacing": spacing, "steps_offset": offset}
                cases.append({"scheduler": "ddim", "params": base, "n": n,
                              "timesteps": flat(discrete_timesteps(n, spacing, offset))})
                cases.append({"scheduler": "dpmpp-2m", "params": base, "n": n,
                                  "timesteps": flat(dpm_timesteps(n, spacing, offset))})
                for karr in [False, True]:
                    if karr and n == 1:
                        continue
                    p = dict(base, use_karras_sigmas=karr)
                    a, t, s = euler_run(p, n)
                    name = "euler" if n != 61 else "euler-ancestral"
                    cases.append({"scheduler": name, "params": p, "n": n, "timesteps": flat(t),
                                  "init_noise_sigma": init_noise_sigma(s, spacing)})
                    if n != 7:
                        continue
                    heun_params = dict(p, beta_start=0.00085, beta_end=0.012)
                    a, t2, s2 = euler_run(heun_params, n)
                    heun_t = np.concatenate([t2[:1], np.repeat(t2[1:], 2)])
                    cases.append({"scheduler": "heun", "params": p, "n": n, "timesteps": flat(heun_t),
                                  "init_noise_sigma": init_noise_sigma(s2, spacing)})
    # DPM-Solver++ with Karras sigmas: from the training range, timesteps rounded.
    for n in [5, 20]:
        a = sigma_alphas_cumprod({})
        table = np.sqrt((1 - a) / a)
        s = karras(table[0], table[-1], n)
        t = np.array([sigma_to_t(x, np.log(table)) for x in s]).round()
        cases.append({"scheduler": "dpmpp-2m", "params": {"use_karras_sigmas": True}, "n": n, "timesteps": flat(t)})
    write("timesteps.json", cases)


def sigmas():
    cases = []
    for spacing in ["linspace", "leading", "trailing"]:
        for karr in [False, True]:
            p = {"timestep_spacing": spacing, "use_karras_sigmas": karr, "beta_schedule": "scaled_linear",
                 "beta_start": 0.00085, "beta_end": 0.012}
            a, t, s = euler_run(p, 10)
            cases.append({"params": p, "n": 10, "timesteps": flat(t), "sigmas": flat(s)})
    a = sigma_alphas_cumprod({})
    table = np.sqrt((1 - a) / a)
    write("sigmas.json", {"euler_family": cases,
                          "karras": {"sigma_min": float(table[0]), "sigma_max": float(table[-1]), "n": 8,
                                     "sigmas": flat(karras(table[0], table[-1], 8))},
                          "sigma_to_t": [{"sigma": float(x), "t": sigma_to_t(x, np.log(table))}
                                         for x in [1e-3, table[0], 0.5, 1.0, 3.3, table[-1], 200.0]]})


def stepwise(name, params, n, indices, fn, sequential=False):
    """One case: steps at `indices` with random inputs; fn(i, x, out, seed) -> (x_in, prev)."""
    steps = []
    for i in indices:
        x = f32(scale=2.0)
        out = f32()
        seed = int(rng.integers(0, 2 ** 63))
        x_in, prev = fn(i, x, out, seed)
        steps.append({"step_index": i, "sample": flat(x), "model_output": flat(out), "seed": seed,
                      "input_scale": flat([np.sum(x_in * x) / np.sum(x * x)])[0], "prev_sample": flat(prev)})
    return {"scheduler": name, "params": params, "n": n, "sequential": sequential, "steps": steps}


def step_cases():
    cases = []
    preds = ["epsilon", "v_prediction", "sample"]
    # DDPM
    for params in [{"prediction_type": p} for p in preds] + [
            {"variance_type": "fixed_large", "clip_sample": False},
            {"timestep_spacing": "trailing", "clip_sample_range": 0.5},
            {"beta_schedule": "squaredcos_cap_v2", "steps_offset": 1},
            {"rescale_betas_zero_snr": True, "prediction_type": "v_prediction"}]:
        n = 10
        t = discrete_timesteps(n, params.get("timestep_spacing", "leading"), params.get("steps_offset", 0))
        _, a = alphas_cumprod_for(params)
        cases.append(stepwise("ddpm", params, n, [0, 4, 9],
                              lambda i, x, out, seed: (x, ddpm_step(params, t, a, i, x, out, seed))))
    # DDIM
    for params in [{"prediction_type": p} for p in preds] + [
            {"eta": 0.5}, {"eta": 1.0, "clip_sample": False}, {"set_alpha_to_one": False},
            {"timestep_spacing": "trailing", "clip_sample": False},
            {"timestep_spacing": "linspace", "beta_schedule": "scaled_linear", "beta_start": 0.00085,
             "beta_end": 0.012, "clip_sample": False},
            {"use_clipped_model_output": True, "clip_sample_range": 0.5},
            {"use_clipped_model_output": True, "eta": 0.5, "prediction_type": "v_prediction"}]:
        n = 10
        t = discrete_timesteps(n, params.get("timestep_spacing", "leading"), params.get("steps_offset", 0))
        _, a = alphas_cumprod_for(params)
        cases.append(stepwise("ddim", params, n, [0, 4, 9],
                              lambda i, x, out, seed: (x, ddim_step(params, t, a, i, x, out, seed))))
    # Euler and Euler ancestral
    for params in [{"prediction_type": p} for p in preds] + [
            {"use_karras_sigmas": True}, {"final_sigmas_type": "sigma_min"},
            {"timestep_spacing": "leading", "steps_offset": 1},
            {"rescale_betas_zero_snr": True, "prediction_type": "v_prediction", "timestep_spacing": "trailing"}]:
        n = 10
        a, t, s = euler_run(params, n)
        last = math.sqrt((1 - a[0]) / a[0]) if params.get("final_sigmas_type") == "sigma_min" else 0.0
        s = np.concatenate([s, [last]])

        def euler(i, x, out, seed, s=s, params=params):
            x0 = ve_x0(params.get("prediction_type", "epsilon"), s[i], x, out)
            d = (x - x0) / s[i]
            return x * model_input_scale(s[i]), x + (s[i + 1] - s[i]) * d
        cases.append(stepwise("euler", params, n, [0, 4, 9], euler))

        if "final_sigmas_type" in params or params.get("prediction_type") == "sample":
            continue
        s_anc = s.copy()
        s_anc[-1] = 0.0

        def ancestral(i, x, out, seed, s=s_anc, params=params):
            x0 = ve_x0(params.get("prediction_type", "epsilon"), s[i], x, out)
            up = math.sqrt(s[i + 1] ** 2 * (s[i] ** 2 - s[i + 1] ** 2) / s[i] ** 2)
            down = math.sqrt(s[i + 1] ** 2 - up ** 2)
            d = (x - x0) / s[i]
            z = normals(seed, x.size).reshape(x.shape)
            return x * model_input_scale(s[i]), x + (down - s[i]) * d + up * z
        cases.append(stepwise("euler-ancestral", params, n, [0, 4, 9], ancestral))
    # Heun: every step of a run, predictor and corrector
    for params in [{"prediction_type": p} for p in preds] + [
            {"use_karras_sigmas": True}, {"clip_sample": True, "clip_sample_range": 0.8}]:
        n = 4
        hp = dict(params, beta_start=0.00085, beta_end=0.012)
        a, t, s = euler_run(hp, n)
        sig = np.concatenate([s[:1], np.repeat(s[1:], 2), [0.0]])
        state = {}

        def heun(i, x, out, seed, sig=sig, params=params, state=state):
            corrector = i % 2 == 1
            sigma = sig[i - 1] if corrector else sig[i]
            nxt = sig[i] if corrector else sig[i + 1]
            at = nxt if corrector else sigma
            x0 = ve_x0(params.get("prediction_type", "epsilon"), at, x, out)
            if params.get("clip_sample"):
                x0 = np.clip(x0, -params["clip_sample_range"], params["clip_sample_range"])
            d = (x - x0) / at
            if corrector:
                prev = state["x"] + (nxt - sigma) * (state["d"] + d) / 2
            else:
                state["x"], state["d"] = x, d
                prev = x + (nxt - sigma) * d
            return x * model_input_scale(sig[i]), prev
        cases.append(stepwise("heun", params, n, list(range(2 * n - 1)), heun, sequential=True))
    # DPM-Solver++(2M): every step of a run
    for params, n in [({"prediction_type": p}, 5) for p in preds] + [
            ({"use_karras_sigmas": True}, 6), ({"solver_type": "heun"}, 5),
            ({"final_sigmas_type": "sigma_min", "lower_order_final": False}, 6),
            ({"final_sigmas_type": "sigma_min"}, 16), ({"timestep_spacing": "trailing"}, 5),
            ({"thresholding": True}, 5),
            ({"thresholding": True, "dynamic_thresholding_ratio": 0.6, "sample_max_value": 1.5}, 5)]:
        a = sigma_alphas_cumprod(params)
        table = np.sqrt((1 - a) / a)
        if params.get("use_karras_sigmas"):
            s = karras(table[0], table[-1], n)
        else:
            t = dpm_timesteps(n, params.get("timestep_spacing", "linspace"))
            s = table[t.astype(int)]
        last = table[0] if params.get("final_sigmas_type") == "sigma_min" else 0.0
        s = np.concatenate([s, [last]])
        state = {}

        def dpm(i, x, out, seed, s=s, n=n, params=params, state=state):
            lam = lambda sig: math.log(1 / math.sqrt(sig * sig + 1)) - math.log(sig / math.sqrt(sig * sig + 1))
            alpha = lambda sig: 1 / math.sqrt(sig * sig + 1)
            pred = params.get("prediction_type", "epsilon")
            a_s, s_s = alpha(s[i]), s[i] * alpha(s[i])
            if pred == "epsilon":
                m0 = (x - s_s * out) / a_s
            elif pred == "v_prediction":
                m0 = a_s * x - s_s * out
            else:
                m0 = out
            if params.get("thresholding"):  # Saharia et al. 2022 (Imagen), per image
                q = np.quantile(np.abs(m0.reshape(m0.shape[0], -1)), params.get("dynamic_thresholding_ratio", 0.995), axis=1)
                q = np.minimum(np.maximum(q, 1.0), params.get("sample_max_value", 1.0)).reshape(-1, *[1] * (m0.ndim - 1))
                m0 = np.clip(m0, -q, q) / q
            zero_final = params.get("final_sigmas_type", "zero") == "zero"
            lof = params.get("lower_order_final", True)
            first = i == 0 or (i == n - 1 and ((lof and n < 15) or zero_final))
            if s[i + 1] == 0:
                prev = m0  # lambda_t = inf: the first-order update is x0 itself
            else:
                a_t, s_t = alpha(s[i + 1]), s[i + 1] * alpha(s[i + 1])
                h = lam(s[i + 1]) - lam(s[i])
                prev = (s_t / s_s) * x - a_t * (math.exp(-h) - 1) * m0
                if not first:
                    r0 = (lam(s[i]) - lam(s[i - 1])) / h
                    D1 = (m0 - state["m1"]) / r0
                    if params.get("solver_type", "midpoint") == "heun":
                        prev = prev + a_t * ((math.exp(-h) - 1) / h + 1) * D1
                    else:
                        prev = prev - 0.5 * a_t * (math.exp(-h) - 1) * D1
            state["m1"] = m0
            return x, prev
        cases.append(stepwise("dpmpp-2m", params, n, list(range(n)), dpm, sequential=True))
    write("steps.json", cases)


def noise():
    kat = [  # Random123 known-answer vectors for philox4x32_10
        ([0, 0, 0, 0], [0, 0]),
        ([MASK] * 4, [MASK, MASK]),
        ([0x243F6A88, 0x85A308D3, 0x13198A2E, 0x03707344], [0xA4093822, 0x299F31D0]),
    ]
    write("noise.json", {
        "philox": [{"counter": c, "key": k, "out": philox(c, k)} for c, k in kat],
        "normals": [{"seed": seed, "first": 0, "values": flat(normals(seed, 10))}
                    for seed in [0, 1, 2 ** 64 - 1, 123456789012345]],
    })


if __name__ == "__main__":
    schedules()
    timesteps()
    sigmas()
    step_cases()
    noise()
    for name in sorted(os.listdir(OUT)):
        print(name, os.path.getsize(os.path.join(OUT, name)), "bytes")
