// Peak memory of training steps (forward, backward, SGD update) of a DCGAN-style critic
// on 28x28 images, batch 128: the highest resident set during three steps minus the
// resident set before them (Linux's high-water mark reset just before: clear_refs 5).
// Three steps, so that memory an allocator keeps between steps (the engine's buffer
// cache, glibc's heap for torch) is counted too.
// memory_step.py measures the same model in PyTorch the same way.
#include <fstream>
#include <iostream>
#include <string>

#include <genhost/engine/engine.hpp>

using namespace genhost::engine;

namespace {
long status_kb(const std::string& key) {  // VmRSS / VmHWM from /proc/self/status
    std::ifstream f("/proc/self/status");
    std::string line;
    while (std::getline(f, line))
        if (line.rfind(key + ":", 0) == 0) return std::stol(line.substr(key.size() + 1));
    return -1;
}
void reset_peak() { std::ofstream("/proc/self/clear_refs") << "5"; }
}  // namespace

int main() {
    set_num_threads(1);
    Generator gen(0);
    Parameters params;
    Conv2d c1(params, "c1", 1, 64, 4, {2, 1}, gen);      // 28 -> 14
    Conv2d c2(params, "c2", 64, 128, 4, {2, 1}, gen);    // 14 -> 7
    BatchNorm2d bn(params, "bn", 128);
    Linear fc(params, "fc", 128 * 7 * 7, 1, gen);
    Tensor x = gen.uniform({128, 1, 28, 28}, -1.0f, 1.0f);
    Tensor target = Tensor::ones({128, 1});
    {   // warm-up of OpenBLAS's buffers (torch side does the same)
        NoGradGuard ng;
        matmul(Tensor::ones({64, 64}), Tensor::ones({64, 64}));
    }
    long before = status_kb("VmRSS");
    reset_peak();
    for (int step = 0; step < 3; ++step) {
        params.zero_grad();
        Tensor h = leaky_relu(c1(x), 0.2f);
        h = leaky_relu(bn(c2(h), true), 0.2f);
        Tensor loss = bce_with_logits(fc(flatten(h)), target);
        loss.backward();
        NoGradGuard ng;
        for (Tensor p : params.parameters()) {
            float* w = p.data();
            const float* g = p.grad().data();
            for (int64_t i = 0; i < p.numel(); ++i) w[i] -= 0.01f * g[i];
        }
    }
    long peak = status_kb("VmHWM");
    std::cout << "peak_step_mb " << (peak - before) / 1024.0 << "\n";
    return 0;
}
