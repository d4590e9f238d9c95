// The fast paths of SiLU, GroupNorm and nearest upsampling (the per-ISA kernels of
// sdk/engine/src/simd/{vmath,row}_kernels.cpp): against PyTorch fixtures at awkward
// lengths and offsets, and at the U-Net's shapes against the engine's differentiable
// (create_graph) backward, which is written with plain ops. CTest runs it per ISA.
#include <catch2/catch.hpp>

#include "fixture.hpp"

using namespace genhost::engine;
using fixture::check_case;
using Fx = std::map<std::string, Tensor>;

TEST_CASE("silu, group_norm and upsample_nearest2d match torch on awkward shapes", "[engine][fast]") {
    check_case("silu_wide", [](Fx& f) { return silu(f["x"]); }, {"x"});
    // Mean 20, std 3: the centred sums must not lose the spread to the mean.
    check_case("group_norm_offset", [](Fx& f) { return group_norm(f["x"], 4, f["w"], f["b"]); }, {"x", "w", "b"});
    check_case("upsample_nearest_x3", [](Fx& f) { return upsample_nearest2d(f["x"], 3); }, {"x"});
}

TEST_CASE("silu and group_norm backward equal their create_graph form at U-Net shapes", "[engine][fast]") {
    Generator gen(11);
    for (Shape s : {Shape{2, 16, 28, 28}, Shape{3, 32, 7, 7}}) {
        Tensor x = gen.normal(s, 0.5f, 2.0f).set_requires_grad(true);
        Tensor w = gen.normal({s[1]}).set_requires_grad(true), b = gen.normal({s[1]}).set_requires_grad(true);
        Tensor go = gen.normal(s);
        auto grads = [&](bool create_graph) {
            std::vector<Tensor> g = grad({group_norm(silu(x), 8, w, b)}, {x, w, b}, {go}, create_graph);
            return std::vector<Tensor>{g[0].detach(), g[1].detach(), g[2].detach()};
        };
        std::vector<Tensor> fast = grads(false), recorded = grads(true);
        INFO("shape " << x.shape_str());
        fixture::expect_close(fast[0], recorded[0], "dx", 1e-4, 1e-5);
        fixture::expect_close(fast[1], recorded[1], "dweight", 1e-4, 1e-4);
        fixture::expect_close(fast[2], recorded[2], "dbias", 1e-4, 1e-4);
    }
}
