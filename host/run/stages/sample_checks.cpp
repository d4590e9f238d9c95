#include "run/stages/sample_checks.hpp"

#include "run/context.hpp"
#include "run/stages/stage.hpp"
#include "util/error.hpp"

namespace genhost::run {

void check_sampling(const RunContext& run, const std::string& key, Problems& problems) {
    const auto& model = *run.model;
    if (!run.can_sample()) {
        problems.add(run.at(key) + ": plugin '" + model.id() + "' cannot draw samples (" +
                     (model.denoiser() ? "a diffusion denoiser needs a scheduler: section"
                                       : "it has none of genhost.generator/1, genhost.autoregressive/1 and "
                                         "genhost.denoiser/1") +
                     ")");
        return;
    }
    const nlohmann::json s = run.p.value("sample", nlohmann::json::object());
    const bool autoregressive = model.generator() == nullptr && model.autoregressive() != nullptr;
    const bool diffusion = model.denoiser() != nullptr && model.generator() == nullptr && !autoregressive;
    const int64_t classes = model.generator()  ? model.generator()->num_classes(model.raw())
                            : autoregressive   ? model.autoregressive()->num_classes(model.raw())
                                               : model.denoiser()->num_classes(model.raw());
    if (!autoregressive && run.pipeline.written("sample.temperature") && s.value("temperature", 1.0) != 1.0)
        problems.add(run.at("sample.temperature") + ": is for autoregressive models (genhost.autoregressive/1); plugin '" +
                     model.id() + "' has none; remove it");
    const auto labels = s.value("labels", std::vector<int64_t>{});
    if (!labels.empty() && classes == 0)
        problems.add(run.at("sample.labels") + ": plugin '" + model.id() +
                     "' is unconditional (0 classes); remove sample.labels");
    for (size_t i = 0; i < labels.size(); ++i)
        if (classes > 0 && labels[i] >= classes) {
            problems.add(run.at("sample.labels[" + std::to_string(i) + "]") + ": label " + std::to_string(labels[i]) +
                         " is out of range: the model has " + std::to_string(classes) + " classes (0.." +
                         std::to_string(classes - 1) + ")");
            break;
        }
    if (!diffusion) {
        for (const char* k : {"steps", "scheduler"})  // steps: null is unset (a resolved pipeline writes it)
            if (run.pipeline.written(std::string("sample.") + k) && s.contains(k) && !s[k].is_null())
                problems.add(run.at(std::string("sample.") + k) + ": is for diffusion samplers; plugin '" + model.id() +
                             "' draws samples " + (autoregressive ? "pixel by pixel" : "directly") + "; remove it");
        if (run.pipeline.written("sample.guidance_scale") && s.value("guidance_scale", 1.0) != 1.0)
            problems.add(run.at("sample.guidance_scale") + ": classifier-free guidance is for diffusion models; plugin '" +
                         model.id() + "' draws samples directly; remove it");
        return;
    }
    if (s.value("guidance_scale", 1.0) != 1.0 && classes == 0)
        problems.add(run.at("sample.guidance_scale") + ": guidance needs a class-conditional model; plugin '" + model.id() +
                     "' has no classes");
    const sample::SampleSpec spec = run.sample_spec();
    if (spec.scheduler) {
        const size_t train_steps = spec.scheduler->alphas_cumprod().size();
        if (spec.steps > train_steps) {
            const std::string where = run.pipeline.written("sample.steps") ? "sample.steps"
                                      : run.sample_scheduler ? "sample.scheduler.params.num_inference_steps"
                                                             : "scheduler.params.num_inference_steps";
            problems.add(run.at(where) + ": " + std::to_string(spec.steps) + " sampling steps, but scheduler '" +
                         spec.scheduler->id() + "' was trained with " + std::to_string(train_steps) +
                         " (num_train_timesteps); use at most that many");
        }
    }
}

void check_grid(const RunContext& run, int64_t count, const nlohmann::json& grid, const std::string& key,
                Problems& problems, bool decoded_samples) {
    const bool samples = run.model->generator() || run.model->autoregressive() || run.model->denoiser();
    if (!samples && !run.data_info) return;
    std::array<int64_t, 3> shape{};
    if (samples)
        shape = run.model->sample_shape();
    else
        shape = {run.data_info->channels, run.data_info->height, run.data_info->width};
    // Decoded samples have the decoding component's image shape (check_two_stage checks the rest).
    if (decoded_samples && run.p.contains("sample") && !run.p["sample"]["decode_with"].is_null()) {
        auto c = run.components.find(run.p["sample"]["decode_with"].get<std::string>());
        if (c == run.components.end()) return;
        shape = {c->second.data_info.channels, c->second.data_info.height, c->second.data_info.width};
    }
    try {
        const int64_t scale = run.grid_scale();
        image::check_grid(count, shape[0], shape[1], shape[2], grid.value("columns", int64_t{8}),
                          grid.value("padding", int64_t{2}), run.range(),
                          scale > 0 ? scale : image::auto_scale(shape[1], shape[2]));
    } catch (const Error& e) {
        std::string m = e.what();
        if (m.rfind("make_grid: ", 0) == 0) m = m.substr(11);
        problems.add(run.at(key) + ": " + m);
    }
}

}  // namespace genhost::run
