// genhost/cpp/engine_bridge.hpp: a model built on the engine, exposed to the host.
//
//   std::vector<genhost::Parameter> parameters() override { return genhost::expose(params_); }
//
// The host then trains the engine's tensors in place: same storage, no copy.
#pragma once

#include <vector>

#include <genhost/cpp/capabilities.hpp>
#include <genhost/engine/parameters.hpp>

namespace genhost {

inline std::vector<Parameter> expose(engine::Parameters& params) {
    std::vector<Parameter> out;
    for (const engine::NamedTensor& e : params.entries()) {
        engine::Tensor t = e.tensor;
        Parameter p;
        p.name = e.name;
        p.group = e.is_buffer ? "buffers" : e.group;
        p.value = t.data();
        p.grad = e.is_buffer ? nullptr : t.grad().data();
        p.shape = t.shape();
        p.buffer = e.is_buffer;
        if (e.is_buffer && e.reduce == engine::BufferReduce::mean) p.reduce = Parameter::Reduce::mean;
        if (e.is_buffer && e.reduce == engine::BufferReduce::sum) p.reduce = Parameter::Reduce::sum;
        out.push_back(std::move(p));
    }
    return out;
}

}  // namespace genhost
