"""Do the rows of a CVAE's samples show the classes asked for? Trains a small MLP classifier
on Fashion-MNIST (2 epochs, about 88% test accuracy) and classifies each sample.

  /usr/bin/python3 bench/vae/check_cvae_rows.py runs/cvae/samples.npy [images per class = 8]
Assumes examples/cvae.yaml's labels: class c for samples c*8 .. c*8+7.
"""
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from torch_vae import idx_images  # noqa: E402

import gzip  # noqa: E402
import numpy as np  # noqa: E402


def labels(name):
    with gzip.open("/usr/share/datasets/fashion-mnist/" + name) as f:
        return torch.from_numpy(np.frombuffer(f.read(), np.uint8, offset=8).astype(np.int64))


def main():
    per_class = int(sys.argv[2]) if len(sys.argv) > 2 else 8
    torch.manual_seed(0)
    x, y = idx_images("train-images-idx3-ubyte.gz"), labels("train-labels-idx1-ubyte.gz")
    xt, yt = idx_images("t10k-images-idx3-ubyte.gz"), labels("t10k-labels-idx1-ubyte.gz")
    net = torch.nn.Sequential(torch.nn.Linear(784, 256), torch.nn.ReLU(), torch.nn.Linear(256, 10))
    opt = torch.optim.Adam(net.parameters(), 1e-3)
    for _ in range(2):
        order = torch.randperm(len(x))
        for i in range(0, len(x), 128):
            idx = order[i:i + 128]
            loss = F.cross_entropy(net(x[idx]), y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
    with torch.no_grad():
        print(f"classifier test accuracy {(net(xt).argmax(1) == yt).float().mean():.3f}")
        s = torch.from_numpy(np.load(sys.argv[1])).reshape(-1, 784)
        pred = net(s).argmax(1).reshape(-1, per_class)
    hits = 0
    for c, row in enumerate(pred):
        hits += int((row == c).sum())
        print(f"row {c}: asked {c}, classified {row.tolist()}")
    print(f"{hits}/{pred.numel()} samples classified as the class asked for")


if __name__ == "__main__":
    main()
