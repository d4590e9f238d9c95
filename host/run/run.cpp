#include "run/run.hpp"

#include <genhost/cpp/tensor_view.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <numeric>
#include <optional>
#include <thread>

#include "data/load.hpp"
#include "data/rng.hpp"
#include "data/loader.hpp"
#include "image/grid.hpp"
#include "image/npy_write.hpp"
#include <genhost/cpp/schema.hpp>

#include "loader/instance.hpp"
#include "pipeline/yaml_document.hpp"
#include "run/data_options.hpp"
#include "evaluate/auroc.hpp"
#include "evaluate/likelihood.hpp"
#include "sample/latent.hpp"
#include "sample/sampler.hpp"
#include "train/model_state.hpp"
#include "train/run_checkpoint.hpp"
#include "train/trainer.hpp"
#include "util/error.hpp"

namespace genhost::run {

namespace fs = std::filesystem;

namespace {

uint32_t thread_count(const nlohmann::json& pipeline) {
    uint32_t n = pipeline.at("threads").get<uint32_t>();
    if (n == 0) n = std::max(1u, std::thread::hardware_concurrency());
    return n;
}

void write_text(const fs::path& file, const std::string& text) {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out) throw Error(file.string() + ": cannot write (is the run directory writable?)");
}

nlohmann::json data_info_json(const genhost_data_info& d) {
    return {{"channels", d.channels}, {"height", d.height}, {"width", d.width}, {"num_classes", d.num_classes},
            {"range", {d.range_min, d.range_max}}};
}

genhost_data_info data_info_from_json(const nlohmann::json& j) {
    return {sizeof(genhost_data_info), j.at("channels").get<int64_t>(), j.at("height").get<int64_t>(),
            j.at("width").get<int64_t>(), j.at("num_classes").get<int64_t>(), j.at("range")[0].get<float>(),
            j.at("range")[1].get<float>()};
}

// Everything a run holds: the plugin instances, the data, and where outputs go.
struct Run {
    const pipeline::Pipeline& pipeline;
    const loader::PluginRegistry& registry;
    RunOptions options;
    const nlohmann::json& p;
    fs::path out;
    loader::HostServices services;
    std::shared_ptr<const data::Dataset> dataset;
    std::optional<genhost_data_info> data_info;
    std::unique_ptr<loader::PluginInstance> model, scheduler, sample_scheduler;
    nlohmann::json report = nlohmann::json::object();  // metrics.json, filled by the stages

    Run(const pipeline::Pipeline& pl, const loader::PluginRegistry& r, RunOptions o)
        : pipeline(pl), registry(r), options(o), p(pl.json()), out(pl.output_dir()) {
        services.seed = p.at("seed").get<uint64_t>();
        services.num_threads = thread_count(p);
    }

    void say(const std::string& line) const {
        if (!options.quiet) std::cout << line << std::endl;
    }

    std::unique_ptr<loader::PluginInstance> create(const nlohmann::json& section, const genhost_data_info* info) {
        return loader::PluginInstance::create(registry.find(section.at("plugin").get<std::string>()),
                                              section.at("params"), info, services);
    }

    std::map<std::string, std::string> metadata() const {
        const auto& d = *model->description().descriptor;
        return {{"genhost.version", GENHOST_HOST_VERSION},
                {"plugin.id", model->id()},
                {"plugin.version", d.version},
                {"plugin.params", p["model"]["params"].dump()},
                {"data", data_info ? data_info_json(*data_info).dump() : "null"},
                {"pipeline", pipeline.to_yaml()}};
    }

    void load_data() {
        data::DataOptions o = data_options(p.at("data"), services.seed);
        dataset = std::make_shared<const data::Dataset>(data::load_dataset(o));
        const auto& r = p["data"]["range"];
        data_info = genhost_data_info{sizeof(genhost_data_info), dataset->channels, dataset->height, dataset->width,
                                      dataset->num_classes, r[0].get<float>(), r[1].get<float>()};
        say("data: " + data::describe(*dataset));
    }

