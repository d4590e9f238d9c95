// genhost engine: tensors, reverse-mode autograd and layers for plugin authors.
//
// A two-layer classifier trained for one step reads like the maths:
//
//     #include <genhost/engine/engine.hpp>
//     using namespace genhost::engine;
//
//     Generator gen(42);                                // seeded, reproducible
//     Parameters params;                                // what the host's optimizer sees
//     Linear fc1(params, "fc1", 784, 400, gen);
//     Linear fc2(params, "fc2", 400, 10, gen);
//
//     Tensor x = gen.normal({128, 784});                // a batch
//     std::vector<int64_t> y(128, 3);                   // class indices
//     Tensor loss = cross_entropy(fc2(relu(fc1(x))), y);
//     params.zero_grad();
//     loss.backward();                                  // grads land in p.grad()
//     for (Tensor p : params.parameters()) {            // plain SGD, in place
//         float* w = p.data(); const float* g = p.grad().data();
//         for (int64_t i = 0; i < p.numel(); ++i) w[i] -= 0.1f * g[i];
//     }
//
// Functional layers take weights explicitly: `conv2d(x, w, b, {2, 1})` is stride 2,
// padding 1. Sampling runs under `NoGradGuard ng;` so that nothing is recorded.
// A WGAN-GP gradient penalty differentiates a gradient:
//
//     Tensor d = critic(x_hat);
//     Tensor g = grad({sum(d)}, {x_hat}, {}, /*create_graph=*/true)[0];
//     Tensor gp = mean(square(sqrt(sum(square(flatten(g)), {1})) - 1.0f));
//     (loss + 10.0f * gp).backward();
//
// Headers, one concept each: tensor.hpp (Tensor, grad, NoGradGuard), ops.hpp (math,
// matmul, reductions, shapes), nn.hpp (conv, pool, norm, attention as functions),
// loss.hpp, init.hpp, random.hpp, parameters.hpp (registry + DLPack), modules.hpp
// (layers owning weights), threads.hpp. The docs are docs/engine.md.
#pragma once

#include "genhost/engine/init.hpp"
#include "genhost/engine/loss.hpp"
#include "genhost/engine/modules.hpp"
#include "genhost/engine/nn.hpp"
#include "genhost/engine/ops.hpp"
#include "genhost/engine/parameters.hpp"
#include "genhost/engine/random.hpp"
#include "genhost/engine/tensor.hpp"
#include "genhost/engine/threads.hpp"
