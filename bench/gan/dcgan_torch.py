"""The DCGAN of plugins/gan/dcgan.cpp in PyTorch on Fashion-MNIST, to compare training with
examples/dcgan-fashion.yaml: same networks, init, loss, Adam 2e-4 (0.5, 0.999), batch 64.

    /usr/bin/python3 bench/gan/dcgan_torch.py 600      # steps; 1 thread
    /usr/bin/python3 bench/gan/dcgan_torch.py 60 --threads 2 --speed   # bench/gan/run.sh

--speed prints one JSON line, the training images/s over the last two thirds of the steps
(genhost's train_log.csv rate over its last log interval is the same window), and nothing
else. Otherwise it prints per 50 steps the means of D's loss, D(x), D(G(z)) (before D's step), G's loss and
D(G(z)) (after it), the columns of the example's train_log.csv, and writes
torch_dcgan_<steps>.png (64 eval-mode samples) in the current folder.
"""
import gzip, json, numpy as np, torch, torch.nn as nn, sys, time
args = sys.argv[1:]
speed = '--speed' in args
threads = int(args[args.index('--threads') + 1]) if '--threads' in args else 1
torch.set_num_threads(threads); torch.manual_seed(0)
steps = int(args[0]) if args and not args[0].startswith('--') else 300
with gzip.open('/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz') as f:
    x = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 1, 28, 28).astype(np.float32) / 255 * 2 - 1
x = torch.from_numpy(x)
ngf = ndf = 64; nz = 100
G = nn.Sequential(nn.ConvTranspose2d(nz, ngf*4, 7, 1, 0, bias=False), nn.BatchNorm2d(ngf*4), nn.ReLU(True),
                  nn.ConvTranspose2d(ngf*4, ngf*2, 4, 2, 1, bias=False), nn.BatchNorm2d(ngf*2), nn.ReLU(True),
                  nn.ConvTranspose2d(ngf*2, 1, 4, 2, 1, bias=False), nn.Tanh())
D = nn.Sequential(nn.Conv2d(1, ndf, 4, 2, 1, bias=False), nn.LeakyReLU(0.2, True),
                  nn.Conv2d(ndf, ndf*2, 4, 2, 1, bias=False), nn.BatchNorm2d(ndf*2), nn.LeakyReLU(0.2, True),
                  nn.Conv2d(ndf*2, 1, 7, 1, 0, bias=False))
def init(m):
    if 'Conv' in type(m).__name__: nn.init.normal_(m.weight, 0, 0.02)
    elif 'BatchNorm' in type(m).__name__: nn.init.normal_(m.weight, 1, 0.02); nn.init.zeros_(m.bias)
G.apply(init); D.apply(init)
oG = torch.optim.Adam(G.parameters(), 2e-4, betas=(0.5, 0.999)); oD = torch.optim.Adam(D.parameters(), 2e-4, betas=(0.5, 0.999))
bce = nn.BCEWithLogitsLoss(); perm = torch.randperm(len(x)); t0 = time.time(); acc = []
for step in range(steps):
    if step == steps // 3: t_speed = time.perf_counter()
    real = x[perm[(step*64) % 59968:(step*64) % 59968 + 64]]
    with torch.no_grad(): fake = G(torch.randn(64, nz, 1, 1))
    sr, sf = D(real).view(-1), D(fake).view(-1)
    lD = bce(sr, torch.ones(64)) + bce(sf, torch.zeros(64)); oD.zero_grad(); lD.backward(); oD.step()
    sf2 = D(G(torch.randn(64, nz, 1, 1))).view(-1); lG = bce(sf2, torch.ones(64)); oG.zero_grad(); lG.backward(); oG.step()
    acc.append([lD.item(), torch.sigmoid(sr).mean().item(), torch.sigmoid(sf).mean().item(), lG.item(), torch.sigmoid(sf2).mean().item()])
    if (step + 1) % 50 == 0 and not speed:
        a = np.mean(acc, 0); acc = []
        print(step + 1, ' '.join('%.4f' % v for v in a), '%.0fs' % (time.time() - t0), flush=True)
if speed:
    wall = time.perf_counter() - t_speed
    print(json.dumps({"what": "train", "framework": "torch", "threads": threads, "steps": steps - steps // 3,
                      "images_per_s": (steps - steps // 3) * 64 / wall}), flush=True)
    sys.exit(0)
G.eval()
with torch.no_grad(): s = G(torch.randn(64, nz, 1, 1))
grid = ((s.view(8, 8, 28, 28).permute(0, 2, 1, 3).reshape(224, 224) + 1) * 127.5).clamp(0, 255).byte().numpy()
import zlib, struct
def png(path, a):
    raw = b''.join(b'\x00' + a[i].tobytes() for i in range(a.shape[0]))
    def chunk(t, d): return struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d) & 0xffffffff)
    open(path, 'wb').write(b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', a.shape[1], a.shape[0], 8, 0, 0, 0, 0)) + chunk(b'IDAT', zlib.compress(raw)) + chunk(b'IEND', b''))
png('torch_dcgan_%d.png' % steps, grid)
