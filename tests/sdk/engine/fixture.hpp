// Loads the PyTorch fixtures written by make_fixtures.py and compares tensors.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include <genhost/engine/engine.hpp>

namespace fixture {

using genhost::engine::Tensor;

// Tensors of fixtures/<name>.bin by name; REQUIREs that the file parses.
std::map<std::string, Tensor> load(const std::string& name);

// REQUIREs same shape and |a - e| <= atol + rtol |e| everywhere; the message names the
// worst element.
void expect_close(const Tensor& actual, const Tensor& expected, const std::string& what,
                  double rtol = 1e-4, double atol = 1e-5);

// The differential test every op shares: out = fn(inputs); compare out; back-propagate
// sum(out * go); compare grad_<name> for each name in `grads`.
void check_case(const std::string& name,
                const std::function<Tensor(std::map<std::string, Tensor>&)>& fn,
                const std::vector<std::string>& grads, double rtol = 1e-4, double atol = 1e-5);

std::vector<int64_t> indices(const Tensor& t);  // integral floats -> int64

}  // namespace fixture