    // As diffusers' from_pretrained: omitted params come from the checkpoint; given ones
    // must agree with it, since the weights only fit the architecture they were trained with.
    nlohmann::json params_from_checkpoint(const std::string& checkpoint) const {
        auto meta = train::read_checkpoint_metadata(checkpoint);
        const std::string id = p["model"]["plugin"].get<std::string>();
        if (meta.count("plugin.id") && meta["plugin.id"] != id)
            throw Error("checkpoint " + checkpoint + " was written for plugin '" + meta["plugin.id"] +
                        "', but the pipeline's model is '" + id + "'");
        auto it = meta.find("plugin.params");
        if (it == meta.end()) return p["model"]["params"];
        nlohmann::json saved = nlohmann::json::parse(it->second);
        // Params a newer version of the plugin added get their defaults.
        std::vector<schema::Issue> issues;
        schema::validate(saved, registry.find(id).description->params_schema, issues);
        if (!issues.empty())
            throw Error("checkpoint " + checkpoint + ": its model params no longer fit plugin '" + id +
                        "':\n" + schema::format(issues));
        if (!pipeline.written("model.params")) return saved;
        std::string differences;
        for (auto kv = p["model"]["params"].begin(); kv != p["model"]["params"].end(); ++kv)
            if (saved.contains(kv.key()) && saved[kv.key()] != kv.value())
                differences += "\n  " + kv.key() + ": the pipeline says " + kv.value().dump() + ", the checkpoint " +
                               saved[kv.key()].dump();
        if (!differences.empty())
            throw Error(pipeline.locate("model.params").str() + ": model.params disagree with the checkpoint " +
                        checkpoint + ":" + differences + "\nremove model.params to use the checkpoint's");
        return p["model"]["params"];
    }

    // --resume continues the same run: everything that shapes the result must be as it was.
    // Only how long it runs and how often it logs, checkpoints and samples may change.
    void check_resumable(const std::string& checkpoint) const {
        auto meta = train::read_checkpoint_metadata(checkpoint);
        auto it = meta.find("pipeline");
        if (it == meta.end()) return;
        nlohmann::json before = pipeline::parse_yaml(it->second, checkpoint + " (its pipeline)").root;
        auto strip = [](nlohmann::json j) {
            j.erase("name"), j.erase("output"), j.erase("threads"), j.erase("plugin_paths");
            j.erase("sample"), j.erase("evaluate"), j.erase("reconstruct"), j.erase("interpolate"), j.erase("inpaint");
            if (j.contains("model")) j["model"].erase("checkpoint");
            if (j.contains("train"))
                for (const char* k : {"steps", "epochs", "log_every", "checkpoint_every", "sample_every"}) j["train"].erase(k);
            return j;
        };
        const nlohmann::json a = strip(before), b = strip(p);
        std::string differences;
        for (const auto& d : nlohmann::json::diff(a, b))
            differences += "\n  " + d["path"].get<std::string>().substr(1) + ": " +
                           (d["op"] == "add" ? "added" : d["op"] == "remove" ? "removed" : "was " + a.at(nlohmann::json::json_pointer(d["path"].get<std::string>())).dump() + ", now " + d["value"].dump());
        if (!differences.empty())
            throw Error("--resume: the pipeline differs from the run in " + checkpoint + " in what shapes the result:" +
                        differences + "\nresume with the same pipeline and --set options, or start a new run with another --output");
    }

