#include "train/run_checkpoint.hpp"

#include <algorithm>

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
