#include "run/context.hpp"

#include <iostream>
#include <thread>

#include "data/load.hpp"
#include "dist/world.hpp"
#include "run/data_options.hpp"
#include "run/judge.hpp"
#include "run/resume.hpp"
#include "run/stages/stage.hpp"
#include "run/two_stage.hpp"
#include "sample/codes.hpp"
#include "train/model_state.hpp"
#include "train/run_checkpoint.hpp"
#include "util/error.hpp"

namespace genhost::run {

namespace fs = std::filesystem;

namespace {

// threads: 0 means this process's share of the machine's cores (all of them, unless
// mpirun started several processes here).
uint32_t thread_count(const nlohmann::json& pipeline) {
    uint32_t n = pipeline.at("threads").get<uint32_t>();
    if (n == 0) n = std::max(1u, std::thread::hardware_concurrency() / static_cast<uint32_t>(dist::world().local));
    return n;
}

}  // namespace

RunContext::RunContext(const pipeline::Pipeline& pl, const loader::PluginRegistry& r, RunOptions o)
    : pipeline(pl), registry(r), options(o), p(pl.json()), out(pl.output_dir()) {
    services.seed = p.at("seed").get<uint64_t>();
    services.num_threads = thread_count(p);
}

void RunContext::say(const std::string& line) const {
    // Under mpirun with --all-ranks, the other ranks' lines name their rank.
    if (!options.quiet) std::cout << (dist::world().root() ? "" : dist::rank_prefix()) << line << std::endl;
}

std::string RunContext::at(const std::string& key) const {
    return pipeline.locate(key).str() + ": " + key;
}

std::unique_ptr<loader::PluginInstance> RunContext::create(const nlohmann::json& section,
                                                           const genhost_data_info* info) const {
    return loader::PluginInstance::create(registry.find(section.at("plugin").get<std::string>()), section.at("params"),
                                          info, services);
}

bool RunContext::resuming() const { return options.resume && fs::exists(out / "checkpoint.safetensors"); }

std::map<std::string, std::string> RunContext::checkpoint_metadata() const {
    const auto& d = *model->description().descriptor;
    std::map<std::string, std::string> m = {{"genhost.version", GENHOST_HOST_VERSION},
                                            {"plugin.id", model->id()},
                                            {"plugin.version", d.version},
                                            {"plugin.params", model_params.dump()},  // a source checkpoint's included
                                            {"data", data_info ? data_info_json(*data_info).dump() : "null"},
                                            {"pipeline", pipeline.to_yaml()}};
    // The components this run's weights were trained or judged with: --resume refuses others.
    nlohmann::json used = nlohmann::json::object();
    for (const auto& [name, c] : components) used[name] = c.identity();
    if (!used.empty()) m["components"] = used.dump();
    if (latent_scale != 0.0f) m["latent_scale"] = nlohmann::json(latent_scale).dump();
    return m;
}

// A domain's dataset: the data loaders name keys as data.*, so a domain's problem is told
// at the domain, whose keys are those of data laid over data's own (docs/data.md).
data::Dataset RunContext::load_domain(const data::DataOptions& o, const std::string& domain) const {
    try {
        return data::load_dataset(o);
    } catch (const Error& e) {
        throw Error(at("data.domains." + domain) + ": domain " + domain + " (data's keys, its own over data's): " + e.what());
    }
}

void RunContext::load_data() {
    data::DataOptions o = data_options(p.at("data"), services.seed);
    dataset = std::make_shared<const data::Dataset>(has_domains(p["data"]) ? load_domain(o, "a") : data::load_dataset(o));
    const auto& r = p["data"]["range"];
    data_info = genhost_data_info{sizeof(genhost_data_info), dataset->channels, dataset->height, dataset->width,
                                  dataset->num_classes, r[0].get<float>(), r[1].get<float>(), 1};
    if (has_domains(p["data"])) {
        if (!p["data"]["encode_with"].is_null())
            throw Error(at("data.encode_with") + ": two data domains (data.domains) are not encoded by a component; "
                        "remove one or the other");
        const data::DataOptions ob = data_options(p["data"], services.seed, "b");
        dataset_b = std::make_shared<const data::Dataset>(load_domain(ob, "b"));
        check_domains(*dataset, *dataset_b, p["data"], [this](const std::string& key) { return at(key); });
        data_info->domains = 2;
        say("data, domain a: " + data::describe(*dataset, o));
        say("data, domain b: " + data::describe(*dataset_b, ob));
        return;
    }
    say("data: " + data::describe(*dataset, o));
    // The model sees the component's code maps; the images are encoded by encode_data().
    if (!p["data"]["encode_with"].is_null()) data_info = encoded_data_info(*this, *dataset);
}

void RunContext::encode_data() {
    if (p["data"]["encode_with"].is_null() || !dataset) return;
    const Component& c = coding_component(*this, "data.encode_with");
    dataset = std::make_shared<const data::Dataset>(encode_dataset(c, *dataset, range(), &latent_scale, options.quiet));
}

const Component* RunContext::decoder() const {
    if (!p.contains("sample") || p["sample"]["decode_with"].is_null()) return nullptr;
    return &coding_component(*this, "sample.decode_with");
}

sample::Images RunContext::draw(const sample::SampleSpec& spec) const {
    sample::Images images = sample::draw(*model, spec);
    if (const Component* c = decoder()) {
        if (!encodes_codes(*c) && latent_scale == 0.0f)
            throw Error(at("sample.decode_with") + ": the latent scale factor is unknown: the model was neither "
                        "trained in this run nor loaded from a checkpoint that records it (latent_scale)");
        return decode_samples(*c, images, range(), latent_scale);
    }
    return images;
}

image::ValueRange RunContext::image_range() const {
    if (const Component* c = decoder()) return {c->data_info.range_min, c->data_info.range_max};
    return range();
}

void RunContext::create_model() {
    const std::string checkpoint = p["model"]["checkpoint"].is_null() ? "" : p["model"]["checkpoint"].get<std::string>();
    if (!checkpoint.empty() && !fs::is_regular_file(checkpoint))
        throw Error(at("model.checkpoint") + ": " + checkpoint + " does not exist" +
                    (fs::exists(checkpoint) ? " as a file" : "") +
                    "; train the model first (the pipeline that writes it) or correct the path");
    bool needs_data = false;
    for (const Stage& s : all_stages())
        if (s.active(p) && s.needs_data) needs_data = true;
    if (!needs_data && (!checkpoint.empty() || resuming())) {
        // A sampling-only run takes the data's shape from the checkpoint it samples.
        data_info = checkpoint_data_info(resuming() ? (out / "checkpoint.safetensors").string() : checkpoint);
    }
    if (needs_data || !data_info) load_data();
    nlohmann::json model_section = p["model"];
    if (resuming()) {
        model_section["params"] =
            params_from_checkpoint(p["model"], "model", (out / "checkpoint.safetensors").string(), pipeline, registry);
    } else if (!checkpoint.empty()) {
        model_section["params"] = params_from_checkpoint(p["model"], "model", checkpoint, pipeline, registry);
    }
    model_params = model_section["params"];
    model = create(model_section, data_info ? &*data_info : nullptr);
    if (p.contains("scheduler")) scheduler = create(p["scheduler"], nullptr);
    if (p.contains("sample") && p["sample"].contains("scheduler"))
        sample_scheduler = create(p["sample"]["scheduler"], nullptr);
    if (p.contains("evaluate") && p["evaluate"].contains("scheduler"))
        evaluate_scheduler = create(p["evaluate"]["scheduler"], nullptr);
    say("model: " + model->id() + " " + model->description().version + (scheduler ? ", scheduler: " + scheduler->id() : "") +
        "; " + std::to_string(services.num_threads) + " threads" +
        (dist::world().parallel() ? " in each of " + std::to_string(dist::world().size) + " processes" : "") +
        "; run directory " + out.string());
    const unsigned cores = std::thread::hardware_concurrency();
    if (dist::world().parallel() && cores > 0 && services.num_threads * static_cast<unsigned>(dist::world().local) > cores)
        say("note: " + std::to_string(dist::world().local) + " processes x " + std::to_string(services.num_threads) +
            " threads on " + std::to_string(cores) + " cores: the machine is oversubscribed and every process waits "
            "for the slowest; set threads: 0 (each process's share) or --threads " +
            std::to_string(std::max(1u, cores / static_cast<unsigned>(dist::world().local))));

    // A model trained on latents decodes with the factor they were scaled by.
    if (const std::string from = resuming() ? (out / "checkpoint.safetensors").string() : checkpoint; !from.empty()) {
        auto meta = train::read_checkpoint_metadata(from);
        if (auto it = meta.find("latent_scale"); it != meta.end()) latent_scale = nlohmann::json::parse(it->second).get<float>();
    }
    if (!checkpoint.empty() && !resuming()) {
        const genhost_trainable* t = model->trainable();
        if (!t) throw Error(at("model.checkpoint") + ": plugin '" + model->id() + "' has no parameters to load");
        train::ModelState state(t, model->raw(), model->id());
        train::load_model_weights(checkpoint, state, model->id(), /*prefer_ema=*/true);
        say("model: weights loaded from " + checkpoint);
    }
}

// A denoiser trains on the pipeline scheduler's noise schedule, and every scheduler must
// read the model's output as what it is.
void RunContext::set_noise_schedule() {
    if (!model->denoiser()) return;
    const std::string predicts = model->prediction_type();
    auto check = [&](const nlohmann::json& section, const std::string& path) {
        const auto& params = section["params"];
        if (params.contains("prediction_type") && params["prediction_type"] != predicts)
            throw Error(at(path) + ".params.prediction_type is " + params["prediction_type"].dump() +
                        ", but the model predicts '" + predicts + "'; set " + path + ".params.prediction_type: " + predicts);
    };
    if (p.contains("scheduler")) check(p["scheduler"], "scheduler");
    if (p.contains("sample") && p["sample"].contains("scheduler")) check(p["sample"]["scheduler"], "sample.scheduler");
    if (p.contains("evaluate") && p["evaluate"].contains("scheduler")) check(p["evaluate"]["scheduler"], "evaluate.scheduler");
    if (p.contains("sample"))
        for (size_t i = 0; i < p["sample"]["compare"].size(); ++i)
            check(p["sample"]["compare"][i], "sample.compare[" + std::to_string(i) + "]");
    const loader::PluginInstance* schedule_from = scheduler ? scheduler.get() : sample_scheduler.get();
    if (schedule_from) {
        const std::vector<float> alphas = schedule_from->alphas_cumprod();
        model->check(model->denoiser()->set_noise_schedule(model->raw(), alphas.data(), static_cast<uint32_t>(alphas.size())),
                     "set_noise_schedule");
    }
}

void RunContext::prepare() {
    // Components first: data.encode_with decides the shape of the data the model sees.
    for (auto it = p["components"].begin(); it != p["components"].end(); ++it) {
        components.emplace(it.key(), load_component(it.key(), it.value(), "components." + it.key(), &pipeline, registry,
                                                    services));
        say("component " + it.key() + ": " + components.at(it.key()).instance->id() + " from " +
            components.at(it.key()).checkpoint);
    }
    if (!p["data"]["encode_with"].is_null()) coding_component(*this, "data.encode_with");
    create_model();
    if (resuming()) check_resumable(*this, (out / "checkpoint.safetensors").string());
    set_noise_schedule();
    // Everything the stages would refuse, before any of them starts.
    Problems problems;
    check_two_stage(*this, problems);
    for (const Stage& s : all_stages())
        if (s.active(p) && s.check) s.check(*this, problems);
    problems.raise(pipeline.file().string());
}

bool RunContext::can_sample() const {
    return model->generator() || model->autoregressive() || (model->denoiser() && (scheduler || sample_scheduler));
}

uint32_t RunContext::sampling_steps(const nlohmann::json& scheduler_section, const loader::PluginInstance& sched) const {
    const nlohmann::json s = p.value("sample", nlohmann::json::object());
    if (s.contains("steps") && !s["steps"].is_null()) return s["steps"].get<uint32_t>();
    if (scheduler_section["params"].contains("num_inference_steps"))
        return scheduler_section["params"]["num_inference_steps"].get<uint32_t>();
    return static_cast<uint32_t>(sched.alphas_cumprod().size());
}

sample::SampleSpec RunContext::sample_spec() const {
    const nlohmann::json s = p.value("sample", nlohmann::json::object());
    sample::SampleSpec spec;
    spec.count = s.value("count", int64_t{64});
    spec.batch_size = s.value("batch_size", int64_t{64});
    spec.seed = s.contains("seed") && !s["seed"].is_null() ? s["seed"].get<uint64_t>() : services.seed;
    spec.labels = s.value("labels", std::vector<int64_t>{});
    spec.guidance_scale = s.value("guidance_scale", 1.0f);
    spec.temperature = s.value("temperature", 1.0f);
    const image::ValueRange r = range();
    spec.range_lo = r.lo, spec.range_hi = r.hi;
    spec.scheduler = sample_scheduler ? sample_scheduler.get() : scheduler.get();
    if (spec.scheduler)
        spec.steps = sampling_steps(sample_scheduler ? p["sample"]["scheduler"] : p["scheduler"], *spec.scheduler);
    spec.quiet = options.quiet;
    return spec;
}

sample::SampleSpec RunContext::evaluate_spec(int64_t count) const {
    sample::SampleSpec spec = sample_spec();
    spec.count = count;
    spec.quiet = true;
    if (evaluate_scheduler) {
        spec.scheduler = evaluate_scheduler.get();
        const auto& params = p["evaluate"]["scheduler"]["params"];
        spec.steps = params.contains("num_inference_steps") ? params["num_inference_steps"].get<uint32_t>()
                                                            : static_cast<uint32_t>(evaluate_scheduler->alphas_cumprod().size());
    }
    return spec;
}

image::ValueRange RunContext::range() const {
    if (data_info) return {data_info->range_min, data_info->range_max};
    const auto& r = p["data"]["range"];
    return {r[0].get<float>(), r[1].get<float>()};
}

int64_t RunContext::grid_scale() const {
    if (p.contains("sample") && p["sample"].contains("grid")) return p["sample"]["grid"].value("scale", int64_t{0});
    return 0;
}

void RunContext::save_grid(const fs::path& file, const sample::Images& images, const nlohmann::json& grid,
                           std::optional<image::ValueRange> r) const {
    image::save_grid(file.string(), images.data.data(), images.n, images.channels, images.height, images.width,
                     grid.value("columns", int64_t{8}), grid.value("padding", int64_t{2}), r ? *r : range(), 0.f,
                     grid.value("scale", grid_scale()));
}

namespace {

sample::LabelledImages first_images(const sample::LabelledImages& split, int64_t count) {
    const sample::Images& all = split.images;
    const int64_t n = count > 0 ? std::min(count, all.n) : all.n, per = all.channels * all.height * all.width;
    sample::LabelledImages x;
    x.images = {n, all.channels, all.height, all.width, std::vector<float>(all.data.begin(), all.data.begin() + n * per)};
    if (!split.labels.empty()) x.labels = sample::slice_labels(split.labels, 0, n);
    return x;
}

}  // namespace

sample::LabelledImages RunContext::real_images(int64_t count) const {
    if (p["data"]["encode_with"].is_null() && !decoder()) return test_images(count);
    sample::LabelledImages x = run::test_images(p.at("data"), services.seed, count, image_range());
    return x;
}

sample::LabelledImages RunContext::test_images(int64_t count) const {
    if (!p["data"]["encode_with"].is_null()) {
        if (!encoded_test_split_) {
            const Component& c = coding_component(*this, "data.encode_with");
            sample::LabelledImages pixels = run::test_images(p.at("data"), services.seed, 0,
                                                             {c.data_info.range_min, c.data_info.range_max});
            const image::ValueRange r = range();
            encoded_test_split_ =
                sample::LabelledImages{encode_images(c, pixels.images, r, latent_scale), pixels.labels};
        }
        return first_images(*encoded_test_split_, count);
    }
    if (!test_split_) test_split_ = run::test_images(p.at("data"), services.seed, 0, range());
    return first_images(*test_split_, count);
}

}  // namespace genhost::run

