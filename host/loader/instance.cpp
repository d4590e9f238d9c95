#include "loader/instance.hpp"

#include <cmath>
#include <cstddef>
#include <iostream>
#include <vector>

#include "util/error.hpp"

namespace genhost::loader {

namespace {

// Checks that an extension table has every field of the ABI version that introduced it
// (`needed` bytes: a table from a newer plugin may be larger) and its required slots.
// `slots` lists them only after the size check, so a short table is never over-read.
template <class Table, class Slots>
const Table* checked(const Table* table, size_t needed, const char* abi, const std::string& plugin_id,
                     const char* ext_id, Slots slots) {
    if (table->struct_size < needed)
        throw Error("plugin '" + plugin_id + "': extension " + ext_id + " has struct_size " +
                    std::to_string(table->struct_size) + ", smaller than ABI " + abi + "'s " + std::to_string(needed) +
                    "; rebuild the plugin against the installed SDK");
    std::string missing;
    for (const auto& [name, ptr] : slots())
        if (!ptr) missing += std::string(missing.empty() ? "" : ", ") + name;
    if (!missing.empty())
        throw Error("plugin '" + plugin_id + "': extension " + ext_id + " has NULL required slots: " + missing);
    return table;
}

#define GENHOST_SLOT(t, name) std::pair<const char*, const void*>{#name, reinterpret_cast<const void*>(t->name)}

// Called from plugin code: nothing may escape into the plugin's frames.
void host_log(const genhost_host* host, int32_t level, const char* message) noexcept try {
    auto* self = static_cast<const std::pair<std::string, HostServices*>*>(host->host_data);
    const std::string text = message ? message : "";
    if (self->second->log) {
        self->second->log(self->first, level, text);
        return;
    }
    static const char* names[] = {"debug", "info", "warning", "error"};
    std::cerr << "[" << self->first << "] " << names[level < 0 ? 0 : level > 3 ? 3 : level] << ": " << text << "\n";
} catch (...) {
}

const void* host_get_service(const genhost_host*, const char*) noexcept { return nullptr; }

}  // namespace

const char* status_name(genhost_status status) {
    switch (status) {
        case GENHOST_OK: return "ok";
        case GENHOST_ERROR_INVALID_ARGUMENT: return "invalid argument";
        case GENHOST_ERROR_UNSUPPORTED: return "unsupported";
        case GENHOST_ERROR_STATE: return "wrong state";
        case GENHOST_ERROR_OUT_OF_MEMORY: return "out of memory";
        case GENHOST_ERROR_NUMERIC: return "numeric error";
        case GENHOST_ERROR_IO: return "I/O error";
        case GENHOST_ERROR_INTERNAL: return "internal error";
        default: return "unknown status";
    }
}

std::unique_ptr<PluginInstance> PluginInstance::create(const RegisteredPlugin& plugin, const nlohmann::json& params,
                                                       const genhost_data_info* data, HostServices services) {
    std::unique_ptr<PluginInstance> self(new PluginInstance());
    self->plugin_info_ = plugin;
    self->services_ = std::move(services);
    const std::string& id = plugin.description->id;
    // The log callback finds the plugin's id through host_data; both live in *self.
    static_assert(sizeof(void*) >= sizeof(std::pair<std::string, HostServices*>*), "");
    auto* log_target = new std::pair<std::string, HostServices*>(id, &self->services_);
    self->host_ = genhost_host{sizeof(genhost_host), GENHOST_ABI_VERSION_INIT, "genhost", GENHOST_HOST_VERSION,
                               log_target, self->services_.seed,
                               self->services_.num_threads ? self->services_.num_threads : 1, host_log,
                               host_get_service};
    const std::string params_text = params.dump();
    char error[4096] = "";
    genhost_plugin* raw = nullptr;
    const genhost_plugin_factory& f = plugin.library->factory();
    genhost_status status = f.create(&f, &self->host_, id.c_str(), params_text.c_str(), data, &raw, error, sizeof error);
    error[sizeof error - 1] = '\0';
    if (status != GENHOST_OK || !raw) {
        if (raw && raw->destroy) raw->destroy(raw);
        std::string why = status != GENHOST_OK ? std::string(status_name(status)) + ": " + error
                                               : "create() returned success but no instance";
        throw Error("plugin '" + id + "' (" + plugin.library->path().string() + ") could not be created: " + why);
    }
    self->plugin_ = raw;
    const size_t needed = GENHOST_STRUCT_SIZE_THROUGH(genhost_plugin, GENHOST_PLUGIN_V1_0_LAST);
    std::string problem;
    if (raw->struct_size < needed) {
        // Its slots may lie beyond what it filled in: call none of them.
        problem = "its instance has struct_size " + std::to_string(raw->struct_size) + ", smaller than ABI 1.0's " +
                  std::to_string(needed) + "; rebuild the plugin against the installed SDK";
        self->plugin_ = nullptr;
        throw Error("plugin '" + id + "' (" + plugin.library->path().string() + "): " + problem);
    }
    for (auto [name, missing] : {std::pair{"destroy", !raw->destroy}, {"get_extension", !raw->get_extension},
                                 {"last_error", !raw->last_error}})
        if (missing) problem += (problem.empty() ? "" : ", ") + std::string(name);
    if (!problem.empty()) {
        if (raw->destroy) raw->destroy(raw);
        self->plugin_ = nullptr;
        throw Error("plugin '" + id + "' (" + plugin.library->path().string() +
                    "): its instance has NULL required slots: " + problem);
    }
    return self;
}

PluginInstance::~PluginInstance() {
    if (plugin_) plugin_->destroy(plugin_);
    delete static_cast<std::pair<std::string, HostServices*>*>(host_.host_data);
}

const void* PluginInstance::extension(const char* ext_id) const { return plugin_->get_extension(plugin_, ext_id); }

const genhost_trainable* PluginInstance::trainable() const {
    auto t = static_cast<const genhost_trainable*>(extension(GENHOST_EXT_TRAINABLE));
    if (!t) return nullptr;
    return checked<genhost_trainable>(t, GENHOST_STRUCT_SIZE_THROUGH(genhost_trainable, GENHOST_TRAINABLE_V1_0_LAST), "1.0", id(), GENHOST_EXT_TRAINABLE,
                                      [t] {
        return std::vector<std::pair<const char*, const void*>>{GENHOST_SLOT(t, parameter_count), GENHOST_SLOT(t, get_parameter),
                                       GENHOST_SLOT(t, phase_count), GENHOST_SLOT(t, get_phase),
                                       GENHOST_SLOT(t, train_phase)};
    });
}

const genhost_generator* PluginInstance::generator() const {
    auto t = static_cast<const genhost_generator*>(extension(GENHOST_EXT_GENERATOR));
    if (!t) return nullptr;
    return checked<genhost_generator>(t, GENHOST_STRUCT_SIZE_THROUGH(genhost_generator, GENHOST_GENERATOR_V1_0_LAST), "1.0", id(), GENHOST_EXT_GENERATOR,
                                      [t] {
        return std::vector<std::pair<const char*, const void*>>{GENHOST_SLOT(t, sample_shape), GENHOST_SLOT(t, num_classes),
                                       GENHOST_SLOT(t, generate)};
    });
}

const genhost_denoiser* PluginInstance::denoiser() const {
    auto t = static_cast<const genhost_denoiser*>(extension(GENHOST_EXT_DENOISER));
    if (!t) return nullptr;
    return checked<genhost_denoiser>(t, GENHOST_STRUCT_SIZE_THROUGH(genhost_denoiser, GENHOST_DENOISER_V1_0_LAST), "1.0", id(), GENHOST_EXT_DENOISER,
                                     [t] {
        return std::vector<std::pair<const char*, const void*>>{GENHOST_SLOT(t, sample_shape), GENHOST_SLOT(t, num_classes),
                                      GENHOST_SLOT(t, prediction_type), GENHOST_SLOT(t, set_noise_schedule),
                                      GENHOST_SLOT(t, predict)};
    });
}

const genhost_scheduler* PluginInstance::scheduler() const {
    auto t = static_cast<const genhost_scheduler*>(extension(GENHOST_EXT_SCHEDULER));
    if (!t) return nullptr;
    return checked<genhost_scheduler>(t, GENHOST_STRUCT_SIZE_THROUGH(genhost_scheduler, GENHOST_SCHEDULER_V1_0_LAST), "1.0", id(), GENHOST_EXT_SCHEDULER,
                                      [t] {
        return std::vector<std::pair<const char*, const void*>>{GENHOST_SLOT(t, num_train_timesteps), GENHOST_SLOT(t, get_alphas_cumprod),
                                       GENHOST_SLOT(t, set_timesteps), GENHOST_SLOT(t, timestep_count),
                                       GENHOST_SLOT(t, get_timesteps), GENHOST_SLOT(t, init_noise_sigma),
                                       GENHOST_SLOT(t, step)};
    });
}

const genhost_metric* PluginInstance::metric() const {
    auto t = static_cast<const genhost_metric*>(extension(GENHOST_EXT_METRIC));
    if (!t) return nullptr;
    return checked<genhost_metric>(t, GENHOST_STRUCT_SIZE_THROUGH(genhost_metric, GENHOST_METRIC_V1_0_LAST), "1.0", id(), GENHOST_EXT_METRIC,
                                   [t] {
        return std::vector<std::pair<const char*, const void*>>{GENHOST_SLOT(t, value_count), GENHOST_SLOT(t, value_name), GENHOST_SLOT(t, reset),
                                    GENHOST_SLOT(t, update), GENHOST_SLOT(t, compute)};
    });
}

const genhost_latent* PluginInstance::latent() const {
    auto t = static_cast<const genhost_latent*>(extension(GENHOST_EXT_LATENT));
    if (!t) return nullptr;
    return checked<genhost_latent>(t, GENHOST_STRUCT_SIZE_THROUGH(genhost_latent, GENHOST_LATENT_V1_0_LAST), "1.0", id(), GENHOST_EXT_LATENT, [t] {
        return std::vector<std::pair<const char*, const void*>>{GENHOST_SLOT(t, latent_dim), GENHOST_SLOT(t, decode)};
    });
}

const genhost_likelihood* PluginInstance::likelihood() const {
    auto t = static_cast<const genhost_likelihood*>(extension(GENHOST_EXT_LIKELIHOOD));
    if (!t) return nullptr;
    return checked<genhost_likelihood>(t, GENHOST_STRUCT_SIZE_THROUGH(genhost_likelihood, GENHOST_LIKELIHOOD_V1_0_LAST), "1.0", id(), GENHOST_EXT_LIKELIHOOD, [t] {
        return std::vector<std::pair<const char*, const void*>>{GENHOST_SLOT(t, log_likelihood)};
    });
}

const genhost_embedder* PluginInstance::embedder() const {
    auto t = static_cast<const genhost_embedder*>(extension(GENHOST_EXT_EMBEDDER));
    if (!t) return nullptr;
    return checked<genhost_embedder>(t, GENHOST_STRUCT_SIZE_THROUGH(genhost_embedder, GENHOST_EMBEDDER_V1_2_LAST), "1.2", id(), GENHOST_EXT_EMBEDDER, [t] {
        return std::vector<std::pair<const char*, const void*>>{GENHOST_SLOT(t, feature_dim), GENHOST_SLOT(t, num_classes),
                                                                GENHOST_SLOT(t, embed)};
    });
}

const genhost_autoregressive* PluginInstance::autoregressive() const {
    auto t = static_cast<const genhost_autoregressive*>(extension(GENHOST_EXT_AUTOREGRESSIVE));
    if (!t) return nullptr;
    return checked<genhost_autoregressive>(
        t, GENHOST_STRUCT_SIZE_THROUGH(genhost_autoregressive, logits), "1.2", id(), GENHOST_EXT_AUTOREGRESSIVE, [t] {
            return std::vector<std::pair<const char*, const void*>>{GENHOST_SLOT(t, num_levels), GENHOST_SLOT(t, sample_shape),
                                                                    GENHOST_SLOT(t, num_classes), GENHOST_SLOT(t, logits)};
        });
}

const genhost_style* PluginInstance::style() const {
    auto t = static_cast<const genhost_style*>(extension(GENHOST_EXT_STYLE));
    if (!t) return nullptr;
    return checked<genhost_style>(
        t, GENHOST_STRUCT_SIZE_THROUGH(genhost_style, GENHOST_STYLE_V1_4_LAST), "1.4", id(), GENHOST_EXT_STYLE, [t] {
            return std::vector<std::pair<const char*, const void*>>{GENHOST_SLOT(t, z_dim), GENHOST_SLOT(t, w_dim),
                                                                    GENHOST_SLOT(t, num_ws), GENHOST_SLOT(t, map),
                                                                    GENHOST_SLOT(t, w_avg), GENHOST_SLOT(t, synthesize)};
        });
}

const genhost_quantizer* PluginInstance::quantizer() const {
    auto t = static_cast<const genhost_quantizer*>(extension(GENHOST_EXT_QUANTIZER));
    if (!t) return nullptr;
    return checked<genhost_quantizer>(
        t, GENHOST_STRUCT_SIZE_THROUGH(genhost_quantizer, GENHOST_QUANTIZER_V1_3_LAST), "1.2", id(), GENHOST_EXT_QUANTIZER, [t] {
            return std::vector<std::pair<const char*, const void*>>{GENHOST_SLOT(t, codebook_size), GENHOST_SLOT(t, code_shape),
                                                                    GENHOST_SLOT(t, encode_codes), GENHOST_SLOT(t, decode_codes)};
        });
}

const genhost_translator* PluginInstance::translator() const {
    auto t = static_cast<const genhost_translator*>(extension(GENHOST_EXT_TRANSLATOR));
    if (!t) return nullptr;
    return checked<genhost_translator>(
        t, GENHOST_STRUCT_SIZE_THROUGH(genhost_translator, GENHOST_TRANSLATOR_V1_4_LAST), "1.4", id(), GENHOST_EXT_TRANSLATOR,
        [t] { return std::vector<std::pair<const char*, const void*>>{GENHOST_SLOT(t, translate)}; });
}

uint32_t PluginInstance::likelihood_properties() const {
    const genhost_likelihood* l = likelihood();
    if (!l || !GENHOST_STRUCT_HAS(l, genhost_likelihood, properties) || !l->properties) return 0;
    return l->properties(raw()) & (GENHOST_LIKELIHOOD_EXACT | GENHOST_LIKELIHOOD_DISCRETE);
}

namespace {
[[noreturn]] void bad_value(const PluginInstance& p, const std::string& call, const std::string& value) {
    const char* message = p.raw()->last_error(p.raw());
    throw Error("plugin '" + p.id() + "': " + call + " returned " + value +
                (message && *message ? ": " + std::string(message) : std::string()));
}
}  // namespace

std::array<int64_t, 3> PluginInstance::sample_shape() const {
    int64_t s[3] = {0, 0, 0};
    if (const genhost_generator* g = generator())
        check(g->sample_shape(raw(), s), "sample_shape");
    else if (const genhost_autoregressive* a = autoregressive())
        check(a->sample_shape(raw(), s), "sample_shape");
    else if (const genhost_denoiser* d = denoiser())
        check(d->sample_shape(raw(), s), "sample_shape");
    else
        throw Error("plugin '" + id() + "' does not say the shape of its samples (no generator, autoregressive or "
                    "denoiser)");
    for (int64_t v : s)
        if (v < 1 || v > 65536)
            bad_value(*this, "sample_shape", "[" + std::to_string(s[0]) + "," + std::to_string(s[1]) + "," +
                                                 std::to_string(s[2]) + "]; each size must be in [1, 65536]");
    return {s[0], s[1], s[2]};
}

int64_t PluginInstance::codebook_size() const {
    const genhost_quantizer* q = quantizer();
    if (!q) throw Error("plugin '" + id() + "' has no genhost.quantizer/1");
    const int64_t k = q->codebook_size(raw());
    if (k < 2 || k > (int64_t(1) << 24)) bad_value(*this, "codebook_size", std::to_string(k) + "; it must be in [2, 2^24]");
    return k;
}

std::array<int64_t, 3> PluginInstance::code_shape() const {
    const genhost_quantizer* q = quantizer();
    if (!q) throw Error("plugin '" + id() + "' has no genhost.quantizer/1");
    int64_t s[3] = {0, 0, 0};
    check(q->code_shape(raw(), s), "code_shape");
    for (int64_t v : s)
        if (v < 1 || v > 65536)
            bad_value(*this, "code_shape", "[" + std::to_string(s[0]) + "," + std::to_string(s[1]) + "," +
                                               std::to_string(s[2]) + "]; each size must be in [1, 65536]");
    return {s[0], s[1], s[2]};
}

PluginInstance::StyleDims PluginInstance::style_dims() const {
    const genhost_style* t = style();
    if (!t) throw Error("plugin '" + id() + "' has no " GENHOST_EXT_STYLE);
    const StyleDims d{t->z_dim(raw()), t->w_dim(raw()), t->num_ws(raw())};
    if (d.z_dim < 1 || d.z_dim > 65536) bad_value(*this, "z_dim", std::to_string(d.z_dim) + " (must be in [1, 65536])");
    if (d.w_dim < 1 || d.w_dim > 65536) bad_value(*this, "w_dim", std::to_string(d.w_dim) + " (must be in [1, 65536])");
    if (d.num_ws < 1 || d.num_ws > 64) bad_value(*this, "num_ws", std::to_string(d.num_ws) + " (must be in [1, 64])");
    return d;
}

int64_t PluginInstance::latent_dim() const {
    const int64_t d = latent() ? latent()->latent_dim(raw()) : 0;
    if (d < 1 || d > (int64_t{1} << 24)) bad_value(*this, "latent_dim", std::to_string(d) + " (must be >= 1)");
    return d;
}

std::optional<std::array<int64_t, 3>> PluginInstance::latent_shape() const {
    const genhost_latent* l = latent();
    if (!l || !GENHOST_STRUCT_HAS(l, genhost_latent, latent_shape) || !l->latent_shape) return std::nullopt;
    int64_t s[3] = {0, 0, 0};
    check(l->latent_shape(raw(), s), "latent_shape");
    const int64_t d = latent_dim();
    if (s[0] < 1 || s[1] < 1 || s[2] < 1 || s[0] * s[1] * s[2] != d)
        bad_value(*this, "latent_shape", "[" + std::to_string(s[0]) + "," + std::to_string(s[1]) + "," +
                                             std::to_string(s[2]) + "]; its product must be latent_dim = " +
                                             std::to_string(d));
    return std::array<int64_t, 3>{s[0], s[1], s[2]};
}

int64_t PluginInstance::feature_dim() const {
    const int64_t d = embedder() ? embedder()->feature_dim(raw()) : 0;
    if (d < 1 || d > (int64_t{1} << 24)) bad_value(*this, "feature_dim", std::to_string(d) + " (must be >= 1)");
    return d;
}

int64_t PluginInstance::embedding_classes() const {
    const int64_t k = embedder() ? embedder()->num_classes(raw()) : -1;
    if (k < 0 || k > (int64_t{1} << 24)) bad_value(*this, "num_classes", std::to_string(k) + " (must be >= 0)");
    return k;
}

std::string PluginInstance::prediction_type() const {
    const char* t = denoiser() ? denoiser()->prediction_type(raw()) : nullptr;
    if (!t) bad_value(*this, "prediction_type", "NULL");
    const std::string type = t;
    if (type != "epsilon" && type != "v_prediction" && type != "sample")
        bad_value(*this, "prediction_type", "'" + type + "' (must be epsilon, v_prediction or sample)");
    return type;
}

float PluginInstance::init_noise_sigma() const {
    const float sigma = scheduler() ? scheduler()->init_noise_sigma(raw()) : NAN;
    if (!std::isfinite(sigma) || sigma <= 0) bad_value(*this, "init_noise_sigma", std::to_string(sigma));
    return sigma;
}

std::vector<float> PluginInstance::timesteps() const {
    const genhost_scheduler* s = scheduler();
    const uint32_t count = s ? s->timestep_count(raw()) : 0;
    if (count == 0) bad_value(*this, "timestep_count", "0 after set_timesteps");
    std::vector<float> t(count);
    check(s->get_timesteps(raw(), t.data(), count), "get_timesteps");
    return t;
}

std::vector<float> PluginInstance::alphas_cumprod() const {
    const genhost_scheduler* s = scheduler();
    const uint32_t count = s ? s->num_train_timesteps(raw()) : 0;
    if (count == 0 || count > (1u << 24)) bad_value(*this, "num_train_timesteps", std::to_string(count));
    std::vector<float> a(count, NAN);  // so that an entry left unwritten shows
    check(s->get_alphas_cumprod(raw(), a.data(), count), "get_alphas_cumprod");
    // The last entry may be 0: a schedule rescaled to zero terminal SNR (Lin et al. 2023)
    // ends in pure noise by design. Every other entry keeps some signal.
    for (size_t t = 0; t < a.size(); ++t) {
        if (std::isnan(a[t]))
            bad_value(*this, "get_alphas_cumprod",
                      "alphas_cumprod[" + std::to_string(t) + "] unwritten (still the NaN the host pre-filled), but "
                      "num_train_timesteps is " + std::to_string(count) + ": write one entry per training timestep");
        const bool last = t + 1 == a.size();
        if (!((last ? a[t] >= 0 : a[t] > 0) && a[t] <= 1))
            bad_value(*this, "get_alphas_cumprod",
                      "alphas_cumprod[" + std::to_string(t) + "] = " + std::to_string(a[t]) + ", outside " +
                          (last ? "[0, 1] (the last entry may be 0: zero terminal SNR)" : "(0, 1]"));
    }
    return a;
}

void PluginInstance::check(genhost_status status, const std::string& what) const {
    if (status >= 0) return;
    const char* message = plugin_->last_error(plugin_);
    throw Error("plugin '" + id() + "': " + what + " failed (" + status_name(status) + "): " +
                (message && *message ? message : "(no message)"));
}

}  // namespace genhost::loader
