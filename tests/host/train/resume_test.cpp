// The pieces together, as the training loop will use them: two groups with their own
// optimizers, a schedule, clipping and an EMA, saved mid-run and resumed bit for bit.
#include "test_support.hpp"
#include "train/ema.hpp"
#include "train/grad_clip.hpp"
#include "train/lr_schedule.hpp"
#include "train/optimizer_factory.hpp"

#include <cmath>
#include <cstring>
#include <memory>

using namespace genhost::train;
using namespace genhost::train::test;

namespace {

struct Run {
    Model gen, disc;
    std::unique_ptr<Optimizer> gen_opt, disc_opt;
    std::unique_ptr<Ema> ema;
    LrSchedule schedule = make_lr_schedule("cosine", {{"total_steps", 12.0}, {"warmup_steps", 3.0}}, "test");

    Run() {
        gen.add("gen.w", {0.3f, -0.1f, 0.7f, 0.2f});
        gen.add("gen.b", {0.05f});
        disc.add("disc.w", {1.0f, -1.0f, 0.5f});
        gen_opt  = make_optimizer("adamw", {{"lr", 0.05}, {"betas", std::vector<double>{0.5, 0.99}}}, "generator",
                                  gen.slots(), "test");
        disc_opt = make_optimizer("sgd", {{"lr", 0.1}, {"momentum", 0.9}, {"nesterov", true}}, "discriminator",
                                  disc.slots(), "test");
        EmaOptions o;
        o.warmup = EmaWarmup::bias;
        ema      = std::make_unique<Ema>("generator", gen.slots(), o);
    }

    // A deterministic stand-in for backward(): gradients that depend on the weights and step.
    static void fake_backward(Model& m, std::int64_t t) {
        for (std::size_t j = 0; j < m.values.size(); ++j)
            for (std::size_t i = 0; i < m.values[j].size(); ++i)
                m.grads[j][i] = std::sin(3.0f * m.values[j][i] + 0.37f * static_cast<float>(t + i)) * 4.0f;
    }

    void train_step() {
        const std::int64_t t = gen_opt->step_count();
        fake_backward(disc, t);
        clip_grad_norm(disc.slots(), 1.0);
        disc_opt->set_lr(lr_at(schedule, disc_opt->base_lr(), t));
        disc_opt->step();
        fake_backward(gen, t);
        clip_grad_norm(gen.slots(), 1.0);
        gen_opt->set_lr(lr_at(schedule, gen_opt->base_lr(), t));
        gen_opt->step();
        ema->update();
    }

    std::vector<NamedTensor> save() const {
        std::vector<NamedTensor> all = gen_opt->export_state();
        auto disc_state = disc_opt->export_state();
        all.insert(all.end(), disc_state.begin(), disc_state.end());
        auto shadow = ema->export_state();
        all.insert(all.end(), shadow.begin(), shadow.end());
        return all;
    }
};

bool same_bits(const Model& a, const Model& b) {
    for (std::size_t j = 0; j < a.values.size(); ++j)
        if (std::memcmp(a.values[j].data(), b.values[j].data(), a.values[j].size() * sizeof(float)) != 0)
            return false;
    return true;
}

}  // namespace

TEST_CASE("a two-group run with schedule and clipping and EMA resumes bit-identically", "[train][resume]") {
    Run straight;
    for (int t = 0; t < 5; ++t) straight.train_step();
    const std::vector<NamedTensor> checkpoint = straight.save();
    const Model gen_at_save = straight.gen, disc_at_save = straight.disc;
    for (int t = 5; t < 12; ++t) straight.train_step();

    Run resumed;
    // Element-wise copies keep the buffers (and so the slots) where they are.
    for (std::size_t j = 0; j < resumed.gen.values.size(); ++j)
        std::copy(gen_at_save.values[j].begin(), gen_at_save.values[j].end(), resumed.gen.values[j].begin());
    for (std::size_t j = 0; j < resumed.disc.values.size(); ++j)
        std::copy(disc_at_save.values[j].begin(), disc_at_save.values[j].end(), resumed.disc.values[j].begin());
    resumed.gen_opt->import_state(checkpoint, "ck.safetensors");
    resumed.disc_opt->import_state(checkpoint, "ck.safetensors");
    resumed.ema->import_state(checkpoint, "ck.safetensors");
    for (int t = 5; t < 12; ++t) resumed.train_step();

    CHECK(resumed.gen_opt->step_count() == 12);
    CHECK(same_bits(straight.gen, resumed.gen));
    CHECK(same_bits(straight.disc, resumed.disc));
    for (std::size_t j = 0; j < 2; ++j)
        CHECK(std::memcmp(straight.ema->shadow(j), resumed.ema->shadow(j),
                          straight.gen.values[j].size() * sizeof(float)) == 0);
    // The run moved: the comparison is not between two untouched copies.
    CHECK_FALSE(same_bits(straight.gen, gen_at_save));
}
