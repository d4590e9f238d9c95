// Building an optimizer from the pipeline's `optimizer:` map, with torch.optim's key names:
//
//     sgd:     lr (required, as in torch 1.13), momentum, dampening, weight_decay, nesterov, maximize
//     adam:    lr, betas: [b1, b2], eps, weight_decay, amsgrad, maximize
//     adamw:   the same as adam; weight_decay defaults to 1e-2 and is decoupled
//     rmsprop: lr, alpha, eps, weight_decay, momentum, centered, maximize
//
// docs/optimizers.md lists the defaults and formulas.
#pragma once

#include "train/option_map.hpp"
#include "train/optimizer.hpp"

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace genhost::train {

// Throws genhost::Error, prefixed by `where` ("gan.yaml:12, train.optimizer"), for an
// unknown type (listing the known ones), an unknown key (listing the type's keys), a value
// of the wrong type or out of range, or invalid slots. A "type" key in `options` is ignored.
std::unique_ptr<Optimizer> make_optimizer(std::string_view type, const OptionMap& options, std::string group,
                                          std::vector<ParamSlot> params, std::string_view where);

// "sgd, adam, adamw, rmsprop"
std::string optimizer_types();

}  // namespace genhost::train
