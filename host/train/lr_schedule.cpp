#include "train/lr_schedule.hpp"

#include "util/error.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace genhost::train {

constexpr double kPi = 3.14159265358979323846;

std::string lr_schedule_types() { return "constant, linear_warmup, cosine, step, linear_decay"; }

double lr_at(const LrSchedule& s, double base_lr, std::int64_t step) {
    const std::int64_t t = std::max<std::int64_t>(step, 0);
    switch (s.type) {
    case LrScheduleType::constant: return base_lr;
    case LrScheduleType::linear_warmup:
        if (t < s.warmup_steps) return base_lr * (static_cast<double>(t) / static_cast<double>(s.warmup_steps));
        return base_lr;
    case LrScheduleType::cosine: {
        if (t < s.warmup_steps) return base_lr * (static_cast<double>(t) / static_cast<double>(s.warmup_steps));
        const double span = static_cast<double>(s.total_steps - s.warmup_steps);
        const double u    = std::min(1.0, static_cast<double>(t - s.warmup_steps) / span);
        return s.min_lr + (base_lr - s.min_lr) * (1.0 + std::cos(kPi * u)) / 2.0;
    }
    case LrScheduleType::step:
        return base_lr * std::pow(s.gamma, static_cast<double>(t / s.step_size));
    case LrScheduleType::linear_decay: {
        if (t < s.constant_steps) return base_lr;
        const double span = static_cast<double>(s.total_steps - s.constant_steps);
        return base_lr * (1.0 - std::min(1.0, static_cast<double>(t - s.constant_steps) / span));
    }
    }
    return base_lr;
}

namespace {

void require(bool ok, std::string_view where, const std::string& what) {
    if (!ok) throw Error(std::string(where) + ": " + what);
}

// A schedule whose first `name` steps come before a curve that ends at total_steps.
void require_span(const char* type, const char* name, std::int64_t start, std::int64_t total, std::string_view where,
                  const char* fix) {
    require(start >= 0, where, std::string(name) + " must be >= 0, got " + std::to_string(start));
    require(total > start, where,
            std::string(type) + " needs total_steps > " + name + ", got total_steps " + std::to_string(total) + " and " +
                name + " " + std::to_string(start) + "; " + fix);
}

}  // namespace

void validate_lr_schedule(const LrSchedule& s, std::string_view where) {
    std::ostringstream v;
    switch (s.type) {
    case LrScheduleType::constant: break;
    case LrScheduleType::linear_warmup:
        require(s.warmup_steps >= 1, where,
                "linear_warmup needs warmup_steps >= 1, got " + std::to_string(s.warmup_steps));
        break;
    case LrScheduleType::cosine:
        require_span("cosine", "warmup_steps", s.warmup_steps, s.total_steps, where,
                     "set total_steps to the number of training steps");
        v << s.min_lr;
        require(std::isfinite(s.min_lr) && s.min_lr >= 0.0, where, "min_lr must be >= 0, got " + v.str());
        break;
    case LrScheduleType::step:
        require(s.step_size >= 1, where, "step needs step_size >= 1, got " + std::to_string(s.step_size));
        v << s.gamma;
        require(std::isfinite(s.gamma) && s.gamma >= 0.0, where, "gamma must be >= 0, got " + v.str());
        break;
    case LrScheduleType::linear_decay:
        require_span("linear_decay", "constant_steps", s.constant_steps, s.total_steps, where,
                     "the rate decays from constant_steps to 0 at total_steps");
        break;
    }
}

LrSchedule make_lr_schedule(std::string_view type, const OptionMap& options, std::string_view where) {
    const std::string w = std::string(where) + " (" + std::string(type) + ")";
    OptionReader r(options, w);
    LrSchedule s;
    auto required = [&](const std::string& key, const std::string& example) {
        if (!r.has(key))
            throw Error(w + ": missing key '" + key + "'; add e.g. '" + key + ": " + example + "'");
    };
    if (type == "constant") {
        s.type = LrScheduleType::constant;
    } else if (type == "linear_warmup") {
        s.type = LrScheduleType::linear_warmup;
        required("warmup_steps", "500");
        s.warmup_steps = r.integer("warmup_steps", 0);
    } else if (type == "cosine") {
        s.type = LrScheduleType::cosine;
        required("total_steps", "10000");
        s.total_steps  = r.integer("total_steps", 0);
        s.warmup_steps = r.integer("warmup_steps", 0);
        s.min_lr       = r.number("min_lr", 0.0);
    } else if (type == "step") {
        s.type = LrScheduleType::step;
        required("step_size", "1000");
        s.step_size = r.integer("step_size", 1);
        s.gamma     = r.number("gamma", 0.1);
    } else if (type == "linear_decay") {
        s.type = LrScheduleType::linear_decay;
        required("total_steps", "10000");
        required("constant_steps", "5000");
        s.total_steps    = r.integer("total_steps", 0);
        s.constant_steps = r.integer("constant_steps", 0);
    } else {
        throw Error(std::string(where) + ": unknown learning-rate schedule '" + std::string(type) +
                    "'; the known schedules are " + lr_schedule_types());
    }
    r.finish();
    validate_lr_schedule(s, w);
    return s;
}

}  // namespace genhost::train
