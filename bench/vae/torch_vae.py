"""PyTorch reference for the VAE quickstart: the same 784-400-20 MLP VAE (Bernoulli p(x|z),
Adam 1e-3, batch 128, shuffled) on Fashion-MNIST, as PyTorch's examples/vae trains it.

  /usr/bin/python3 bench/vae/torch_vae.py --epochs 10 --threads 2     # train, then test ELBO
  /usr/bin/python3 bench/vae/torch_vae.py --epochs 1 --threads 1      # throughput only
  /usr/bin/python3 bench/vae/torch_vae.py --step-bench 300 --threads 1 # as bench/vae/step_bench.cpp

Prints training throughput (images/s, the training loop only: forward, backward, Adam)
and the test-set ELBO per image in nats with one z per image and the KL in closed form,
as genhost's likelihood capability computes it with K = 1.
"""
import argparse
import gzip
import json
import time

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

ROOT = "/usr/share/datasets/fashion-mnist/"


def idx_images(name):
    with gzip.open(ROOT + name) as f:
        data = f.read()
    n, h, w = (int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(3))
    return torch.from_numpy(np.frombuffer(data, np.uint8, offset=16).reshape(n, h * w).astype(np.float32) / 255.0)


class Vae(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1, self.fc21, self.fc22 = nn.Linear(784, 400), nn.Linear(400, 20), nn.Linear(400, 20)
        self.fc3, self.fc4 = nn.Linear(20, 400), nn.Linear(400, 784)

    def forward(self, x):
        h = F.relu(self.fc1(x))
        mu, logvar = self.fc21(h), self.fc22(h)
        z = mu + torch.exp(0.5 * logvar) * torch.randn_like(mu)
        return self.fc4(F.relu(self.fc3(z))), mu, logvar


def terms(model, x):
    """Per-image -log p(x|z) (one z) and KL(q || N(0, I))."""
    logits, mu, logvar = model(x)
    recon = F.binary_cross_entropy_with_logits(logits, x, reduction="none").sum(1)
    kl = -0.5 * (1 + logvar - mu.pow(2) - logvar.exp()).sum(1)
    return recon, kl


def step_bench(model, opt, train, steps, threads):
    """Consecutive batches of 128, one step each: zero grads, forward, backward, Adam."""
    warmup = 20
    for s in range(warmup + steps):
        if s == warmup:
            cpu0, wall0 = time.process_time(), time.perf_counter()
        first = (s * 128) % (len(train) - 128)
        recon, kl = terms(model, train[first:first + 128])
        loss = (recon + kl).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    print(json.dumps({"impl": "torch", "threads": threads, "steps": steps, "images_per_cpu_s": round(steps * 128 / cpu),
                      "images_per_wall_s": round(steps * 128 / wall), "last_loss": round(loss.item(), 2)}))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--epochs", type=int, default=10)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--step-bench", type=int, default=0,
                    help="time this many training steps (after 20 warm-up steps) in CPU and wall time, then stop")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    train, test = idx_images("train-images-idx3-ubyte.gz"), idx_images("t10k-images-idx3-ubyte.gz")
    model = Vae()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    if args.step_bench:
        step_bench(model, opt, train, args.step_bench, args.threads)
        return
    seconds, images = 0.0, 0
    for epoch in range(args.epochs):
        order = torch.randperm(len(train))
        start = time.perf_counter()
        total = 0.0
        for i in range(0, len(train), 128):
            x = train[order[i:i + 128]]
            recon, kl = terms(model, x)
            loss = (recon + kl).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item() * len(x)
        seconds += time.perf_counter() - start
        images += len(train)
        print(f"epoch {epoch + 1}: loss {total / len(train):.2f} nats/image, {len(train) / (time.perf_counter() - start):.0f} img/s", flush=True)
    with torch.no_grad():
        elbo = torch.cat([-sum(terms(model, test[i:i + 1000])) for i in range(0, len(test), 1000)])
    result = {"threads": args.threads, "epochs": args.epochs, "train_images_per_s": images / seconds,
              "test_elbo_nats": float(elbo.mean()), "test_elbo_bits_per_dim": float(-elbo.mean() / (784 * np.log(2)))}
    print(json.dumps(result))


if __name__ == "__main__":
    main()
