// make_optimizer: torch's option names and defaults, and messages for bad configurations.
#include "test_support.hpp"
#include "train/adam.hpp"
#include "train/optimizer_factory.hpp"
#include "train/rmsprop.hpp"
#include "train/sgd.hpp"
#include "util/error.hpp"

using namespace genhost::train;
using namespace genhost::train::test;
using Catch::Contains;

namespace {
const char* kWhere = "gan.yaml:12, train.optimizer";
}

TEST_CASE("options map onto torch's names with torch's defaults", "[train][optimizer]") {
    Model m;
    m.add("w", {1.0f});
    SECTION("adam") {
        auto opt = make_optimizer("adam", {{"lr", 2e-4}, {"betas", std::vector<double>{0.5, 0.999}}}, "gen",
                                  m.slots(), kWhere);
        const auto& o = dynamic_cast<Adam&>(*opt).options();
        CHECK(opt->type() == "adam");
        CHECK(opt->lr() == 2e-4);
        CHECK(o.beta1 == 0.5);
        CHECK(o.beta2 == 0.999);
        CHECK(o.eps == 1e-8);
        CHECK(o.weight_decay == 0.0);
        CHECK_FALSE(o.decoupled_weight_decay);
    }
    SECTION("adamw decays 1e-2 by default") {
        auto opt = make_optimizer("adamw", {{"type", std::string("adamw")}}, "gen", m.slots(), kWhere);
        const auto& o = dynamic_cast<Adam&>(*opt).options();
        CHECK(opt->type() == "adamw");
        CHECK(opt->lr() == 1e-3);
        CHECK(o.weight_decay == 1e-2);
        CHECK(o.decoupled_weight_decay);
    }
    SECTION("rmsprop") {
        auto opt = make_optimizer("rmsprop", {{"centered", true}}, "gen", m.slots(), kWhere);
        const auto& o = dynamic_cast<Rmsprop&>(*opt).options();
        CHECK(opt->lr() == 1e-2);
        CHECK(o.alpha == 0.99);
        CHECK(o.centered);
    }
    SECTION("sgd") {
        auto opt = make_optimizer("sgd", {{"lr", 0.1}, {"momentum", 0.9}, {"nesterov", true}}, "gen", m.slots(),
                                  kWhere);
        const auto& o = dynamic_cast<Sgd&>(*opt).options();
        CHECK(o.momentum == 0.9);
        CHECK(o.nesterov);
        CHECK(o.dampening == 0.0);
    }
}

TEST_CASE("bad optimizer configurations name the place the problem and the fix", "[train][optimizer]") {
    Model m;
    m.add("w", {1.0f});
    auto make = [&](const std::string& type, const OptionMap& o) { make_optimizer(type, o, "gen", m.slots(), kWhere); };
    CHECK_THROWS_WITH(make("adamax", {}), Contains("gan.yaml:12, train.optimizer: unknown optimizer type 'adamax'; "
                                                   "the known types are sgd, adam, adamw, rmsprop"));
    CHECK_THROWS_WITH(make("adam", {{"beta1", 0.5}}),
                      Contains("unknown key 'beta1'; the known keys are amsgrad, betas, eps, lr, maximize, "
                               "weight_decay"));
    CHECK_THROWS_WITH(make("adam", {{"betas", 0.9}}),
                      Contains("key 'betas' is 0.9, expected a list of 2 numbers like [0.9, 0.999]"));
    CHECK_THROWS_WITH(make("adam", {{"betas", std::vector<double>{0.9, 1.5}}}),
                      Contains("gan.yaml:12, train.optimizer: adam optimizer of group 'gen': betas[1] is 1.5, "
                               "expected in [0, 1)"));
    CHECK_THROWS_WITH(make("adam", {{"lr", std::string("fast")}}),
                      Contains("key 'lr' is 'fast', expected a finite number"));
    CHECK_THROWS_WITH(make("adam", {{"amsgrad", 1.0}}), Contains("key 'amsgrad' is 1, expected true or false"));
    CHECK_THROWS_WITH(make("sgd", {}), Contains("sgd needs 'lr'"));
    CHECK_THROWS_WITH(make("sgd", {{"lr", 0.1}, {"nesterov", true}}),
                      Contains("nesterov needs momentum > 0 and dampening == 0 (as in torch), got momentum 0"));
    CHECK_THROWS_WITH(make("rmsprop", {{"lr", -0.1}}), Contains("learning rate -0.1 is invalid"));
}