namespace genhost::run {

std::string RunContext::judge_problem() const {
    const nlohmann::json& features = p["evaluate"]["features"];
    if (!features.is_null()) {
        const std::string name = features.get<std::string>();
        auto it = components.find(name);
        if (it == components.end()) {
            std::string known;
            for (const auto& [n, c] : components) known += (known.empty() ? "" : ", ") + n;
            return at("evaluate.features") + ": no component named '" + name + "' (components: " +
                   (known.empty() ? "none" : known) + ")";
        }
        if (!it->second.instance->embedder())
            return at("evaluate.features") + ": component '" + name + "' (plugin '" + it->second.instance->id() +
                   "') has no genhost.embedder/1 to compute features with";
        return "";
    }
    const std::string why = judge_unavailable(p["data"], registry);
    return why.empty() ? "" : at("evaluate.metrics") + ": needs a feature network: " + why;
}

const Component& RunContext::judge() {
    const nlohmann::json& features = p["evaluate"]["features"];
    if (!features.is_null()) return components.at(features.get<std::string>());
    if (!default_judge_) {
        JudgeRequest r;
        r.data = p["data"];
        r.train_steps = p["evaluate"]["judge_steps"].get<int64_t>();
        r.seed = 0;
        r.threads = p["threads"].get<uint32_t>();
        r.quiet = options.quiet;
        default_judge_ = default_judge(r, registry, services);
        say("judge: " + default_judge_->checkpoint + " (sha256 " + default_judge_->sha256.substr(0, 12) + "...)");
    }
    return *default_judge_;
}

std::vector<std::unique_ptr<loader::PluginInstance>> RunContext::metrics() const {
    std::vector<std::unique_ptr<loader::PluginInstance>> out;
    for (const auto& m : p["evaluate"]["metrics"]) {
        out.push_back(create(m, data_info ? &*data_info : nullptr));
        if (!out.back()->metric()) throw Error("evaluate.metrics: plugin '" + out.back()->id() + "' is not a metric");
    }
    return out;
}

}  // namespace genhost::run
