#include "run/quality.hpp"

#include <genhost/cpp/tensor_view.hpp>

#include <algorithm>
#include <cmath>
#include <set>
#include <sstream>

#include "util/error.hpp"

namespace genhost::run {

namespace {

constexpr int64_t kBatch = 256;

// Copies `images` from `from` into the range `to` (the judge's, or [0, 1] for pixel metrics).
std::vector<float> rescale(const std::vector<float>& images, image::ValueRange from, image::ValueRange to) {
    std::vector<float> out(images.size());
    const float scale = (to.hi - to.lo) / (from.hi - from.lo);
    for (size_t i = 0; i < images.size(); ++i)
        out[i] = to.lo + (std::clamp(images[i], from.lo, from.hi) - from.lo) * scale;
    return out;
}

}  // namespace

void label_accuracy(const Features& generated, const std::vector<int64_t>& labels, nlohmann::json& out) {
    const int64_t k = generated.classes;
    std::vector<int64_t> hits(size_t(k), 0), asked(size_t(k), 0);
    for (int64_t i = 0; i < generated.n; ++i) {
        const float* p = generated.probabilities.data() + i * k;
        const int64_t want = labels[size_t(i)];
        if (want < 0 || want >= k) return;  // labels of another class set than the judge's: nothing to check
        ++asked[size_t(want)];
        hits[size_t(want)] += (std::max_element(p, p + k) - p) == want;
    }
    nlohmann::json per_class = nlohmann::json::array();
    int64_t total = 0;
    for (int64_t c = 0; c < k; ++c) {
        total += hits[size_t(c)];
        per_class.push_back(asked[size_t(c)] ? nlohmann::json(double(hits[size_t(c)]) / double(asked[size_t(c)]))
                                             : nlohmann::json(nullptr));
    }
    out["label_accuracy"] = double(total) / double(generated.n);
    out["label_accuracy_per_class"] = per_class;
}

Features embed(const Component& judge, const sample::Images& images, image::ValueRange range, const std::string& what) {
    const genhost_data_info& d = judge.data_info;
    if (images.channels != d.channels || images.height != d.height || images.width != d.width)
        throw Error(what + " are " + std::to_string(images.channels) + "x" + std::to_string(images.height) + "x" +
                    std::to_string(images.width) + ", but the judge (" + judge.checkpoint + ") was trained on " +
                    std::to_string(d.channels) + "x" + std::to_string(d.height) + "x" + std::to_string(d.width) +
                    " images; score images of the dataset's shape, or name a judge trained on yours");
    if (images.n < 2) throw Error(what + ": " + std::to_string(images.n) + " image(s); the metrics need at least 2");
    for (size_t i = 0; i < images.data.size(); ++i)
        if (!std::isfinite(images.data[i]))
            throw Error(what + ": image " + std::to_string(i / size_t(images.channels * images.height * images.width)) +
                        " holds a NaN or infinite value; the model that made it diverged (look at its train_log.csv)");
    const loader::PluginInstance& net = *judge.instance;
    Features f;
    f.n = images.n, f.dim = net.feature_dim(), f.classes = net.embedding_classes();
    f.features.resize(size_t(f.n * f.dim));
    f.probabilities.resize(size_t(f.n * f.classes));
    const std::vector<float> x = rescale(images.data, range, {d.range_min, d.range_max});
    const int64_t per = images.channels * images.height * images.width;
    for (int64_t first = 0; first < f.n; first += kBatch) {
        const int64_t n = std::min(kBatch, f.n - first);
        std::vector<int64_t> xs = {n, images.channels, images.height, images.width}, fs = {n, f.dim}, ps = {n, f.classes};
        DLTensor tx = make_dltensor(const_cast<float*>(x.data()) + first * per, xs);
        DLTensor tf = make_dltensor(f.features.data() + first * f.dim, fs);
        DLTensor tp = make_dltensor(f.probabilities.data() + first * f.classes, ps);
        net.check(net.embedder()->embed(net.raw(), &tx, &tf, f.classes > 0 ? &tp : nullptr), "embed");
    }
    for (float v : f.features)
        if (!std::isfinite(v)) throw Error("plugin '" + net.id() + "': embed returned a NaN or infinite feature");
    return f;
}

bool needs_features(const std::vector<std::unique_ptr<loader::PluginInstance>>& metrics) {
    return std::any_of(metrics.begin(), metrics.end(),
                       [](const auto& m) { return loader::PluginInstance::update_features(m->metric()) != nullptr; });
}

Scorer::Scorer(const Component* judge, std::vector<std::unique_ptr<loader::PluginInstance>> metrics)
    : judge_(judge), metrics_(std::move(metrics)) {
    metric_value_names(metrics_);
    if (!judge_ && needs_features(metrics_)) throw Error("the metrics need a feature network, and none was given");
}

std::vector<std::string> metric_value_names(const std::vector<std::unique_ptr<loader::PluginInstance>>& metrics) {
    std::vector<std::string> names;
    std::set<std::string> seen;
    for (const auto& m : metrics) {
        const genhost_metric* api = m->metric();
        for (uint32_t i = 0, n = api->value_count(m->raw()); i < n; ++i) {
            const char* name = api->value_name(m->raw(), i);
            if (!name) throw Error("plugin '" + m->id() + "': value_name(" + std::to_string(i) + ") returned NULL");
            if (!seen.insert(name).second)
                throw Error("two metrics report a value named '" + std::string(name) + "' (the second is plugin '" +
                            m->id() + "'); list each metric once in evaluate.metrics");
            names.push_back(name);
        }
    }
    return names;
}

void Scorer::set_real(const sample::Images& real, image::ValueRange range) {
    if (judge_) real_ = embed(*judge_, real, range, "the real images");
    real_.n = real.n;
    real_pixels_ = real;
    real_pixels_.data = rescale(real.data, range, {0, 1});
}

nlohmann::json Scorer::score(const sample::Images& generated, image::ValueRange range, const std::string& what,
                             const std::vector<int64_t>& labels) {
    Features gen;
    if (judge_) gen = embed(*judge_, generated, range, what);
    gen.n = generated.n;
    sample::Images gen_pixels = generated;
    gen_pixels.data = rescale(generated.data, range, {0, 1});
    nlohmann::json out = nlohmann::json::object();
    for (const auto& m : metrics_) {
        const genhost_metric* api = m->metric();
        m->check(api->reset(m->raw()), "reset");
        auto feed = [&](uint32_t set, const Features& f, const sample::Images& pixels) {
            if (auto update_features = loader::PluginInstance::update_features(api)) {
                std::vector<int64_t> fs = {f.n, f.dim}, ps = {f.n, f.classes};
                DLTensor tf = make_dltensor(const_cast<float*>(f.features.data()), fs);
                DLTensor tp = make_dltensor(const_cast<float*>(f.probabilities.data()), ps);
                m->check(update_features(m->raw(), set, &tf, f.classes > 0 ? &tp : nullptr), "update_features");
            } else {
                std::vector<int64_t> xs = {pixels.n, pixels.channels, pixels.height, pixels.width};
                DLTensor tx = make_dltensor(const_cast<float*>(pixels.data.data()), xs);
                m->check(api->update(m->raw(), set, &tx), "update");
            }
        };
        feed(GENHOST_METRIC_REAL, real_, real_pixels_);
        feed(GENHOST_METRIC_GENERATED, gen, gen_pixels);
        const uint32_t count = api->value_count(m->raw());
        std::vector<double> values(count, std::nan(""));
        m->check(api->compute(m->raw(), values.data()), "compute");
        for (uint32_t i = 0; i < count; ++i) {
            if (!std::isfinite(values[i]))
                throw Error("plugin '" + m->id() + "': compute left value '" + api->value_name(m->raw(), i) +
                            "' unwritten or not finite");
            out[api->value_name(m->raw(), i)] = values[i];
        }
    }
    if (!labels.empty() && gen.classes > 0) label_accuracy(gen, labels, out);
    out["images"] = {{"real", real_.n}, {"generated", gen.n}};
    if (judge_) out["judge"] = judge_->identity();
    return out;
}

std::string describe_scores(const nlohmann::json& scores) {
    std::ostringstream s;
    bool first = true;
    for (auto it = scores.begin(); it != scores.end(); ++it) {
        if (!it.value().is_number()) continue;
        const std::string& k = it.key();
        if (k.size() > 4 && k.compare(k.size() - 4, 4, "_std") == 0) continue;
        s << (first ? "" : ", ") << k << " " << it.value().get<double>();
        if (scores.contains(k + "_std")) s << " ± " << scores[k + "_std"].get<double>();
        first = false;
    }
    return s.str();
}

}  // namespace genhost::run