    void create_plugins() {
        const std::string checkpoint = p["model"]["checkpoint"].is_null() ? "" : p["model"]["checkpoint"].get<std::string>();
        const bool resuming = options.resume && fs::exists(out / "checkpoint.safetensors");
        if (p.contains("train") || p.contains("evaluate") || p.contains("reconstruct") || p.contains("interpolate") ||
            p.contains("inpaint")) {
            load_data();
        } else if (!checkpoint.empty() || resuming) {
            // A sampling-only run takes the data's shape from the checkpoint it samples.
            auto meta = train::read_checkpoint_metadata(resuming ? (out / "checkpoint.safetensors").string() : checkpoint);
            if (auto it = meta.find("data"); it != meta.end() && it->second != "null")
                data_info = data_info_from_json(nlohmann::json::parse(it->second));
        }
        nlohmann::json model_section = p["model"];
        if (resuming) {
            check_resumable((out / "checkpoint.safetensors").string());
            model_section["params"] = params_from_checkpoint((out / "checkpoint.safetensors").string());
        } else if (!checkpoint.empty()) {
            model_section["params"] = params_from_checkpoint(checkpoint);
        }
        model = create(model_section, data_info ? &*data_info : nullptr);
        if (p.contains("scheduler")) scheduler = create(p["scheduler"], nullptr);
        if (p.contains("sample") && p["sample"].contains("scheduler"))
            sample_scheduler = create(p["sample"]["scheduler"], nullptr);
        say("model: " + model->id() + " " + model->description().version + (scheduler ? ", scheduler: " + scheduler->id() : "") +
            "; " + std::to_string(services.num_threads) + " threads; run directory " + out.string());

        if (!checkpoint.empty() && !resuming) {
            const genhost_trainable* t = model->trainable();
            if (!t) throw Error("model.checkpoint: plugin '" + model->id() + "' has no parameters to load");
            train::ModelState state(t, model->raw(), model->id());
            train::load_model_weights(checkpoint, state, model->id(), /*prefer_ema=*/true);
            say("model: weights loaded from " + checkpoint);
        }
        // A denoiser trains on the pipeline scheduler's noise schedule.
        // A scheduler must read the model's output as what it is.
        if (model->denoiser()) {
            const std::string predicts = model->prediction_type();
            auto check = [&](const nlohmann::json& section, const std::string& path) {
                const auto& params = section["params"];
                if (params.contains("prediction_type") && params["prediction_type"] != predicts)
                    throw Error(pipeline.locate(path).str() + ": " + path + ".params.prediction_type is " +
                                params["prediction_type"].dump() + ", but the model predicts '" + predicts + "'; set " +
                                path + ".params.prediction_type: " + predicts);
            };
            if (p.contains("scheduler")) check(p["scheduler"], "scheduler");
            if (p.contains("sample") && p["sample"].contains("scheduler")) check(p["sample"]["scheduler"], "sample.scheduler");
            if (p.contains("sample"))
                for (size_t i = 0; i < p["sample"]["compare"].size(); ++i)
                    check(p["sample"]["compare"][i], "sample.compare[" + std::to_string(i) + "]");
        }
        const loader::PluginInstance* schedule_from = scheduler ? scheduler.get() : sample_scheduler.get();
        if (const genhost_denoiser* d = model->denoiser(); d && schedule_from) {
            const std::vector<float> alphas = schedule_from->alphas_cumprod();
            model->check(d->set_noise_schedule(model->raw(), alphas.data(), static_cast<uint32_t>(alphas.size())),
                         "set_noise_schedule");
        }
    }

    // Steps of a sampling run: sample.steps, else the scheduler's num_inference_steps, else
    // its whole training schedule.
    uint32_t sampling_steps(const nlohmann::json& scheduler_section, const loader::PluginInstance& sched) const {
        const nlohmann::json s = p.value("sample", nlohmann::json::object());
        if (s.contains("steps") && !s["steps"].is_null()) return s["steps"].get<uint32_t>();
        if (scheduler_section["params"].contains("num_inference_steps"))
            return scheduler_section["params"]["num_inference_steps"].get<uint32_t>();
        return static_cast<uint32_t>(sched.alphas_cumprod().size());
    }

    sample::SampleSpec sample_spec(const nlohmann::json& s) const {
        sample::SampleSpec spec;
        spec.count = s.value("count", int64_t{64});
        spec.batch_size = s.value("batch_size", int64_t{64});
        spec.seed = s.contains("seed") && !s["seed"].is_null() ? s["seed"].get<uint64_t>() : services.seed;
        spec.labels = s.value("labels", std::vector<int64_t>{});
        spec.guidance_scale = s.value("guidance_scale", 1.0f);
        spec.scheduler = sample_scheduler ? sample_scheduler.get() : scheduler.get();
        if (spec.scheduler)
            spec.steps = sampling_steps(sample_scheduler ? p["sample"]["scheduler"] : p["scheduler"], *spec.scheduler);
        spec.quiet = options.quiet;
        return spec;
    }

