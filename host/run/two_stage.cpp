#include "run/two_stage.hpp"

#include <chrono>
#include <cmath>
#include <iostream>

#include "run/context.hpp"
#include "run/stages/stage.hpp"
#include "sample/codes.hpp"
#include "sample/latent.hpp"
#include "util/error.hpp"

namespace genhost::run {

namespace {

std::string shape_text(int64_t c, int64_t h, int64_t w) {
    return std::to_string(c) + "x" + std::to_string(h) + "x" + std::to_string(w);
}

std::string shape_text(const std::array<int64_t, 3>& s) { return shape_text(s[0], s[1], s[2]); }

// "component 'vqvae' (plugin 'org.genhost.vqvae', runs/vqvae-fashion/checkpoint.safetensors)"
std::string describe(const Component& c) {
    return "component '" + c.name + "' (plugin '" + c.instance->id() + "', " + c.checkpoint + ")";
}

}  // namespace

const Component& coding_component(const RunContext& run, const std::string& key) {
    const size_t dot = key.find('.');
    const std::string name = run.p.at(key.substr(0, dot)).at(key.substr(dot + 1)).get<std::string>();
    auto it = run.components.find(name);
    if (it == run.components.end()) {
        std::string known;
        for (const auto& [n, c] : run.components) known += (known.empty() ? "" : ", ") + n;
        throw Error(run.at(key) + ": no component named '" + name + "' (components: " + (known.empty() ? "none" : known) +
                    "); add it, e.g. components: {" + name +
                    ": {checkpoint: runs/vqvae-fashion/checkpoint.safetensors}}, or correct the name");
    }
    const loader::PluginInstance& m = *it->second.instance;
    const bool spatial = m.latent() && m.latent()->encode && m.latent_shape();
    if (!m.quantizer() && !spatial)
        throw Error(run.at(key) + ": " + describe(it->second) +
                    " has neither genhost.quantizer/1 nor spatial latents (genhost.latent/1 with latent_shape): it "
                    "cannot turn images into codes or latent maps and back; name a trained VQ-VAE (plugin vqvae) or a "
                    "VAE with latent_channels instead");
    return it->second;
}

bool encodes_codes(const Component& c) { return c.instance->quantizer() != nullptr; }

genhost_data_info encoded_data_info(const RunContext& run, const data::Dataset& pixels) {
    const Component& c = coding_component(run, "data.encode_with");
    const genhost_data_info& t = c.data_info;
    if (t.channels != pixels.channels || t.height != pixels.height || t.width != pixels.width)
        throw Error(run.at("data.encode_with") + ": " + describe(c) + " was trained on " +
                    shape_text(t.channels, t.height, t.width) + " images, but the data (" + pixels.source + ") has " +
                    shape_text(pixels.channels, pixels.height, pixels.width) +
                    "; encode the data it was trained on, or train a component on this data");
    const auto shape = encodes_codes(c) ? c.instance->code_shape() : *c.instance->latent_shape();
    const auto& r = run.p["data"]["range"];
    return genhost_data_info{sizeof(genhost_data_info), shape[0], shape[1], shape[2], pixels.num_classes,
                             r[0].get<float>(), r[1].get<float>(), 1};
}

void check_two_stage(const RunContext& run, Problems& problems) {
    const bool encodes = !run.p["data"]["encode_with"].is_null();
    const bool decodes = run.p.contains("sample") && !run.p["sample"]["decode_with"].is_null();
    if (!encodes && !decodes) return;
    const loader::PluginInstance& model = *run.model;
    auto check_against = [&](const std::string& key) {
        const Component* c = nullptr;
        try {
            c = &coding_component(run, key);
        } catch (const Error& e) {
            problems.add(e.what());
            return;
        }
        if (!encodes_codes(*c)) {  // latents: a denoiser of their shape
            const auto latent_shape = *c->instance->latent_shape();
            if (!model.denoiser()) {
                problems.add(run.at(key) + ": " + describe(*c) + " gives " + shape_text(latent_shape) +
                             " latent maps, but the model (plugin '" + model.id() +
                             "') is no diffusion denoiser (genhost.denoiser/1); use unet");
                return;
            }
            if (model.sample_shape() != latent_shape)
                problems.add(run.at(key) + ": " + describe(*c) + " gives " + shape_text(latent_shape) +
                             " latent maps, but the model (plugin '" + model.id() + "') " +
                             (run.p["model"]["checkpoint"].is_null() ? "sees " : "was trained on ") +
                             shape_text(model.sample_shape()) + " data; name the component its data came from");
            return;
        }
        const int64_t k = c->instance->codebook_size();
        const auto code_shape = c->instance->code_shape();
        const genhost_autoregressive* a = model.autoregressive();
        if (!a) {
            problems.add(run.at(key) + ": " + describe(*c) + " gives maps of " + std::to_string(k) +
                         " codes, but the model (plugin '" + model.id() +
                         "') has no genhost.autoregressive/1 to model discrete values; use a prior such as "
                         "gated_pixelcnn with levels: " + std::to_string(k));
            return;
        }
        const int64_t levels = a->num_levels(model.raw());
        if (levels != k)
            problems.add(run.at(key) + ": " + describe(*c) + " has a codebook of " + std::to_string(k) +
                         " codes, but the model (plugin '" + model.id() + "') has " + std::to_string(levels) +
                         " levels; set model.params.levels: " + std::to_string(k));
        const auto sample_shape = model.sample_shape();
        if (sample_shape != code_shape)
            problems.add(run.at(key) + ": " + describe(*c) + " makes " + shape_text(code_shape) +
                         " code maps, but the model (plugin '" + model.id() + "') " +
                         (run.p["model"]["checkpoint"].is_null() ? "sees " : "was trained on ") + shape_text(sample_shape) +
                         " data; " +
                         (run.p["model"]["checkpoint"].is_null()
                              ? std::string("train it with data.encode_with: ") + c->name
                              : "name the component whose codes model.checkpoint was trained on"));
    };
    if (encodes) check_against("data.encode_with");
    // The same component on both sides would say the same twice.
    if (decodes && !(encodes && run.p["data"]["encode_with"] == run.p["sample"]["decode_with"]))
        check_against("sample.decode_with");
    // Samples of a model trained on codes are code maps: grids and scores need images.
    const bool samples = (run.p.contains("sample") && run.p["sample"]["count"].get<int64_t>() > 0) ||
                         (run.p.contains("evaluate") && !run.p["evaluate"]["metrics"].empty()) ||
                         (run.p.contains("train") && run.p["train"]["sample_every"].get<int64_t>() > 0);
    if (encodes && !decodes && samples) {
        const std::string name = run.p["data"]["encode_with"].get<std::string>();
        auto c = run.components.find(name);
        const std::string maps = c != run.components.end() && !encodes_codes(c->second) ? "latent maps" : "code maps";
        problems.add(run.at("data.encode_with") + ": the model trains on the " + maps + " of component '" + name +
                     "', so its samples are " + maps + ", not images; add sample: {decode_with: " + name + "}");
    }
}

namespace {

// Posterior means of `pixels` (the component's data range), flat [n, c*h*w].
std::vector<float> latent_means(const Component& c, const sample::Images& pixels) {
    auto means = sample::encode_means(*c.instance, sample::LabelledImages{pixels, {}}, 256);
    if (!means) throw Error("component '" + c.name + "' (plugin '" + c.instance->id() + "') does not encode images");
    return *means;
}

}  // namespace

data::Dataset encode_dataset(const Component& c, const data::Dataset& pixels, image::ValueRange model_range,
                             float* scale, bool quiet) {
    const auto start = std::chrono::steady_clock::now();
    const float lo = c.data_info.range_min, hi = c.data_info.range_max;
    const bool codes = encodes_codes(c);
    const int64_t k = codes ? c.instance->codebook_size() : 0, chunk = 4096;
    data::Dataset out;
    out.labels = pixels.labels;
    out.num_classes = pixels.num_classes;
    out.class_names = pixels.class_names;
    out.n = pixels.n;
    sample::CodeMaps all;
    std::vector<float> latents;
    for (int64_t first = 0; first < pixels.n; first += chunk) {
        const int64_t n = std::min(chunk, pixels.n - first), per = pixels.image_size();
        sample::Images x{n, pixels.channels, pixels.height, pixels.width,
                         std::vector<float>(pixels.images.begin() + first * per, pixels.images.begin() + (first + n) * per)};
        for (float& v : x.data) v = lo + (hi - lo) * v;  // the component's data range
        if (codes) {
            sample::CodeMaps m = sample::encode_codes(*c.instance, x, 256);
            all.shape = m.shape;
            all.codes.insert(all.codes.end(), m.codes.begin(), m.codes.end());
        } else {
            std::vector<float> z = latent_means(c, x);
            latents.insert(latents.end(), z.begin(), z.end());
        }
    }
    std::string usage_text;
    if (codes) {
        all.n = pixels.n;
        sample::Images levels = sample::codes_to_levels(all, k, 0.0f, 1.0f);  // the Dataset convention, [0, 1]
        out.channels = levels.channels, out.height = levels.height, out.width = levels.width;
        out.images = std::move(levels.data);
        const sample::CodeUsage usage = sample::code_usage(all, k);
        usage_text = std::to_string(usage.used) + " of " + std::to_string(k) + " codes used, perplexity " +
                     std::to_string(usage.perplexity);
    } else {
        const auto shape = *c.instance->latent_shape();
        out.channels = shape[0], out.height = shape[1], out.width = shape[2];
        if (*scale == 0.0f) {  // 1 / the standard deviation of every latent value (Rombach et al. 2022)
            double sum = 0, sq = 0;
            for (float v : latents) sum += v, sq += double(v) * v;
            const double mean = sum / double(latents.size()), var = sq / double(latents.size()) - mean * mean;
            if (!(var > 0)) throw Error("component '" + c.name + "' encodes every image to the same latents");
            *scale = float(1.0 / std::sqrt(var));
        }
        // Stored so that the loader's map lo + (hi - lo) * v gives latent * scale exactly.
        for (float& v : latents) v = (v * *scale - model_range.lo) / (model_range.hi - model_range.lo);
        out.images = std::move(latents);
        usage_text = "latent scale factor " + std::to_string(*scale);
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    out.source = std::string(codes ? "codes" : "latents") + " of " + pixels.source + " by component '" + c.name + "'";
    if (!quiet)
        std::cout << "data: encoded " << pixels.n << " images into " << out.channels << "x" << out.height << "x"
                  << out.width << (codes ? " code" : " latent") << " maps with component '" << c.name << "' in "
                  << seconds << " s; " << usage_text << std::endl;
    return out;
}

sample::Images encode_images(const Component& c, const sample::Images& pixels, image::ValueRange model_range,
                             float scale) {
    if (encodes_codes(c))
        return sample::codes_to_levels(sample::encode_codes(*c.instance, pixels, 256), c.instance->codebook_size(),
                                       model_range.lo, model_range.hi);
    const auto shape = *c.instance->latent_shape();
    sample::Images out{pixels.n, shape[0], shape[1], shape[2], latent_means(c, pixels)};
    for (float& v : out.data) v *= scale;
    return out;
}

sample::Images decode_samples(const Component& c, const sample::Images& samples, image::ValueRange model_range,
                              float scale) {
    if (!encodes_codes(c)) {
        std::vector<float> z = samples.data;
        for (float& v : z) v /= scale;
        return sample::decode(*c.instance, z, {}, 256);
    }
    const int64_t k = c.instance->codebook_size();
    const sample::CodeMaps codes = sample::levels_to_codes(samples, k, model_range.lo, model_range.hi);
    return sample::decode_codes(*c.instance, codes, {c.data_info.channels, c.data_info.height, c.data_info.width}, 256);
}

}  // namespace genhost::run
