// Peak memory of training steps (forward, backward, SGD update) of a DCGAN-style critic
// on 28x28 images, batch 128: the highest resident set during three steps minus the
// resident set before them (Linux's high-water mark reset just before: clear_refs 5).
// Three steps, so that memory an allocator keeps between steps (the engine's buffer
// cache, glibc's heap for torch) is counted too.
// memory_step.py measures the same model in PyTorch the same way.
// With the argument `dcgan`: three whole DCGAN training steps instead, batch 64, the
// networks of examples/dcgan-fashion.yaml (bench/gan/dcgan_torch.py): D's step on real
// images and detached fakes, then G's step through D (D's weights frozen, as plugins/gan).
// With `pixelcnn`: three training steps of examples/pixelcnn-fashion.yaml's network.
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

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

void sgd(Parameters& params) {
    NoGradGuard ng;
    for (Tensor p : params.parameters()) {
        if (!p.requires_grad()) continue;
        float* w = p.data();
        const float* g = p.grad().data();
        for (int64_t i = 0; i < p.numel(); ++i) w[i] -= 0.01f * g[i];
    }
}

// Warms OpenBLAS's buffers (the torch side does the same), then prints the growth of the
// resident set over three calls of step(): the peak minus the resident set before them.
template <class Step>
int peak_of_three_steps(Step step) {
    {
        NoGradGuard ng;
        matmul(Tensor::ones({64, 64}), Tensor::ones({64, 64}));
    }
    long before = status_kb("VmRSS");
    reset_peak();
    for (int i = 0; i < 3; ++i) step();
    long peak = status_kb("VmHWM");
    std::cout << "peak_step_mb " << (peak - before) / 1024.0 << "\n";
    return 0;
}

int dcgan() {
    Generator gen(0);
    Parameters pg, pd;
    ConvTranspose2d g1(pg, "g1", 100, 256, 7, {1, 0}, gen, false), g2(pg, "g2", 256, 128, 4, {2, 1}, gen, false),
        g3(pg, "g3", 128, 1, 4, {2, 1}, gen, false);
    BatchNorm2d gb1(pg, "gb1", 256), gb2(pg, "gb2", 128);
    Conv2d d1(pd, "d1", 1, 64, 4, {2, 1}, gen, false), d2(pd, "d2", 64, 128, 4, {2, 1}, gen, false),
        d3(pd, "d3", 128, 1, 7, {1, 0}, gen, false);
    BatchNorm2d db2(pd, "db2", 128);
    auto G = [&](const Tensor& z) {
        Tensor h = relu(gb1(g1(z), true));
        return tanh(g3(relu(gb2(g2(h), true))));
    };
    auto D = [&](const Tensor& x) {
        Tensor h = leaky_relu(d1(x), 0.2f);
        return reshape(d3(leaky_relu(db2(d2(h), true), 0.2f)), {x.size(0)});
    };
    Tensor real = gen.uniform({64, 1, 28, 28}, -1.0f, 1.0f);
    Tensor ones = Tensor::ones({64}), zeros = Tensor::zeros({64});
    return peak_of_three_steps([&] {
        Tensor fake;
        {
            NoGradGuard ng;
            fake = G(gen.normal({64, 100, 1, 1}));
        }
        pd.zero_grad();
        (bce_with_logits(D(real), ones) + bce_with_logits(D(fake), zeros)).backward();
        sgd(pd);
        for (Tensor p : pd.parameters()) p.set_requires_grad(false);
        pg.zero_grad();
        bce_with_logits(D(G(gen.normal({64, 100, 1, 1}))), ones).backward();
        sgd(pg);
        for (Tensor p : pd.parameters()) p.set_requires_grad(true);
    });
}

// examples/pixelcnn-fashion.yaml's network (bench/pixelcnn/torch_pixelcnn.py): a 7x7 mask-A
// conv 1 -> 64, 7 masked-B 3x3 convs with ReLU, 1x1 64 -> 64 -> 256, the 256-way
// cross-entropy per pixel; batch 32 of 8-bit levels, input level / 255.
int pixelcnn() {
    Generator gen(0);
    Parameters params;
    Conv2d input(params, "input", 1, 64, 7, {1, 3}, gen);
    std::vector<Conv2d> layers;
    for (int i = 0; i < 7; ++i) layers.emplace_back(params, "layer" + std::to_string(i), 64, 64, 3, Conv2dOptions{1, 1}, gen);
    Conv2d out0(params, "out0", 64, 64, 1, {}, gen), out1(params, "out1", 64, 256, 1, {}, gen);
    Tensor levels = Tensor::empty({32, 28, 28});
    {
        float* l = levels.data();
        for (int64_t i = 0; i < levels.numel(); ++i) l[i] = static_cast<float>((i * 37) % 256);
    }
    Tensor x = reshape(levels, {32, 1, 28, 28}) * (1.0f / 255.0f);
    return peak_of_three_steps([&] {
        params.zero_grad();
        Tensor h = masked_conv2d(x, input.weight, input.bias, ConvMask::A, input.options);
        for (const Conv2d& c : layers) h = masked_conv2d(relu(h), c.weight, c.bias, ConvMask::B, c.options);
        Tensor logits = out1(relu(out0(relu(h))));
        cross_entropy(logits, levels).backward();
        sgd(params);
    });
}

int main(int argc, char** argv) {
    set_num_threads(1);
    if (argc > 1 && std::string(argv[1]) == "dcgan") return dcgan();
    if (argc > 1 && std::string(argv[1]) == "pixelcnn") return pixelcnn();
    Generator gen(0);
    Parameters params;
    Conv2d c1(params, "c1", 1, 64, 4, {2, 1}, gen);      // 28 -> 14
    Conv2d c2(params, "c2", 64, 128, 4, {2, 1}, gen);    // 14 -> 7
    BatchNorm2d bn(params, "bn", 128);
    Linear fc(params, "fc", 128 * 7 * 7, 1, gen);
    Tensor x = gen.uniform({128, 1, 28, 28}, -1.0f, 1.0f);
    Tensor target = Tensor::ones({128, 1});
    return peak_of_three_steps([&] {
        params.zero_grad();
        Tensor h = leaky_relu(c1(x), 0.2f);
        h = leaky_relu(bn(c2(h), true), 0.2f);
        bce_with_logits(fc(flatten(h)), target).backward();
        sgd(params);
    });
}