    image::ValueRange range() const {
        if (data_info) return {data_info->range_min, data_info->range_max};
        const auto& r = p["data"]["range"];
        return {r[0].get<float>(), r[1].get<float>()};
    }

    void save_grid(const fs::path& file, const sample::Images& images, const nlohmann::json& grid) const {
        image::save_grid(file.string(), images.data.data(), images.n, images.channels, images.height, images.width,
                         grid.value("columns", int64_t{8}), grid.value("padding", int64_t{2}), range());
    }

    void train() {
        data::DataLoader loader(dataset, data_options(p["data"], services.seed));
        train::TrainerConfig config;
        config.section = p["train"];
        config.where = pipeline.file().string();
        config.seed = services.seed;
        config.output = out;
        config.resume = options.resume;
        config.quiet = options.quiet;
        config.metadata = metadata();
        const bool can_sample = model->generator() || (model->denoiser() && scheduler);
        if (can_sample && config.section.value("sample_every", int64_t{0}) > 0) {
            fs::create_directories(out / "progress");
            config.on_sample = [this](int64_t step) {
                sample::SampleSpec spec = sample_spec(p.value("sample", nlohmann::json::object()));
                // sample.count 0 skips only the sample stage: progress grids still show 64.
                spec.count = spec.count > 0 ? std::min<int64_t>(spec.count, 64) : 64;
                spec.quiet = true;
                char name[32];
                std::snprintf(name, sizeof name, "step_%06lld.png", static_cast<long long>(step));
                save_grid(out / "progress" / name, sample::draw(*model, spec), p.value("sample", nlohmann::json::object()).value("grid", nlohmann::json::object()));
            };
        }
        train::Trainer trainer(*model, loader, config);
        train::TrainResult r = trainer.run();
        trainer.use_ema_weights();
        say("train: " + std::to_string(r.steps_this_run) + " steps in " + std::to_string(static_cast<int>(r.seconds)) +
            " s; log " + (out / "train_log.csv").string() + ", checkpoint " + (out / "checkpoint.safetensors").string());
    }

    void sample() {
        const nlohmann::json& s = p["sample"];
        sample::SampleSpec spec = sample_spec(s);
        const auto start = std::chrono::steady_clock::now();
        sample::Images images = sample::draw(*model, spec);
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        image::write_npy_f32((out / "samples.npy").string(), images.data.data(),
                             {images.n, images.channels, images.height, images.width});
        save_grid(out / "samples.png", images, s["grid"]);
        say("sample: " + std::to_string(images.n) + " images in " + std::to_string(seconds) + " s -> " +
            (out / "samples.png").string() + ", " + (out / "samples.npy").string());
        if (!s["compare"].empty()) compare(spec, seconds);
    }

    // The same noise through other schedulers: one grid each and a timing table.
    void compare(sample::SampleSpec spec, double main_seconds) {
        const nlohmann::json& s = p["sample"];
        auto& table = report["sample_compare"];
        if (spec.scheduler)
            table[spec.scheduler->id()] = {{"seconds", main_seconds}, {"steps", spec.steps}, {"grid", "samples.png"}};
        for (const auto& entry : s["compare"]) {
            auto sched = create(entry, nullptr);
            spec.scheduler = sched.get();
            spec.steps = sampling_steps(entry, *sched);
            const auto start = std::chrono::steady_clock::now();
            sample::Images images = sample::draw(*model, spec);
            const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            std::string name = sched->id().substr(sched->id().rfind('.') + 1);
            save_grid(out / ("samples_" + name + ".png"), images, s["grid"]);
            table[sched->id()] = {{"seconds", seconds}, {"steps", spec.steps}, {"grid", "samples_" + name + ".png"}};
            say("sample: " + name + ", " + std::to_string(spec.steps) + " steps, " + std::to_string(seconds) + " s -> " +
                (out / ("samples_" + name + ".png")).string());
        }
    }

