"""PyTorch side of bench_elementwise.cpp: the same ops, shapes and timing (1 thread)."""
import time, torch, torch.nn.functional as F
torch.set_num_threads(1)
def best(f, reps=30):
    f(); v = []
    for _ in range(reps):
        c = time.process_time(); f(); v.append(time.process_time() - c)
    v.sort(); return v[0] * 1e3  # best of reps
quiet = True
for s in [(64, 16, 28, 28), (64, 32, 14, 14)] * 2:  # the first pass unprinted, as bench.cpp
    g = torch.Generator().manual_seed(0)
    C = s[1]
    x = torch.randn(s, generator=g, requires_grad=True); go = torch.randn(s, generator=g); y2 = torch.randn(s, generator=g)
    w = torch.randn(C, generator=g, requires_grad=True); b = torch.randn(C, generator=g, requires_grad=True)
    b4 = torch.randn(1, C, 1, 1, generator=g, requires_grad=True)
    xs = torch.randn(s[0], s[1], s[2] // 2, s[3] // 2, generator=g, requires_grad=True)
    tag = "[%d,%d,%d,%d]" % s
    def fb(f, wrt, name):
        def fwd():
            with torch.no_grad(): f()
        tf = best(fwd)
        tfb = best(lambda: torch.autograd.grad([f()], wrt, [go]))
        if not quiet: print("%-22s %-16s fwd %7.3f ms  bwd %7.3f ms" % (name, tag, tf, tfb - tf))
    fb(lambda: F.silu(x), [x], "silu")
    fb(lambda: F.group_norm(x, 8, w, b, 1e-5), [x, w, b], "group_norm(8)")
    fb(lambda: x + b4, [x, b4], "add bias [1,C,1,1]")
    fb(lambda: x + y2, [x], "add same-shape")
    fb(lambda: F.interpolate(xs, scale_factor=2, mode="nearest"), [xs], "upsample_nearest x2")
    quiet = quiet and s != (64, 32, 14, 14)
