#include "fixture.hpp"

#include <cmath>
#include <cstring>
#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>

namespace fixture {

using namespace genhost::engine;

std::map<std::string, Tensor> load(const std::string& name) {
    std::string path = std::string(GENHOST_TEST_DATA_DIR) + "/sdk/engine/fixtures/" + name + ".bin";
    std::ifstream f(path, std::ios::binary);
    INFO("fixture " << path << " (regenerate: /usr/bin/python3 tests/sdk/engine/make_fixtures.py)");
    REQUIRE(f.good());
    std::string bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    size_t pos = 0;
    auto take = [&](void* dst, size_t n) {
        REQUIRE(pos + n <= bytes.size());
        std::memcpy(dst, bytes.data() + pos, n);
        pos += n;
    };
    char magic[4];
    take(magic, 4);
    REQUIRE(std::string(magic, 4) == "GHFX");
    uint32_t count = 0;
    take(&count, 4);
    std::map<std::string, Tensor> out;
    for (uint32_t i = 0; i < count; ++i) {
        uint32_t len = 0, ndim = 0;
        take(&len, 4);
        REQUIRE(len < 256);
        std::string key(len, '\0');
        take(key.data(), len);
        take(&ndim, 4);
        REQUIRE(ndim <= 8);
        Shape shape(ndim);
        take(shape.data(), 8 * ndim);
        Tensor t = Tensor::empty(shape);
        take(t.data(), sizeof(float) * t.numel());
        out[key] = t;
    }
    REQUIRE(pos == bytes.size());
    return out;
}

void expect_close(const Tensor& a, const Tensor& e, const std::string& what, double rtol, double atol) {
    INFO(what << ": shape " << a.shape_str() << " vs expected " << e.shape_str());
    REQUIRE(a.shape() == e.shape());
    double worst = 0;
    int64_t at = -1;
    for (int64_t i = 0; i < e.numel(); ++i) {
        double d = std::fabs(double(a.data()[i]) - e.data()[i]);
        double excess = d - (atol + rtol * std::fabs(e.data()[i]));
        if (!(excess <= worst)) { worst = std::isnan(excess) ? INFINITY : excess; at = i; }
    }
    if (at >= 0) {
        FAIL(what << ": element " << at << " is " << a.data()[at] << ", expected " << e.data()[at]
                  << " (rtol " << rtol << ", atol " << atol << ")");
    }
}

void check_case(const std::string& name, const std::function<Tensor(std::map<std::string, Tensor>&)>& fn,
                const std::vector<std::string>& grads, double rtol, double atol) {
    auto f = load(name);
    for (const auto& g : grads) f.at(g).set_requires_grad(true);
    Tensor out = fn(f);
    expect_close(out, f.at("out"), name + " forward", rtol, atol);
    if (grads.empty()) return;
    Tensor loss = sum(out * f.at("go"));
    loss.backward();
    for (const auto& g : grads) {
        INFO(name << ": grad of " << g);
        REQUIRE(f.at(g).grad().defined());
        expect_close(f.at(g).grad(), f.at("grad_" + g), name + " grad " + g, rtol, atol);
    }
}

std::vector<int64_t> indices(const Tensor& t) {
    std::vector<int64_t> v(t.numel());
    for (int64_t i = 0; i < t.numel(); ++i) v[i] = static_cast<int64_t>(t.data()[i]);
    return v;
}

}  // namespace fixture