    // The first `count` images of the test split (0 = all), every class, in the data range.
    sample::LabelledImages test_images(int64_t count) const {
        data::DataOptions o = data_options(p.at("data"), services.seed);
        o.split = "test";
        o.classes.clear();
        if (o.kind == "shapes") o.shapes.seed = services.seed + 1;  // unseen shapes
        data::Dataset ds = data::load_dataset(o);
        const int64_t n = count > 0 ? std::min(count, ds.n) : ds.n;
        sample::LabelledImages x;
        x.images = {n, ds.channels, ds.height, ds.width,
                    std::vector<float>(ds.images.begin(), ds.images.begin() + n * ds.image_size())};
        const image::ValueRange r = range();
        for (float& v : x.images.data) v = r.lo + (r.hi - r.lo) * v;
        if (ds.labelled()) x.labels.assign(ds.labels.begin(), ds.labels.begin() + n);
        return x;
    }

    void reconstruct() {
        const nlohmann::json& s = p["reconstruct"];
        const int64_t columns = s["columns"].get<int64_t>();
        sample::Images grid = sample::reconstructions(*model, test_images(s["count"].get<int64_t>()), columns);
        save_grid(out / "reconstructions.png", grid, {{"columns", columns}, {"padding", 2}});
        say("reconstruct: test images (odd rows) and their reconstructions (even rows) -> " +
            (out / "reconstructions.png").string());
    }

    void interpolate() {
        const nlohmann::json& s = p["interpolate"];
        const int64_t pairs = s["pairs"].get<int64_t>(), steps = s["steps"].get<int64_t>();
        sample::Images grid = sample::interpolations(*model, test_images(2 * pairs), pairs, steps,
                                                     s["method"].get<std::string>(), services.seed);
        save_grid(out / "interpolation.png", grid, {{"columns", steps}, {"padding", 2}});
        say("interpolate: " + std::to_string(pairs) + " walks of " + std::to_string(steps) + " steps (" +
            s["method"].get<std::string>() + ") -> " + (out / "interpolation.png").string());
    }

    // 1 where a pixel is known, 0 where it is to be filled.
    static std::vector<float> inpaint_mask(const std::string& kind, int64_t n, int64_t c, int64_t h, int64_t w,
                                           uint64_t seed) {
        std::vector<float> m(static_cast<size_t>(n * c * h * w), 1.0f);
        data::Rng rng(seed);
        for (int64_t i = 0; i < n; ++i) {
            std::vector<float> plane(static_cast<size_t>(h * w), 1.0f);
            for (int64_t y = 0; y < h; ++y)
                for (int64_t x = 0; x < w; ++x) {
                    bool fill = kind == "center" ? (y >= h / 4 && y < h - h / 4 && x >= w / 4 && x < w - w / 4)
                              : kind == "left"   ? x < w / 2
                              : kind == "bottom" ? y >= h / 2
                                                 : false;
                    if (fill) plane[static_cast<size_t>(y * w + x)] = 0.0f;
                }
            if (kind == "random")
                for (int64_t by = 0; by < h; by += 4)
                    for (int64_t bx = 0; bx < w; bx += 4)
                        if (rng.uniform() < 0.5f)
                            for (int64_t y = by; y < std::min(h, by + 4); ++y)
                                for (int64_t x = bx; x < std::min(w, bx + 4); ++x) plane[static_cast<size_t>(y * w + x)] = 0;
            for (int64_t ch = 0; ch < c; ++ch)
                std::copy(plane.begin(), plane.end(), m.begin() + (i * c + ch) * h * w);
        }
        return m;
    }

