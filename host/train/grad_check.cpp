#include "train/grad_check.hpp"

#include "util/error.hpp"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <sstream>

namespace genhost::train {

namespace {

constexpr std::uint32_t kExponent = 0x7f800000u;   // all ones: inf or NaN

// Blocks keep the common all-finite case a branch-free OR over integers (vectorized);
// only a block that contains a bad element is searched element by element.
std::optional<std::size_t> first_nonfinite(const float* x, std::size_t n) {
    constexpr std::size_t kBlock = 1024;
    for (std::size_t start = 0; start < n; start += kBlock) {
        const std::size_t end = start + kBlock < n ? start + kBlock : n;
        std::uint32_t bad = 0;
        for (std::size_t i = start; i < end; ++i) {
            std::uint32_t bits;
            std::memcpy(&bits, x + i, sizeof bits);
            bad |= static_cast<std::uint32_t>((bits & kExponent) == kExponent);
        }
        if (!bad) continue;
        for (std::size_t i = start; i < end; ++i)
            if (!std::isfinite(x[i])) return i;
    }
    return std::nullopt;
}

std::optional<NonFinite> scan(const std::vector<ParamSlot>& params, bool grads) {
    for (const ParamSlot& p : params) {
        const float* x = grads ? p.grad : p.value;
        if (auto i = first_nonfinite(x, p.size)) return NonFinite{p.name, *i, p.size, x[*i]};
    }
    return std::nullopt;
}

}  // namespace

std::optional<NonFinite> find_nonfinite_grad(const std::vector<ParamSlot>& params) { return scan(params, true); }
std::optional<NonFinite> find_nonfinite_value(const std::vector<ParamSlot>& params) { return scan(params, false); }

std::string describe(const NonFinite& bad, std::string_view what) {
    std::ostringstream out;
    out << what << " of '" << bad.param << "' is "
        << (std::isnan(bad.value) ? "NaN" : bad.value > 0 ? "+inf" : "-inf") << " (element " << bad.index
        << " of " << bad.size << ")";
    return out.str();
}

void check_finite_grads(const std::vector<ParamSlot>& params, std::int64_t step, std::string_view phase) {
    std::ostringstream where;
    where << "step " << step << ", phase " << phase;
    check_finite_grads(params, where.str());
}

void check_finite_grads(const std::vector<ParamSlot>& params, std::string_view where) {
    const auto bad = find_nonfinite_grad(params);
    if (!bad) return;
    std::ostringstream msg;
    msg << where << ": " << describe(*bad)
        << "; training diverged: lower the learning rate, clip gradients, or check the loss for "
           "log(0) or division by zero";
    throw Error(msg.str());
}

}  // namespace genhost::train
