// Exercising a plugin's whole lifecycle through the ABI, as the host will: create it with
// its defaults, fetch and check every capability it offers, make one call of each kind
// on small inputs, check the outputs are finite and well-formed, destroy it. The first
// violation is reported with the plugin, the call and what was wrong.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "loader/registry.hpp"

namespace genhost::check {

struct CheckResult {
    std::string what;   // "train_phase 'train' on a batch of 2"
    bool ok = true;
    std::string detail; // the error, or a short note
};

struct CheckOptions {
    int64_t channels = 1, height = 28, width = 28, num_classes = 10;  // the data the plugin is told about
    std::function<void(const CheckResult&)> report;                    // called after each check
};

// Runs the checks on `plugin`; returns true when all passed.
bool check_plugin(const loader::RegisteredPlugin& plugin, const CheckOptions& options);

}  // namespace genhost::check
