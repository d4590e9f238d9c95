#include "train/grad_clip.hpp"

#include "util/error.hpp"

#include <cmath>
#include <sstream>

namespace genhost::train {

namespace {

// `omp simd` lets the compiler split the double sum into lanes (built with -fopenmp-simd);
// the order is fixed by the build, so a rerun gives the same bits.
double sum_squares(const float* g, std::size_t n) {
    double acc = 0.0;
#pragma omp simd reduction(+ : acc)
    for (std::size_t i = 0; i < n; ++i) acc += static_cast<double>(g[i]) * static_cast<double>(g[i]);
    return acc;
}

double max_abs(const float* g, std::size_t n) {
    float acc = 0.0f;
    bool nan = false;
    for (std::size_t i = 0; i < n; ++i) {
        const float a = std::fabs(g[i]);
        acc = a > acc ? a : acc;
        nan |= a != a;
    }
    return nan ? NAN : acc;
}

double sum_pow(const float* g, std::size_t n, double p) {
    double acc = 0.0;
    for (std::size_t i = 0; i < n; ++i) acc += std::pow(std::fabs(static_cast<double>(g[i])), p);
    return acc;
}

void check_norm_type(double norm_type) {
    if (!(norm_type >= 1.0)) {
        std::ostringstream msg;
        msg << "gradient clipping: norm_type " << norm_type << " is invalid; expected 2, a number >= 1 or inf";
        throw Error(msg.str());
    }
}

}  // namespace

double grad_norm(const std::vector<ParamSlot>& params, double norm_type) {
    check_norm_type(norm_type);
    if (std::isinf(norm_type)) {
        double m = 0.0;
        for (const ParamSlot& p : params) {
            const double a = max_abs(p.grad, p.size);
            if (std::isnan(a)) return NAN;
            m = a > m ? a : m;
        }
        return m;
    }
    double acc = 0.0;
    for (const ParamSlot& p : params)
        acc += norm_type == 2.0 ? sum_squares(p.grad, p.size) : sum_pow(p.grad, p.size, norm_type);
    return norm_type == 2.0 ? std::sqrt(acc) : std::pow(acc, 1.0 / norm_type);
}

ClipResult clip_grad_norm(const std::vector<ParamSlot>& params, double max_norm, double norm_type) {
    if (!(std::isfinite(max_norm) && max_norm > 0.0)) {
        std::ostringstream msg;
        msg << "gradient clipping: max_norm " << max_norm << " is invalid; expected a finite number > 0";
        throw Error(msg.str());
    }
    ClipResult r;
    r.total_norm = grad_norm(params, norm_type);
    r.finite     = std::isfinite(r.total_norm);
    if (!r.finite) return r;
    const double coef = max_norm / (r.total_norm + 1e-6);
    if (coef >= 1.0) return r;
    r.scale = coef;
    const float c = static_cast<float>(coef);
    for (const ParamSlot& p : params)
        for (std::size_t i = 0; i < p.size; ++i) p.grad[i] *= c;
    return r;
}

}  // namespace genhost::train
