#include "sample/sampler.hpp"

#include <genhost/cpp/tensor_view.hpp>

#include <algorithm>
#include <initializer_list>
#include <array>
#include <cmath>

#include "data/rng.hpp"
#include "sample/autoregressive.hpp"
#include "util/error.hpp"
#include "util/progress.hpp"

namespace genhost::sample {

std::vector<int64_t> labels_for(const SampleSpec& spec, int64_t first, int64_t n, int64_t num_classes,
                                const std::string& id) {
    if (spec.labels.empty()) {
        if (num_classes == 0) return {};
        // A conditional model with no labels asked for: cycle through the classes.
        std::vector<int64_t> out(static_cast<size_t>(n));
        for (int64_t i = 0; i < n; ++i) out[i] = (first + i) % num_classes;
        return out;
    }
    std::vector<int64_t> out(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) {
        out[i] = spec.labels[static_cast<size_t>((first + i) % static_cast<int64_t>(spec.labels.size()))];
        if (num_classes > 0 && out[i] >= num_classes)
            throw Error("sample.labels: label " + std::to_string(out[i]) + " is out of range: plugin '" + id + "' has " +
                        std::to_string(num_classes) + " classes (0.." + std::to_string(num_classes - 1) + ")");
    }
    if (num_classes == 0) return {};  // an unconditional model ignores labels
    return out;
}

std::vector<int64_t> drawn_labels(const loader::PluginInstance& model, const SampleSpec& spec) {
    return labels_for(spec, 0, spec.count, conditioning_classes(model), model.id());
}

// Sample i's own seed: what its randomness derives from, whatever the batching.
uint64_t image_seed(const SampleSpec& spec, int64_t i) { return data::derive_seed(spec.seed, static_cast<uint64_t>(i)); }

namespace {

// derive_seed(...derive_seed(base, tags[0])..., tags[k]): one path of derived seeds,
// taken from the batch's seed (for plugins of ABI 1.0) and from each image's (1.1).
uint64_t chain(uint64_t base, std::initializer_list<uint64_t> tags) {
    for (uint64_t t : tags) base = data::derive_seed(base, t);
    return base;
}

void generate_batch(const loader::PluginInstance& model, const genhost_generator* g, const SampleSpec& spec,
                    int64_t first, int64_t n, const int64_t shape3[3], float* out) {
    std::vector<int64_t> labels = labels_for(spec, first, n, g->num_classes(model.raw()), model.id());
    std::vector<int64_t> label_shape = {n};
    DLTensor y = make_dltensor(labels.data(), label_shape);
    std::vector<int64_t> shape = {n, shape3[0], shape3[1], shape3[2]};
    DLTensor x = make_dltensor(out, shape);
    std::vector<uint64_t> seeds(static_cast<size_t>(n));
    for (int64_t k = 0; k < n; ++k) seeds[k] = image_seed(spec, first + k);
    DLTensor s = make_dltensor(seeds.data(), label_shape);
    // `seed`, for plugins of ABI 1.0: the batch's, which is its first image's.
    genhost_sample_request request{sizeof(genhost_sample_request), image_seed(spec, first), labels.empty() ? nullptr : &y, &s};
    model.check(g->generate(model.raw(), &request, &x), "generate");
}

void denoise_batch(const loader::PluginInstance& model, const genhost_denoiser* d, const SampleSpec& spec,
                   int64_t first, int64_t n, const int64_t shape3[3], float* out, Progress& progress,
                   int64_t& done_steps) {
    const loader::PluginInstance& sched = *spec.scheduler;
    const genhost_scheduler* s = sched.scheduler();
    const int64_t num_classes = d->num_classes(model.raw());
    std::vector<int64_t> labels = labels_for(spec, first, n, num_classes, model.id());
    const bool guided = spec.guidance_scale != 1.0f && !labels.empty();
    std::vector<int64_t> no_labels(static_cast<size_t>(n), -1);
    std::vector<int64_t> label_shape = {n};
    DLTensor y = make_dltensor(labels.data(), label_shape), y_none = make_dltensor(no_labels.data(), label_shape);

    sched.check(s->set_timesteps(sched.raw(), spec.steps), "set_timesteps");
    const std::vector<float> timesteps = sched.timesteps();
    const auto count = static_cast<uint32_t>(timesteps.size());

    const int64_t size = n * shape3[0] * shape3[1] * shape3[2];
    std::vector<float> x(static_cast<size_t>(size)), input(x.size()), prediction(x.size()), uncond(x.size()),
        next(x.size()), t(static_cast<size_t>(n));
    // Each image's starting noise comes from its own index, so a deterministic sampler gives
    // the same image whatever sample.batch_size is.
    const int64_t per_image = size / n;
    for (int64_t k = 0; k < n; ++k)
        fill_normal(x.data() + k * per_image, per_image, image_seed(spec, first + k));
    const float sigma = sched.init_noise_sigma();
    for (float& v : x) v *= sigma;
    std::vector<int64_t> shape = {n, shape3[0], shape3[1], shape3[2]}, t_shape = {n};
    DLTensor tx = make_dltensor(x.data(), shape), tin = make_dltensor(input.data(), shape), tpred = make_dltensor(prediction.data(), shape),
             tun = make_dltensor(uncond.data(), shape), tnext = make_dltensor(next.data(), shape), tt = make_dltensor(t.data(), t_shape);
    const uint64_t batch_seed = image_seed(spec, first);  // for plugins of ABI 1.0, as in generate_batch
    std::vector<uint64_t> step_seeds(static_cast<size_t>(n));
    DLTensor tseeds = make_dltensor(step_seeds.data(), t_shape);
    // Noise the host itself draws (inpainting): image k's part from its own seed path.
    auto fill_noise = [&](float* dst, std::initializer_list<uint64_t> tags) {
        for (int64_t k = 0; k < n; ++k) fill_normal(dst + k * per_image, per_image, chain(image_seed(spec, first + k), tags));
    };
    // One model evaluation and scheduler update at step i: x <- step(model(x), i, x).
    // `tags`: the step's path of derived seeds (stochastic schedulers draw noise from it).
    auto update = [&](uint32_t i, std::initializer_list<uint64_t> tags) {
        for (int64_t k = 0; k < n; ++k) step_seeds[static_cast<size_t>(k)] = chain(image_seed(spec, first + k), tags);
        if (s->scale_model_input)
            sched.check(s->scale_model_input(sched.raw(), i, &tx, &tin), "scale_model_input");
        else
            input = x;
        std::fill(t.begin(), t.end(), timesteps[i]);
        genhost_denoise_request request{sizeof(genhost_denoise_request), &tin, &tt, labels.empty() ? nullptr : &y};
        model.check(d->predict(model.raw(), &request, &tpred), "predict");
        if (guided) {
            // Classifier-free guidance: uncond + scale * (cond - uncond).
            request.labels = &y_none;
            model.check(d->predict(model.raw(), &request, &tun), "predict");
            for (size_t k = 0; k < prediction.size(); ++k)
                prediction[k] = uncond[k] + spec.guidance_scale * (prediction[k] - uncond[k]);
        }
        genhost_scheduler_step args{sizeof(genhost_scheduler_step), i, &tpred, &tx, chain(batch_seed, tags), &tseeds};
        sched.check(s->step(sched.raw(), &args, &tnext), "step " + std::to_string(i));
        std::swap(x, next);
        tx.data = x.data(), tnext.data = next.data();
    };
    const InpaintGuide* guide = spec.inpaint;
    auto alpha_at = [&](uint32_t i) {  // the training schedule's alpha_cumprod at step i; 1 past the end
        if (i >= count) return 1.0;
        const auto& a = guide->alphas_cumprod;
        return double(a[static_cast<size_t>(std::clamp<long>(std::lround(timesteps[i]), 0, long(a.size()) - 1))]);
    };
    std::vector<float> eps(guide ? x.size() : 0);
    auto keep_known = [&](uint32_t i, std::initializer_list<uint64_t> tags) {  // x is now at step i + 1's noise level
        const double a = alpha_at(i + 1);
        fill_noise(eps.data(), tags);
        const float* x0 = guide->known + first * (size / n);
        const float* m = guide->mask + first * (size / n);
        for (int64_t k = 0; k < size; ++k)
            x[k] = m[k] * static_cast<float>(std::sqrt(a) * x0[k] + std::sqrt(1 - a) * eps[k]) + (1 - m[k]) * x[k];
    };
    for (uint32_t i = 0; i < count; ++i) {
        const uint64_t step = i + 1;
        update(i, {step});
        if (guide) {
            keep_known(i, {step, 0});
            for (uint64_t r = 1; r < static_cast<uint64_t>(guide->resample) && i + 1 < count; ++r) {
                // Back to step i's noise level, then the same step again.
                const double ratio = alpha_at(i) / alpha_at(i + 1);
                fill_noise(eps.data(), {step, 2 * r});
                for (int64_t k = 0; k < size; ++k)
                    x[k] = static_cast<float>(std::sqrt(ratio) * x[k] + std::sqrt(1 - ratio) * eps[k]);
                update(i, {step, 2 * r + 1});
                keep_known(i, {step, 2 * r + 2});
            }
        }
        progress.update(++done_steps, "steps");
    }
    std::copy(x.begin(), x.end(), out);
}

}  // namespace

void fill_normal(float* out, int64_t n, uint64_t seed) {
    data::Rng rng(seed);
    for (int64_t i = 0; i < n; i += 2) {
        // Box-Muller on two uniforms in (0, 1].
        double u1 = (static_cast<double>(rng.next() >> 11) + 1.0) * 0x1.0p-53;
        double u2 = static_cast<double>(rng.next() >> 11) * 0x1.0p-53;
        double r = std::sqrt(-2.0 * std::log(u1));
        out[i] = static_cast<float>(r * std::cos(2.0 * M_PI * u2));
        if (i + 1 < n) out[i + 1] = static_cast<float>(r * std::sin(2.0 * M_PI * u2));
    }
}

int64_t conditioning_classes(const loader::PluginInstance& model) {
    if (const genhost_generator* g = model.generator()) return g->num_classes(model.raw());
    if (const genhost_autoregressive* a = model.autoregressive()) return a->num_classes(model.raw());
    if (const genhost_denoiser* d = model.denoiser()) return d->num_classes(model.raw());
    return 0;
}

Images draw(const loader::PluginInstance& model, const SampleSpec& spec) {
    const genhost_generator* g = model.generator();
    const genhost_autoregressive* a = g ? nullptr : model.autoregressive();
    const genhost_denoiser* d = g || a ? nullptr : model.denoiser();
    if (!g && !a && !d)
        throw Error("plugin '" + model.id() + "' cannot draw samples: it has none of " GENHOST_EXT_GENERATOR
                    ", " GENHOST_EXT_AUTOREGRESSIVE " and " GENHOST_EXT_DENOISER "; remove the sample: section");
    if (d && !spec.scheduler)
        throw Error("plugin '" + model.id() + "' is a diffusion denoiser: sampling needs a scheduler; add a scheduler: "
                    "section (e.g. {plugin: ddpm}) or sample.scheduler");
    const std::array<int64_t, 3> shape = model.sample_shape();
    const int64_t shape3[3] = {shape[0], shape[1], shape[2]};
    Images images{spec.count, shape3[0], shape3[1], shape3[2], {}};
    const int64_t per_image = shape3[0] * shape3[1] * shape3[2];
    images.data.resize(static_cast<size_t>(spec.count * per_image));

    int64_t total_steps = 0, done_steps = 0;
    if (d) {
        const genhost_scheduler* s = spec.scheduler->scheduler();
        spec.scheduler->check(s->set_timesteps(spec.scheduler->raw(), spec.steps), "set_timesteps");
        total_steps = static_cast<int64_t>(spec.scheduler->timesteps().size()) *
                      ((spec.count + spec.batch_size - 1) / spec.batch_size);
    }
    if (a) total_steps = autoregressive_positions(model) * ((spec.count + spec.batch_size - 1) / spec.batch_size);
    const bool loop = d || a;
    Progress progress("sample", loop ? total_steps : spec.count, loop ? (a ? 100 : 10) : spec.batch_size,
                      spec.quiet || !loop);
    for (int64_t first = 0; first < spec.count; first += spec.batch_size) {
        const int64_t n = std::min(spec.batch_size, spec.count - first);
        float* out = images.data.data() + first * per_image;
        if (g)
            generate_batch(model, g, spec, first, n, shape3, out);
        else if (a)
            autoregressive_batch(model, spec, first, n, out, progress, done_steps);
        else
            denoise_batch(model, d, spec, first, n, shape3, out, progress, done_steps);
    }
    if (d) progress.finish("steps");
    if (a) progress.finish("positions");
    return images;
}

}  // namespace genhost::sample