    void inpaint() {
        const nlohmann::json& s = p["inpaint"];
        if (!model->denoiser()) throw Error("inpaint: plugin '" + model->id() + "' is not a diffusion denoiser");
        sample::SampleSpec spec = sample_spec(p.value("sample", nlohmann::json::object()));
        if (!spec.scheduler) throw Error("inpaint: needs a scheduler: section");
        if (const float sigma = spec.scheduler->init_noise_sigma(); sigma != 1.0f)
            throw Error("inpaint: scheduler '" + spec.scheduler->id() + "' samples in sigma space (init_noise_sigma " +
                        std::to_string(sigma) + "); inpainting needs ddpm or ddim (set sample.scheduler)");
        sample::LabelledImages x = test_images(s["count"].get<int64_t>());
        const sample::Images& im = x.images;
        sample::InpaintGuide guide;
        guide.known = im.data.data();
        std::vector<float> mask = inpaint_mask(s["mask"].get<std::string>(), im.n, im.channels, im.height, im.width,
                                               services.seed);
        guide.mask = mask.data();
        guide.resample = s["resample"].get<int64_t>();
        guide.alphas_cumprod = spec.scheduler->alphas_cumprod();
        spec.count = im.n;
        spec.labels = x.labels;
        spec.inpaint = &guide;
        sample::Images result = sample::draw(*model, spec);

        // Rows of `columns`: the masked input (unknown pixels mid-gray), the result, the original.
        const int64_t columns = s["columns"].get<int64_t>(), per = im.channels * im.height * im.width;
        const image::ValueRange r = range();
        sample::Images grid{0, im.channels, im.height, im.width, {}};
        for (int64_t first = 0; first < im.n; first += columns) {
            const int64_t n = std::min(columns, im.n - first);
            for (int64_t k = first * per; k < (first + n) * per; ++k)
                grid.data.push_back(mask[k] > 0 ? im.data[k] : 0.5f * (r.lo + r.hi));
            grid.data.insert(grid.data.end(), result.data.begin() + first * per, result.data.begin() + (first + n) * per);
            grid.data.insert(grid.data.end(), im.data.begin() + first * per, im.data.begin() + (first + n) * per);
            grid.n += 3 * n;
        }
        save_grid(out / "inpainting.png", grid, {{"columns", columns}, {"padding", 2}});
        say("inpaint: rows of masked input, result and original -> " + (out / "inpainting.png").string());
    }

    // ELBO and importance-weighted bound on the test split; with data.classes, anomaly
    // detection of the classes not trained on.
    void likelihood_report(nlohmann::json& report) {
        const nlohmann::json& e = p["evaluate"];
        if (!model->likelihood()) return;
        const int64_t count = e["likelihood"]["count"].get<int64_t>();
        const auto k = e["likelihood"]["iw_samples"].get<uint32_t>();
        sample::LabelledImages x = test_images(count);
        const int64_t dims = x.images.channels * x.images.height * x.images.width;
        auto elbo = evaluate::log_likelihoods(*model, x, 1, services.seed, 256);
        auto iw = k > 1 ? evaluate::log_likelihoods(*model, x, k, services.seed + 1, 64) : elbo;
        auto mean = [](const std::vector<double>& v) { return std::accumulate(v.begin(), v.end(), 0.0) / v.size(); };
        report["likelihood"] = {{"images", x.images.n},
                                {"split", "test"},
                                {"elbo_nats", mean(elbo)},
                                {"elbo_bits_per_dim", evaluate::bits_per_dim(mean(elbo), dims)},
                                {"iw_samples", k},
                                {"iw_bound_nats", mean(iw)},
                                {"iw_bound_bits_per_dim", evaluate::bits_per_dim(mean(iw), dims)}};
        say("evaluate: test ELBO " + std::to_string(mean(elbo)) + " nats (" +
            std::to_string(evaluate::bits_per_dim(mean(elbo), dims)) + " bits/dim), IW bound (K=" + std::to_string(k) +
            ") " + std::to_string(mean(iw)) + " nats");

        const auto trained = p["data"]["classes"].get<std::vector<int64_t>>();
        if (!e["anomaly"].get<bool>() || trained.empty() || x.labels.empty()) return;
        std::vector<double> scores;
        std::vector<bool> anomalous;
        std::ofstream csv(out / "anomaly_scores.csv");
        csv << "index,label,anomalous,score\n";
        for (size_t i = 0; i < iw.size(); ++i) {
            const bool held_out = std::find(trained.begin(), trained.end(), x.labels[i]) == trained.end();
            scores.push_back(-iw[i]);
            anomalous.push_back(held_out);
            csv << i << "," << x.labels[i] << "," << (held_out ? 1 : 0) << "," << -iw[i] << "\n";
        }
        const double auc = evaluate::auroc(scores, anomalous);
        report["anomaly"] = {{"trained_classes", trained}, {"score", "negative log-likelihood bound (nats)"},
                             {"auroc", auc}, {"scores", (out / "anomaly_scores.csv").string()}};
        say("evaluate: anomaly AUROC (held-out classes vs trained " + nlohmann::json(trained).dump() + ") = " +
            std::to_string(auc) + "; scores in " + (out / "anomaly_scores.csv").string());
    }

