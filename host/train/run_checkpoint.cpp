#include "train/run_checkpoint.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <utility>

#include "checkpoint/safetensors.hpp"
#include "util/error.hpp"

namespace genhost::train {

namespace ck = genhost::checkpoint;

namespace {

constexpr const char* kFormat = "genhost-checkpoint/1";

void check_plugin(const ck::Checkpoint& c, const std::string& plugin_id) {
    auto it = c.metadata().find("plugin.id");
    if (it == c.metadata().end())
        throw Error("checkpoint " + c.source() + " has no plugin.id in its metadata: it was not written by genhost");
    if (it->second != plugin_id)
        throw Error("checkpoint " + c.source() + " was written for plugin '" + it->second +
                    "', but the pipeline's model is '" + plugin_id + "'");
}

void load_tensor(const ck::Checkpoint& c, const std::string& name, const ModelTensor& t) {
    c.copy_to(name, ck::Dtype::F32, t.shape, t.value, t.size * sizeof(float));
}

std::vector<NamedTensor> state_tensors(const ck::Checkpoint& c, const std::string& prefix) {
    std::vector<NamedTensor> out;
    for (const auto& name : c.names()) {
        if (name.rfind(prefix, 0) != 0) continue;
        const ck::Tensor& t = c.tensor(name);
        NamedTensor n{name, t.shape, std::vector<float>(t.numel())};
        c.copy_to(name, ck::Dtype::F32, t.shape, n.data.data(), n.data.size() * sizeof(float));
        out.push_back(std::move(n));
    }
    return out;
}

int64_t scalar(const ck::Checkpoint& c, const std::string& name) {
    int64_t v = 0;
    c.copy_to(name, ck::Dtype::I64, {}, &v, sizeof v);
    return v;
}

// A NaN or infinite weight (saved by a run that had diverged, or a damaged file) would
// only show up later as NaN losses or black samples: refuse it when loading, naming it.
void check_finite(const ck::Checkpoint& c, const std::string& name) {
    const ck::Tensor& t = c.tensor(name);
    if (t.dtype != ck::Dtype::F32) return;
    const std::size_t n = t.numel();
    for (std::size_t i = 0; i < n; ++i) {
        float v;
        std::memcpy(&v, t.data + i * sizeof v, sizeof v);  // safetensors data need not be aligned
        if (!std::isfinite(v))
            throw Error("checkpoint " + c.source() + ": tensor '" + name + "' holds " +
                        (std::isnan(v) ? "NaN" : v > 0 ? "+infinity" : "-infinity") + " at element " +
                        std::to_string(i) + " of " + std::to_string(n) +
                        "; it cannot be loaded (a run that had diverged, or a damaged file): use an earlier "
                        "checkpoint or train afresh");
    }
}

// Where a run stopped must be a place a run can reach: counts from 0, and no more epochs
// than batches drawn (each step draws at most `batches_per_step`, each epoch at least one).
void check_position(const TrainPosition& p, int64_t batches_per_step, const std::string& path) {
    const auto bad = [&](const std::string& what) {
        return Error("checkpoint " + path + ": " + what + "; the file is damaged or was not written by genhost's "
                     "trainer: use an earlier checkpoint or train afresh");
    };
    constexpr int64_t kMaxCount = int64_t{1} << 53;  // beyond any run, and exact as a double
    for (const auto& [name, value] : {std::pair<const char*, int64_t>{"trainer.step", p.step},
                                      {"trainer.epoch", p.epoch},
                                      {"trainer.batch", p.batch}})
        if (value < 0 || value > kMaxCount)
            throw bad(std::string(name) + " is " + std::to_string(value) + ", expected a count from 0 to " +
                      std::to_string(kMaxCount));
    if (batches_per_step > 0 && p.epoch / batches_per_step > p.step)
        throw bad("trainer.epoch is " + std::to_string(p.epoch) + " after " + std::to_string(p.step) +
                  " steps drawing at most " + std::to_string(batches_per_step) + " batch(es) each, which cannot reach it");
}

}  // namespace

void save_run_checkpoint(const std::string& path, const RunState& state, const TrainPosition& position,
                         const std::map<std::string, std::string>& metadata) {
    ck::Writer w;
    for (const auto& t : state.model->tensors()) w.add_f32_view("model." + t.name, t.shape, t.value);
    std::vector<NamedTensor> extra;
    for (const Optimizer* o : state.optimizers)
        for (auto& n : o->export_state()) extra.push_back(std::move(n));
    for (const Ema* e : state.emas)
        for (auto& n : e->export_state()) extra.push_back(std::move(n));
    for (const auto& n : extra) w.add_f32_view(n.name, n.shape, n.data.data());
    w.add<int64_t>("trainer.step", {}, {position.step});
    w.add<int64_t>("trainer.epoch", {}, {position.epoch});
    w.add<int64_t>("trainer.batch", {}, {position.batch});
    for (const auto& [k, v] : metadata) w.set_metadata(k, v);
    w.set_metadata("genhost.format", kFormat);
    w.write_atomic(path);
}

TrainPosition load_run_checkpoint(const std::string& path, const RunState& state, const std::string& plugin_id) {
    ck::Checkpoint c = ck::Checkpoint::read(path);
    check_plugin(c, plugin_id);
    // Check everything before changing anything: a bad file leaves the model as it was.
    for (const auto& t : state.model->tensors()) c.expect("model." + t.name, ck::Dtype::F32, t.shape);
    TrainPosition p{scalar(c, "trainer.step"), scalar(c, "trainer.epoch"), scalar(c, "trainer.batch")};
    check_position(p, state.batches_per_step, path);
    for (const auto& name : c.names()) check_finite(c, name);
    auto optimizer_state = state_tensors(c, "optimizer.");
    auto ema_state = state_tensors(c, "ema.");
    for (Optimizer* o : state.optimizers) o->import_state(optimizer_state, path);
    for (Ema* e : state.emas) e->import_state(ema_state, path);
    for (const auto& t : state.model->tensors()) load_tensor(c, "model." + t.name, t);
    return p;
}

std::map<std::string, std::string> load_model_weights(const std::string& path, const ModelState& model,
                                                      const std::string& plugin_id, bool prefer_ema) {
    ck::Checkpoint c = ck::Checkpoint::read(path);
    check_plugin(c, plugin_id);
    const auto names = c.names();
    // Where each tensor comes from: a trained tensor's EMA copy when asked and present
    // (saved flat), else its own value.
    struct Source {
        std::string name;
        ck::Shape shape;
    };
    auto source = [&](const ModelTensor& t) {
        const std::string ema = "ema." + t.group + "." + t.name;
        if (!t.buffer && prefer_ema && std::binary_search(names.begin(), names.end(), ema))
            return Source{ema, {static_cast<int64_t>(t.size)}};
        return Source{"model." + t.name, t.shape};
    };
    // Check everything before changing anything: a bad file leaves the model as it was.
    for (const auto& t : model.tensors()) c.expect(source(t).name, ck::Dtype::F32, source(t).shape);
    for (const auto& t : model.tensors()) check_finite(c, source(t).name);
    for (const auto& t : model.tensors()) {
        const Source from = source(t);
        c.copy_to(from.name, ck::Dtype::F32, from.shape, t.value, t.size * sizeof(float));
    }
    return c.metadata();
}

std::map<std::string, std::string> read_checkpoint_metadata(const std::string& path) {
    return ck::Checkpoint::read(path).metadata();
}

}  // namespace genhost::train
