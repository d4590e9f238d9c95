#include "train/optimizer_factory.hpp"

#include "train/adam.hpp"
#include "train/rmsprop.hpp"
#include "train/sgd.hpp"
#include "util/error.hpp"

namespace genhost::train {

std::string optimizer_types() { return "sgd, adam, adamw, rmsprop"; }

namespace {

std::unique_ptr<Optimizer> make_sgd(OptionReader& r, std::string group, std::vector<ParamSlot> params) {
    SgdOptions o;
    if (!r.has("lr"))
        throw Error(r.where() + ": sgd needs 'lr' (torch.optim.SGD has no default learning rate); "
                                "add e.g. 'lr: 0.01'");
    o.lr           = r.number("lr", o.lr);
    o.momentum     = r.number("momentum", o.momentum);
    o.dampening    = r.number("dampening", o.dampening);
    o.weight_decay = r.number("weight_decay", o.weight_decay);
    o.nesterov     = r.flag("nesterov", o.nesterov);
    o.maximize     = r.flag("maximize", o.maximize);
    r.finish();
    return std::make_unique<Sgd>(std::move(group), std::move(params), o);
}

std::unique_ptr<Optimizer> make_adam(OptionReader& r, std::string group, std::vector<ParamSlot> params,
                                     AdamOptions o) {
    o.lr = r.number("lr", o.lr);
    const std::vector<double> betas = r.numbers("betas", {o.beta1, o.beta2});
    o.beta1        = betas[0];
    o.beta2        = betas[1];
    o.eps          = r.number("eps", o.eps);
    o.weight_decay = r.number("weight_decay", o.weight_decay);
    o.amsgrad      = r.flag("amsgrad", o.amsgrad);
    o.maximize     = r.flag("maximize", o.maximize);
    r.finish();
    return std::make_unique<Adam>(std::move(group), std::move(params), o);
}

std::unique_ptr<Optimizer> make_rmsprop(OptionReader& r, std::string group, std::vector<ParamSlot> params) {
    RmspropOptions o;
    o.lr           = r.number("lr", o.lr);
    o.alpha        = r.number("alpha", o.alpha);
    o.eps          = r.number("eps", o.eps);
    o.weight_decay = r.number("weight_decay", o.weight_decay);
    o.momentum     = r.number("momentum", o.momentum);
    o.centered     = r.flag("centered", o.centered);
    o.maximize     = r.flag("maximize", o.maximize);
    r.finish();
    return std::make_unique<Rmsprop>(std::move(group), std::move(params), o);
}

}  // namespace

std::unique_ptr<Optimizer> make_optimizer(std::string_view type, const OptionMap& options, std::string group,
                                          std::vector<ParamSlot> params, std::string_view where) {
    OptionReader r(options, std::string(where) + " (" + std::string(type) + ")");
    try {
        if (type == "sgd") return make_sgd(r, std::move(group), std::move(params));
        if (type == "adam") return make_adam(r, std::move(group), std::move(params), AdamOptions{});
        if (type == "adamw") return make_adam(r, std::move(group), std::move(params), adamw_default_options());
        if (type == "rmsprop") return make_rmsprop(r, std::move(group), std::move(params));
    } catch (const Error& e) {
        const std::string msg = e.what();
        // Range errors come from the optimizer's constructor, which does not know `where`.
        if (msg.compare(0, r.where().size(), r.where()) == 0) throw;
        throw Error(std::string(where) + ": " + msg);
    }
    throw Error(std::string(where) + ": unknown optimizer type '" + std::string(type) + "'; the known types are " +
                optimizer_types());
}

}  // namespace genhost::train