    void evaluate() {
        const nlohmann::json& e = p["evaluate"];
        likelihood_report(report);
        const int64_t count = e["count"].get<int64_t>();
        sample::SampleSpec spec = sample_spec(p.value("sample", nlohmann::json::object()));
        spec.count = count;
        sample::Images generated;
        if (!e["metrics"].empty()) generated = sample::draw(*model, spec);
        const image::ValueRange r = range();
        auto to_unit = [&](std::vector<float> v) {  // metrics see [0, 1]
            for (float& x : v) x = std::clamp((x - r.lo) / (r.hi - r.lo), 0.0f, 1.0f);
            return v;
        };
        for (const auto& m : e["metrics"]) {
            auto metric = create(m, data_info ? &*data_info : nullptr);
            const genhost_metric* api = metric->metric();
            if (!api) throw Error("evaluate.metrics: plugin '" + metric->id() + "' is not a metric");
            metric->check(api->reset(metric->raw()), "reset");
            const int64_t n_real = std::min<int64_t>(count, dataset->n);
            std::vector<float> real(dataset->images.begin(), dataset->images.begin() + n_real * dataset->image_size());
            std::vector<int64_t> real_shape = {n_real, dataset->channels, dataset->height, dataset->width};
            DLTensor treal = make_dltensor(real.data(), real_shape);
            metric->check(api->update(metric->raw(), GENHOST_METRIC_REAL, &treal), "update");
            std::vector<float> gen = to_unit(generated.data);
            std::vector<int64_t> gen_shape = {generated.n, generated.channels, generated.height, generated.width};
            DLTensor tgen = make_dltensor(gen.data(), gen_shape);
            metric->check(api->update(metric->raw(), GENHOST_METRIC_GENERATED, &tgen), "update");
            std::vector<double> values(api->value_count(metric->raw()));
            metric->check(api->compute(metric->raw(), values.data()), "compute");
            for (uint32_t i = 0; i < values.size(); ++i) {
                const char* name = api->value_name(metric->raw(), i);
                if (!name) throw Error("plugin '" + metric->id() + "': value_name(" + std::to_string(i) + ") returned NULL");
                report["metrics"][metric->id()][name] = values[i];
            }
        }
        say("evaluate: done");
    }
};

}  // namespace

std::vector<std::string> stages(const nlohmann::json& p) {
    std::vector<std::string> out;
    for (const char* s : {"train", "sample", "reconstruct", "interpolate", "inpaint", "evaluate"}) {
        if (!p.contains(s)) continue;
        const char* size = std::string(s) == "train" ? "steps" : std::string(s) == "sample" ? "count" : nullptr;
        if (size && p[s].contains(size) && p[s][size].is_number_integer() && p[s][size] == 0) continue;
        out.push_back(s);
    }
    return out;
}

void run_pipeline(const pipeline::Pipeline& pipeline, const loader::PluginRegistry& registry,
                  const RunOptions& options) {
    Run run(pipeline, registry, options);
    std::error_code ec;
    fs::create_directories(run.out, ec);
    if (ec) throw Error(run.out.string() + ": cannot create the run directory: " + ec.message());
    write_text(run.out / "pipeline.resolved.yaml", pipeline.to_yaml());
    run.create_plugins();
    for (const std::string& stage : stages(pipeline.json())) {
        if (stage == "train") run.train();
        else if (stage == "sample") run.sample();
        else if (stage == "reconstruct") run.reconstruct();
        else if (stage == "interpolate") run.interpolate();
        else if (stage == "inpaint") run.inpaint();
        else if (stage == "evaluate") run.evaluate();
    }
    if (!run.report.empty()) write_text(run.out / "metrics.json", run.report.dump(2) + "\n");
    run.say("done: outputs in " + run.out.string());
}

}  // namespace genhost::run
