#include "check/conformance.hpp"

#include <genhost/cpp/tensor_view.hpp>

#include <cmath>

#include <genhost/cpp/schema.hpp>

#include "data/rng.hpp"
#include "loader/instance.hpp"
#include "train/model_state.hpp"
#include "util/error.hpp"

namespace genhost::check {

namespace {

struct Checker {
    const CheckOptions& options;
    bool all_ok = true;

    // Runs one check; returns false (and records the failure) when it throws.
    template <class F>
    bool run(const std::string& what, F&& f) {
        CheckResult r{what, true, ""};
        try {
            r.detail = f();
        } catch (const std::exception& e) {
            r.ok = false, r.detail = e.what();
            all_ok = false;
        }
        if (options.report) options.report(r);
        return r.ok;
    }
};

std::vector<float> uniform(int64_t n, uint64_t seed, float lo, float hi) {
    data::Rng rng(seed);
    std::vector<float> v(static_cast<size_t>(n));
    for (float& x : v) x = rng.uniform(lo, hi);
    return v;
}

void require_finite(const std::vector<float>& v, const std::string& what) {
    for (size_t i = 0; i < v.size(); ++i)
        if (!std::isfinite(v[i])) throw Error(what + ": element " + std::to_string(i) + " is not finite");
}

DLTensor f32(std::vector<float>& v, std::vector<int64_t>& shape) {
    return make_dltensor(v.data(), shape);
}
DLTensor i64(std::vector<int64_t>& v, std::vector<int64_t>& shape) {
    return make_dltensor(v.data(), shape);
}

}  // namespace

bool check_plugin(const loader::RegisteredPlugin& plugin, const CheckOptions& o) {
    Checker c{o};
    const std::string& id = plugin.description->id;
    const bool model = plugin.description->kind == "model";
    genhost_data_info data{sizeof(genhost_data_info), o.channels, o.height, o.width, o.num_classes, 0.0f, 1.0f};
    std::unique_ptr<loader::PluginInstance> p;
    if (!c.run("create with default params" + std::string(model ? " and 1x28x28 labelled data" : ""), [&] {
            // As the host does: every param present, defaults filled in from the schema.
            nlohmann::json params = nlohmann::json::object();
            std::vector<schema::Issue> issues;
            schema::validate(params, plugin.description->params_schema, issues);
            if (!issues.empty()) throw Error("its own defaults do not pass its schema:\n" + schema::format(issues));
            p = loader::PluginInstance::create(plugin, params, model ? &data : nullptr, {});
            return std::string();
        }))
        return false;

    const int64_t n = 2;
    std::vector<int64_t> labels = {0, 1}, label_shape = {n};
    DLTensor y = i64(labels, label_shape);

    std::string capabilities;
    // Every table is fetched (and checked) here first: the checks below use them freely.
    if (!c.run("capability tables have their required slots", [&] {
        for (auto [name, has] : {std::pair{"trainable", p->trainable() != nullptr}, {"generator", p->generator() != nullptr},
                                 {"denoiser", p->denoiser() != nullptr}, {"scheduler", p->scheduler() != nullptr},
                                 {"metric", p->metric() != nullptr}, {"latent", p->latent() != nullptr},
                                 {"likelihood", p->likelihood() != nullptr},
                                 {"autoregressive", p->autoregressive() != nullptr}})
            if (has) capabilities += (capabilities.empty() ? "" : ", ") + std::string(name);
        if (capabilities.empty()) throw Error("it offers no capability the host knows");
        return capabilities;
    }))
        return false;

    // A denoiser gets its noise schedule before anything else, as the host does.
    if (const genhost_denoiser* d = p->denoiser()) {
        c.run("set_noise_schedule with a 1000-step schedule", [&] {
            std::vector<float> alphas(1000);
            for (size_t t = 0; t < alphas.size(); ++t) alphas[t] = 1.0f - static_cast<float>(t + 1) / 1001.0f;
            p->check(d->set_noise_schedule(p->raw(), alphas.data(), 1000), "set_noise_schedule");
            return std::string();
        });
    }
    if (const genhost_trainable* t = p->trainable()) {
        c.run("parameters and phases are well-formed", [&] {
            train::ModelState state(t, p->raw(), id);
            return std::to_string(state.tensors().size()) + " tensors, " + std::to_string(state.parameter_count()) +
                   " trained values, " + std::to_string(state.phases().size()) + " phases";
        });
        c.run("every phase trains on a batch of 2 with finite losses and gradients", [&] {
            train::ModelState state(t, p->raw(), id);
            std::vector<float> x = uniform(n * o.channels * o.height * o.width, 1, 0, 1);
            std::vector<int64_t> shape = {n, o.channels, o.height, o.width};
            DLTensor images = f32(x, shape);
            for (const auto& ph : state.phases()) {
                state.zero_grads(ph.group);
                genhost_batch batch{sizeof(genhost_batch), &images, &y, 0, 7, n};
                std::vector<float> losses(ph.losses.size());
                p->check(t->train_phase(p->raw(), ph.index, &batch, losses.data()), "train_phase '" + ph.name + "'");
                require_finite(losses, "losses of phase '" + ph.name + "'");
                for (const auto& s : state.slots(ph.group))
                    require_finite(std::vector<float>(s.grad, s.grad + s.size), "gradient of '" + s.name + "'");
            }
            return std::string();
        });
    }
    int64_t shape3[3] = {0, 0, 0};
    if (const genhost_generator* g = p->generator()) {
        c.run("generate draws 2 finite samples", [&] {
            p->check(g->sample_shape(p->raw(), shape3), "sample_shape");
            std::vector<float> out(static_cast<size_t>(n * shape3[0] * shape3[1] * shape3[2]));
            std::vector<int64_t> shape = {n, shape3[0], shape3[1], shape3[2]};
            DLTensor t = f32(out, shape);
            genhost_sample_request r{sizeof(genhost_sample_request), 3, g->num_classes(p->raw()) > 0 ? &y : nullptr, nullptr};
            p->check(g->generate(p->raw(), &r, &t), "generate");
            require_finite(out, "samples");
            return "samples of " + std::to_string(shape3[0]) + "x" + std::to_string(shape3[1]) + "x" +
                   std::to_string(shape3[2]);
        });
    }
    if (const genhost_autoregressive* a = p->autoregressive()) {
        c.run("logits are finite and causal; logits_at agrees with logits", [&] {
            p->check(a->sample_shape(p->raw(), shape3), "sample_shape");
            const int64_t L = a->num_levels(p->raw()), per = shape3[0] * shape3[1] * shape3[2];
            if (L < 2) throw Error("num_levels is " + std::to_string(L) + "; must be at least 2");
            const DLTensor* labels = a->num_classes(p->raw()) > 0 ? &y : nullptr;
            std::vector<int64_t> x(static_cast<size_t>(n * per)), shape = {n, shape3[0], shape3[1], shape3[2]},
                                 lshape = {n, L, shape3[0], shape3[1], shape3[2]}, oshape = {n, L};
            data::Rng rng(6);
            for (int64_t& v : x) v = static_cast<int64_t>(rng.below(static_cast<uint64_t>(L)));
            std::vector<float> full(static_cast<size_t>(n * L * per)), changed(full.size()), one(size_t(n * L));
            DLTensor tx = i64(x, shape), tf = f32(full, lshape), tc = f32(changed, lshape), to = f32(one, oshape);
            p->check(a->logits(p->raw(), &tx, labels, &tf), "logits");
            require_finite(full, "logits");
            // Raster position q = (y * W + x) * C + c is element (c, y, x) of an image.
            auto element = [&](int64_t q) {
                const int64_t ch = q % shape3[0], col = (q / shape3[0]) % shape3[2], row = q / (shape3[0] * shape3[2]);
                return (ch * shape3[1] + row) * shape3[2] + col;
            };
            // Changing the middle position may change only the logits after it.
            const int64_t mid = per / 2;
            std::vector<int64_t> x2 = x;
            for (int64_t i = 0; i < n; ++i) x2[size_t(i * per + element(mid))] = (x2[size_t(i * per + element(mid))] + 1) % L;
            DLTensor tx2 = i64(x2, shape);
            p->check(a->logits(p->raw(), &tx2, labels, &tc), "logits");
            for (int64_t q = 0; q <= mid; ++q)
                for (int64_t i = 0; i < n; ++i)
                    for (int64_t l = 0; l < L; ++l) {
                        const size_t k = size_t((i * L + l) * per + element(q));
                        if (full[k] != changed[k])
                            throw Error("the logits at position " + std::to_string(q) + " change with the value at position " +
                                        std::to_string(mid) + ": not causal in raster order");
                    }
            if (!a->logits_at) return std::string("no logits_at (the host reads positions out of logits)");
            for (int64_t q : {int64_t{0}, mid, per - 1}) {
                p->check(a->logits_at(p->raw(), &tx, labels, q, &to), "logits_at");
                for (int64_t i = 0; i < n; ++i)
                    for (int64_t l = 0; l < L; ++l) {
                        const float want = full[size_t((i * L + l) * per + element(q))], got = one[size_t(i * L + l)];
                        if (std::fabs(want - got) > 1e-4f + 1e-4f * std::fabs(want))
                            throw Error("logits_at(" + std::to_string(q) + ") gives " + std::to_string(got) +
                                        " where logits gives " + std::to_string(want));
                    }
            }
            return std::to_string(L) + " levels; logits_at agrees at 3 positions";
        });
    }
    if (const genhost_latent* l = p->latent()) {
        c.run("encode and decode round-trip shapes", [&] {
            const int64_t d = l->latent_dim(p->raw());
            if (d <= 0) throw Error("latent_dim is " + std::to_string(d));
            std::vector<float> z(static_cast<size_t>(n * d)), lv(z.size());
            std::vector<int64_t> zshape = {n, d}, shape = {n, o.channels, o.height, o.width};
            DLTensor tz = f32(z, zshape), tlv = f32(lv, zshape);
            const bool conditional = p->generator() && p->generator()->num_classes(p->raw()) > 0;
            if (l->encode) {
                std::vector<float> x = uniform(n * o.channels * o.height * o.width, 2, 0, 1);
                DLTensor images = f32(x, shape);
                p->check(l->encode(p->raw(), &images, conditional ? &y : nullptr, &tz, &tlv), "encode");
                require_finite(z, "encoded means");
            }
            std::vector<float> back(static_cast<size_t>(n * o.channels * o.height * o.width));
            DLTensor tb = f32(back, shape);
            p->check(l->decode(p->raw(), &tz, conditional ? &y : nullptr, &tb), "decode");
            require_finite(back, "decoded images");
            return "latent dim " + std::to_string(d) + (l->encode ? "" : " (decode only)");
        });
    }
    if (const genhost_likelihood* lk = p->likelihood()) {
        c.run("log_likelihood is finite and the IW bound (K=4) is not below the ELBO on average", [&] {
            std::vector<float> x = uniform(n * o.channels * o.height * o.width, 3, 0, 1), elbo(n), iw(n);
            std::vector<int64_t> shape = {n, o.channels, o.height, o.width}, nshape = {n};
            DLTensor images = f32(x, shape), te = f32(elbo, nshape), ti = f32(iw, nshape);
            const bool conditional = (p->generator() && p->generator()->num_classes(p->raw()) > 0) ||
                                     (p->autoregressive() && p->autoregressive()->num_classes(p->raw()) > 0);
            genhost_likelihood_request r{sizeof(genhost_likelihood_request), &images, conditional ? &y : nullptr, 1, 5};
            p->check(lk->log_likelihood(p->raw(), &r, &te), "log_likelihood (K=1)");
            r.num_samples = 4;
            p->check(lk->log_likelihood(p->raw(), &r, &ti), "log_likelihood (K=4)");
            require_finite(elbo, "ELBO");
            require_finite(iw, "IW bound");
            if (iw[0] + iw[1] < elbo[0] + elbo[1] - 1e-3f * std::fabs(elbo[0] + elbo[1]))
                throw Error("the IW bound " + std::to_string((iw[0] + iw[1]) / 2) + " is below the ELBO " +
                            std::to_string((elbo[0] + elbo[1]) / 2));
            return std::string();
        });
    }
    if (const genhost_denoiser* d = p->denoiser()) {
        c.run("predict on noise at two timesteps is finite", [&] {
            p->check(d->sample_shape(p->raw(), shape3), "sample_shape");
            const int64_t per = shape3[0] * shape3[1] * shape3[2];
            std::vector<float> x = uniform(n * per, 4, -1, 1), out(x.size()), t = {0.0f, 999.0f};
            std::vector<int64_t> shape = {n, shape3[0], shape3[1], shape3[2]}, tshape = {n};
            DLTensor tx = f32(x, shape), tout = f32(out, shape), tt = f32(t, tshape);
            genhost_denoise_request r{sizeof(genhost_denoise_request), &tx, &tt, d->num_classes(p->raw()) > 0 ? &y : nullptr};
            p->check(d->predict(p->raw(), &r, &tout), "predict");
            require_finite(out, "prediction");
            return std::string("predicts ") + d->prediction_type(p->raw());
        });
    }
    if (const genhost_scheduler* s = p->scheduler()) {
        c.run("a 10-step run: timesteps, steps, and a reset that repeats it", [&] {
            const uint32_t train_steps = s->num_train_timesteps(p->raw());
            std::vector<float> alphas(train_steps);
            p->check(s->get_alphas_cumprod(p->raw(), alphas.data(), train_steps), "get_alphas_cumprod");
            require_finite(alphas, "alphas_cumprod");
            std::vector<float> first, second;
            for (auto* result : {&first, &second}) {
                p->check(s->set_timesteps(p->raw(), 10), "set_timesteps(10)");
                const uint32_t count = s->timestep_count(p->raw());
                if (count == 0) throw Error("set_timesteps(10) gave no timesteps");
                std::vector<float> ts(count);
                p->check(s->get_timesteps(p->raw(), ts.data(), count), "get_timesteps");
                std::vector<float> x = uniform(8, 6, -1, 1), eps(8, 0.1f), next(8), in(8);
                std::vector<int64_t> shape = {1, 1, 2, 4};
                DLTensor tx = f32(x, shape), te = f32(eps, shape), tn = f32(next, shape), ti = f32(in, shape);
                for (float& v : x) v *= s->init_noise_sigma(p->raw());
                for (uint32_t i = 0; i < count; ++i) {
                    if (s->scale_model_input) p->check(s->scale_model_input(p->raw(), i, &tx, &ti), "scale_model_input");
                    genhost_scheduler_step a{sizeof(genhost_scheduler_step), i, &te, &tx, 11 + i, nullptr};
                    p->check(s->step(p->raw(), &a, &tn), "step " + std::to_string(i));
                    x = next;
                    tx.data = x.data();
                }
                require_finite(x, "final sample");
                *result = x;
            }
            if (first != second) throw Error("a second run after set_timesteps differs from the first: state leaked");
            return std::to_string(train_steps) + " training timesteps";
        });
    }
    if (const genhost_metric* m = p->metric()) {
        c.run("update with real and generated images, then compute finite values", [&] {
            std::vector<float> x = uniform(4 * o.channels * o.height * o.width, 7, 0, 1);
            std::vector<int64_t> shape = {4, o.channels, o.height, o.width};
            DLTensor images = f32(x, shape);
            p->check(m->reset(p->raw()), "reset");
            p->check(m->update(p->raw(), GENHOST_METRIC_REAL, &images), "update (real)");
            p->check(m->update(p->raw(), GENHOST_METRIC_GENERATED, &images), "update (generated)");
            std::vector<double> values(m->value_count(p->raw()));
            p->check(m->compute(p->raw(), values.data()), "compute");
            std::string names;
            for (uint32_t i = 0; i < values.size(); ++i) {
                const char* name = m->value_name(p->raw(), i);
                if (!name) throw Error("value_name(" + std::to_string(i) + ") is NULL");
                if (!std::isfinite(values[i])) throw Error(std::string(name) + " is not finite");
                names += (names.empty() ? "" : ", ") + std::string(name);
            }
            return names;
        });
    }
    c.run("destroy", [&] {
        p.reset();
        return std::string();
    });
    return c.all_ok;
}

}  // namespace genhost::check
