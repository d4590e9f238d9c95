// The projects `genhost new` writes: one per kind and language. Placeholders:
//   @NAME@ the plugin's short name (my-sampler)   @IDENT@ a C identifier (my_sampler)
//   @CLASS@ a C++ class name (MySampler)          @ID@ the plugin id (com.example.my-sampler)
//   @PREFIX@ where this genhost is installed
// tests/examples/genhost_new_test.sh builds every one against the installed SDK and runs
// `genhost check` and `genhost validate` on it.
#include "cli/new_templates.hpp"

namespace genhost::cli {

namespace {

const char* const kCMakeCxx = R"GH(# @NAME@: a genhost plugin, built against the installed genhost SDK (README.md).
cmake_minimum_required(VERSION 3.16)
project(@IDENT@ LANGUAGES CXX)

find_package(genhost 1.0 REQUIRED)   # genhost::sdk, genhost::engine, genhost_add_plugin()

# A module library exporting only genhost_entry, into build/ (genhost --plugin-path build).
genhost_add_plugin(@IDENT@ SOURCES @IDENT@.cpp@LINK@ OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR})
)GH";

const char* const kCMakeC = R"GH(# @NAME@: a genhost plugin in plain C, built against the installed genhost SDK (README.md).
cmake_minimum_required(VERSION 3.16)
project(@IDENT@ LANGUAGES C)

find_package(genhost 1.0 REQUIRED)   # genhost::sdk (the C ABI, genhost/params.h), genhost_add_plugin()

# A module library exporting only genhost_entry, into build/ (genhost --plugin-path build).
genhost_add_plugin(@IDENT@ SOURCES @IDENT@.c@LINK@ OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR})
target_compile_options(@IDENT@ PRIVATE -std=c11 -Wall -Wextra -pedantic)
)GH";

const char* const kReadme = R"GH(# @NAME@

A genhost @KIND@ plugin (`@ID@`) in @LANGNAME@, started with
`genhost new @KIND@ @NAME@ --lang @LANG@`. @WHAT@

## Build

```sh
cmake -S . -B build -DCMAKE_PREFIX_PATH=@PREFIX@
cmake --build build
```

## Check

```sh
genhost plugins --plugin-path build       # found, and no "not loaded" line
genhost info @NAME@ --plugin-path build    # its description and parameter table
genhost check @NAME@ --plugin-path build   # its whole lifecycle through the ABI
```

## Run

`pipeline.yaml` uses it:

```sh
genhost validate pipeline.yaml --plugin-path build
genhost run pipeline.yaml --plugin-path build
```

## Install

Copy `build/@IDENT@.so` into genhost's plugin folder (`@PREFIX@/lib/genhost/plugins`) or a
folder listed in `GENHOST_PLUGIN_PATH`. Before you ship, give it your own id (reverse DNS,
`@ID@` now) and see the checklist in genhost's docs/plugin-guide.md@DOCS@.
)GH";

// ---- scheduler ------------------------------------------------------------------------

const char* const kSchedulerCxx = R"GH(// @NAME@: a diffusion scheduler (genhost.scheduler/1). As written, DDIM at eta = 0
// (Song et al. 2021, eq. 12): x_prev = sqrt(a_prev) x0 + sqrt(1 - a_prev) eps.
// The training schedule, timestep spacing and prediction types come from the SDK's
// scheduler toolkit (<genhost/cpp/scheduler.hpp>, header-only), so its params are
// diffusers' and it inherits a pipeline's training schedule (genhost docs/schedulers.md).
// Replace step() with your update rule.
//
// Thread rule for every method: [instance-serialized], the host never calls one instance
// from two threads at once; different instances may run in parallel.
#include <algorithm>
#include <cmath>

#include <genhost/cpp/scheduler.hpp>

namespace {

using namespace genhost::schedulers;

const char* const kId = "@ID@";

class @CLASS@ : public genhost::Scheduler {
public:
    static genhost::PluginInfo info() {
        genhost::ParamSchema schema;
        // num_train_timesteps, beta_*, trained_betas, rescale_betas_zero_snr, prediction_type,
        // timestep_spacing, steps_offset, num_inference_steps: the defaults given here.
        add_schedule_params(schema, {0.0001, 0.02, "leading", 50});
        return {GENHOST_PLUGIN_KIND_SCHEDULER, kId, "@NAME@", "0.1.0", "Example Inc.",
                "A diffusion scheduler (DDIM at eta = 0 as written).", {"diffusion", "deterministic"}, schema};
    }

    // Params arrive validated, every default filled in. Throw to refuse them.
    explicit @CLASS@(const genhost::Context& context)
        : alphas_cumprod_(make_alphas_cumprod(read_noise_schedule(context.params))),
          prediction_(parse_prediction(context.params.string("prediction_type"))),
          spacing_(parse_spacing(context.params.string("timestep_spacing"))),
          steps_offset_(context.params.integer("steps_offset")) {}

    // The training schedule: alphas_cumprod[t] for t in [0, num_train_timesteps).
    std::vector<float> alphas_cumprod() const override { return to_float(alphas_cumprod_); }

    // Starts a sampling run of n steps and resets every per-run state (a multistep
    // solver's history belongs here: `genhost check` fails a scheduler that keeps it).
    void set_timesteps(uint32_t n) override {
        const auto N = static_cast<int64_t>(alphas_cumprod_.size());
        check_inference_steps(kId, n, N);
        timesteps_ = discrete_timesteps(N, n, spacing_, steps_offset_);
        check_timestep_range(kId, timesteps_, N);
    }

    // The run's timesteps, noisiest first: what the denoiser is told at each step.
    std::vector<float> timesteps() const override { return to_float(timesteps_); }

    // The initial noise's standard deviation (sigma_max for sigma-space samplers).
    float init_noise_sigma() const override { return 1.0f; }

    // The denoiser's input at a step: the sample itself here (sigma-space samplers scale
    // it, see scale_for_sigma). `out` may alias `sample`.
    void scale_model_input(uint32_t step_index, const genhost::TensorView& sample,
                           const genhost::MutableTensorView& out) override {
        check_step_index(kId, step_index, timesteps_.size());
        check_same_shape(kId, sample, out, "the model input");
        if (out.data() != sample.data()) std::copy(sample.data(), sample.data() + sample.numel(), out.data());
    }

    // One update: writes every element of prev_sample (which never aliases the inputs).
    // Stochastic rules draw noise with fill_step_noise(args, ...): per-image seeds.
    void step(const genhost::SchedulerStep& args, const genhost::MutableTensorView& prev_sample) override {
        check_step_index(kId, args.step_index, timesteps_.size());
        check_step_tensors(kId, args, prev_sample);
        const size_t i = args.step_index;
        const double a_t = alphas_cumprod_[static_cast<size_t>(timesteps_[i])];
        const double a_prev = i + 1 < timesteps_.size() ? alphas_cumprod_[static_cast<size_t>(timesteps_[i + 1])] : 1.0;
        const VpTerms m = vp_terms(prediction_, a_t);  // x0 and eps from the model output
        const double sqrt_a_prev = std::sqrt(a_prev), sqrt_b_prev = std::sqrt(1.0 - a_prev);
        const float* x = args.sample.data();
        const float* out = args.model_output.data();
        float* prev = prev_sample.data();
        for (int64_t k = 0, n = prev_sample.numel(); k < n; ++k) {
            const double x0 = std::clamp(m.x0_x * x[k] + m.x0_out * out[k], -1.0, 1.0);
            const double eps = m.eps_x * x[k] + m.eps_out * out[k];
            prev[k] = static_cast<float>(sqrt_a_prev * x0 + sqrt_b_prev * eps);
        }
    }

private:
    std::vector<double> alphas_cumprod_;
    Prediction prediction_;
    Spacing spacing_;
    int64_t steps_offset_;
    std::vector<double> timesteps_;  // per run
};

}  // namespace

GENHOST_PLUGINS(@CLASS@);  // once per library: every plugin class it offers
)GH";

const char* const kSchedulerC = R"GH(/* @NAME@: a diffusion scheduler (genhost.scheduler/1) in plain C. As written, DDIM at
 * eta = 0 (Song et al. 2021, eq. 12) on a linear or scaled_linear beta schedule:
 *   x_prev = sqrt(a_prev) x0 + sqrt(1 - a_prev) eps.
 * It declares diffusers' schedule params (num_train_timesteps, beta_start, beta_end,
 * beta_schedule, prediction_type), so it inherits a pipeline's training schedule (genhost
 * docs/schedulers.md); genhost/params.h reads them. Replace sched_step with your rule.
 * Each function's comment ends with its thread rule. */
#include <genhost/genhost.h>
#include <genhost/params.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { PREDICT_EPSILON, PREDICT_V, PREDICT_SAMPLE };

typedef struct {
    genhost_plugin base;     /* first: a genhost_plugin* is a @IDENT@* */
    uint32_t train_steps;    /* num_train_timesteps */
    double* alphas_cumprod;  /* [train_steps] */
    int prediction;          /* PREDICT_* */
    uint32_t count;          /* timesteps of the current run (0 before set_timesteps) */
    uint32_t* timesteps;     /* [count], noisiest first */
    char error[256];         /* last_error */
} @IDENT@;

static @IDENT@* self(const genhost_plugin* p) { return (@IDENT@*)p->plugin_data; }

static genhost_status fail(genhost_plugin* p, genhost_status status, const char* message) {
    snprintf(self(p)->error, sizeof self(p)->error, "%s", message);
    return status;
}

/* num_train_timesteps. [instance-serialized] */
static uint32_t sched_num_train_timesteps(const genhost_plugin* p) { return self(p)->train_steps; }

/* The training schedule into out[0, count). [instance-serialized] */
static genhost_status sched_get_alphas_cumprod(const genhost_plugin* p, float* out, uint32_t count) {
    const @IDENT@* s = self(p);
    if (count != s->train_steps) return GENHOST_ERROR_INVALID_ARGUMENT;
    for (uint32_t t = 0; t < count; ++t) out[t] = (float)s->alphas_cumprod[t];
    return GENHOST_OK;
}

/* Starts a run of n steps ("leading" spacing) and resets all per-run state. [instance-serialized] */
static genhost_status sched_set_timesteps(genhost_plugin* p, uint32_t n) {
    @IDENT@* s = self(p);
    if (n == 0 || n > s->train_steps)
        return fail(p, GENHOST_ERROR_INVALID_ARGUMENT, "set_timesteps: n must be in [1, num_train_timesteps]");
    uint32_t* t = (uint32_t*)realloc(s->timesteps, n * sizeof *t);
    if (!t) return GENHOST_ERROR_OUT_OF_MEMORY;
    for (uint32_t i = 0; i < n; ++i) t[i] = (n - 1 - i) * (s->train_steps / n);
    s->timesteps = t;
    s->count = n;
    return GENHOST_OK;
}

/* The run's length. [instance-serialized] */
static uint32_t sched_timestep_count(const genhost_plugin* p) { return self(p)->count; }

/* The run's timesteps into out[0, count). [instance-serialized] */
static genhost_status sched_get_timesteps(const genhost_plugin* p, float* out, uint32_t count) {
    const @IDENT@* s = self(p);
    if (count != s->count) return GENHOST_ERROR_INVALID_ARGUMENT;
    for (uint32_t i = 0; i < count; ++i) out[i] = (float)s->timesteps[i];
    return GENHOST_OK;
}

/* The initial noise's standard deviation. [instance-serialized] */
static float sched_init_noise_sigma(const genhost_plugin* p) { (void)p; return 1.0f; }

/* One update: writes every element of prev_sample. [instance-serialized] */
static genhost_status sched_step(genhost_plugin* p, const genhost_scheduler_step* args, DLTensor* prev_sample) {
    @IDENT@* s = self(p);
    if (s->count == 0) return fail(p, GENHOST_ERROR_STATE, "step before set_timesteps");
    if (args->step_index >= s->count) return fail(p, GENHOST_ERROR_INVALID_ARGUMENT, "step_index past the run");
    const int64_t n = genhost_tensor_numel(args->sample);
    if (genhost_tensor_numel(args->model_output) != n || genhost_tensor_numel(prev_sample) != n)
        return fail(p, GENHOST_ERROR_INVALID_ARGUMENT, "model_output, sample and prev_sample must have one shape");
    const uint32_t i = args->step_index;
    const double a = s->alphas_cumprod[s->timesteps[i]];
    const double a_prev = i + 1 < s->count ? s->alphas_cumprod[s->timesteps[i + 1]] : 1.0;
    const double sa = sqrt(a), sb = sqrt(1.0 - a);
    const float* x = (const float*)genhost_tensor_data(args->sample);
    const float* out = (const float*)genhost_tensor_data(args->model_output);
    float* prev = (float*)genhost_tensor_data(prev_sample);
    for (int64_t k = 0; k < n; ++k) {
        double x0, eps;
        if (s->prediction == PREDICT_EPSILON) eps = out[k], x0 = (x[k] - sb * eps) / sa;
        else if (s->prediction == PREDICT_V) x0 = sa * x[k] - sb * out[k], eps = sb * x[k] + sa * out[k];
        else x0 = out[k], eps = (x[k] - sa * x0) / sb;
        x0 = x0 < -1.0 ? -1.0 : x0 > 1.0 ? 1.0 : x0;
        prev[k] = (float)(sqrt(a_prev) * x0 + sqrt(1.0 - a_prev) * eps);
    }
    return GENHOST_OK;
}

static const genhost_scheduler sched_table = {
    sizeof(genhost_scheduler), sched_num_train_timesteps, sched_get_alphas_cumprod, sched_set_timesteps,
    sched_timestep_count, sched_get_timesteps, sched_init_noise_sigma,
    NULL, /* scale_model_input: may be NULL, the sample is the model input */
    sched_step};

/* ---- the instance ---- */

/* [instance-serialized]; nothing is called on the instance afterwards. */
static void sched_destroy(genhost_plugin* p) {
    @IDENT@* s = self(p);
    free(s->alphas_cumprod);
    free(s->timesteps);
    free(s);
}
/* The table for an extension id, or NULL. [any-thread] */
static const void* sched_get_extension(const genhost_plugin* p, const char* id) {
    (void)p;
    return strcmp(id, GENHOST_EXT_SCHEDULER) == 0 ? &sched_table : NULL;
}
/* The last failed call's message, owned by the instance. [instance-serialized] */
static const char* sched_last_error(const genhost_plugin* p) { return self(p)->error; }

static const char* const sched_features[] = {"diffusion", "deterministic", NULL};
static const genhost_plugin_descriptor sched_descriptor = {
    sizeof(genhost_plugin_descriptor), GENHOST_PLUGIN_KIND_SCHEDULER, "@ID@", "@NAME@", "0.1.0",
    "Example Inc.", "A diffusion scheduler in C (DDIM at eta = 0 as written).", sched_features,
    "{\"type\": \"object\", \"properties\": {"
    "\"num_train_timesteps\": {\"type\": \"integer\", \"default\": 1000, \"minimum\": 2,"
    " \"description\": \"diffusion steps the model is trained with\"},"
    "\"beta_start\": {\"type\": \"number\", \"default\": 0.0001, \"minimum\": 0, \"maximum\": 1,"
    " \"description\": \"the first beta\"},"
    "\"beta_end\": {\"type\": \"number\", \"default\": 0.02, \"minimum\": 0, \"maximum\": 1,"
    " \"description\": \"the last beta\"},"
    "\"beta_schedule\": {\"type\": \"string\", \"enum\": [\"linear\", \"scaled_linear\"], \"default\": \"linear\","
    " \"description\": \"linear in beta, or in sqrt(beta)\"},"
    "\"prediction_type\": {\"type\": \"string\", \"enum\": [\"epsilon\", \"v_prediction\", \"sample\"],"
    " \"default\": \"epsilon\", \"description\": \"what the denoiser predicts\"},"
    "\"num_inference_steps\": {\"type\": \"integer\", \"default\": 50, \"minimum\": 1,"
    " \"description\": \"denoising steps of a sampling run\"}}}"};

/* ---- the factory ---- */

/* [any-thread] */
static uint32_t factory_count(const genhost_plugin_factory* f) { (void)f; return 1; }
/* [any-thread] */
static const genhost_plugin_descriptor* factory_get(const genhost_plugin_factory* f, uint32_t i) {
    (void)f;
    return i == 0 ? &sched_descriptor : NULL;
}
/* A new instance from validated params (every default filled in). [any-thread] */
static genhost_status factory_create(const genhost_plugin_factory* f, const genhost_host* host, const char* id,
                                     const char* params, const genhost_data_info* data, genhost_plugin** out,
                                     char* error, size_t capacity) {
    (void)f; (void)host; (void)id; (void)data;
    int64_t steps = 0;
    double beta_start = 0, beta_end = 0;
    char schedule[32], prediction[32];
    if (genhost_params_get_int(params, "num_train_timesteps", &steps) != GENHOST_OK ||
        genhost_params_get_double(params, "beta_start", &beta_start) != GENHOST_OK ||
        genhost_params_get_double(params, "beta_end", &beta_end) != GENHOST_OK ||
        genhost_params_get_string(params, "beta_schedule", schedule, sizeof schedule) != GENHOST_OK ||
        genhost_params_get_string(params, "prediction_type", prediction, sizeof prediction) != GENHOST_OK) {
        snprintf(error, capacity, "params %s: expected num_train_timesteps, beta_start, beta_end, beta_schedule, "
                 "prediction_type", params);
        return GENHOST_ERROR_INVALID_ARGUMENT;
    }
    @IDENT@* s = (@IDENT@*)calloc(1, sizeof *s);
    double* alphas = (double*)malloc((size_t)steps * sizeof *alphas);
    if (!s || !alphas) {
        free(s);
        free(alphas);
        return GENHOST_ERROR_OUT_OF_MEMORY;
    }
    const int scaled = strcmp(schedule, "scaled_linear") == 0;
    double product = 1.0;
    for (int64_t t = 0; t < steps; ++t) {  /* betas evenly spaced (in sqrt(beta) when scaled) */
        const double w = (double)t / (double)(steps - 1);
        const double b = scaled ? pow(sqrt(beta_start) + w * (sqrt(beta_end) - sqrt(beta_start)), 2.0)
                                : beta_start + w * (beta_end - beta_start);
        alphas[t] = product *= 1.0 - b;
    }
    s->base = (genhost_plugin){sizeof(genhost_plugin), &sched_descriptor, s, sched_destroy, sched_get_extension,
                               sched_last_error};
    s->train_steps = (uint32_t)steps;
    s->alphas_cumprod = alphas;
    s->prediction = strcmp(prediction, "v_prediction") == 0 ? PREDICT_V
                    : strcmp(prediction, "sample") == 0     ? PREDICT_SAMPLE
                                                            : PREDICT_EPSILON;
    *out = &s->base;
    return GENHOST_OK;
}

static const genhost_plugin_factory factory = {sizeof factory, factory_count, factory_get, factory_create};

/* [load-thread] */
static const void* get_factory(const char* id) {
    return strcmp(id, GENHOST_PLUGIN_FACTORY_ID) == 0 ? &factory : NULL;
}

/* The one exported symbol: ABI version first, then the factory lookup. */
GENHOST_EXPORT const genhost_library_entry genhost_entry = {
    GENHOST_ABI_VERSION_INIT, sizeof(genhost_library_entry), NULL /* init */, NULL /* deinit */, get_factory};
)GH";

const char* const kSchedulerPipeline = R"GH(# Trains a small UNet on the built-in shapes dataset with DDPM's schedule, then samples
# with @NAME@ (which inherits that schedule: docs/schedulers.md).
name: @NAME@
seed: 0
data: {dataset: shapes, batch_size: 32}
model:
  plugin: unet
  params: {base_channels: 16, channel_mult: [1, 2], layers_per_block: 1, attention_resolutions: [],
           norm_num_groups: 8, prediction_type: epsilon}
scheduler: {plugin: ddpm}
train: {steps: 500, optimizer: {type: adam, lr: 2e-4}}
sample:
  count: 16
  scheduler: {plugin: @NAME@, params: {num_inference_steps: 50}}
)GH";

// ---- metric ---------------------------------------------------------------------------

const char* const kMetricCxx = R"GH(// @NAME@: a metric (genhost.metric/1). As written, the mean pixel value of the
// generated images; replace the accumulation with yours.
//
// Thread rule for every method: [instance-serialized], the host never calls one instance
// from two threads at once.
#include <genhost/cpp/plugin.hpp>

namespace {

class @CLASS@ : public genhost::Metric {
public:
    static genhost::PluginInfo info() {
        return {GENHOST_PLUGIN_KIND_METRIC, "@ID@", "@NAME@", "0.1.0", "Example Inc.",
                "The mean pixel value of the generated images (as written).", {"example"},
                genhost::ParamSchema().boolean("real_images", false, "average the dataset's images instead")};
    }

    // Params arrive validated, every default filled in. Throw to refuse them.
    explicit @CLASS@(const genhost::Context& context)
        : set_(context.params.boolean("real_images") ? GENHOST_METRIC_REAL : GENHOST_METRIC_GENERATED) {}

    // The names of the values compute() returns, constant for the instance.
    std::vector<std::string> value_names() const override { return {"@IDENT@"}; }

    // Forgets everything seen so far.
    void reset() override { sum_ = 0, count_ = 0; }

    // Adds a batch of images [N, C, H, W] in [0, 1], real (GENHOST_METRIC_REAL) or
    // generated (GENHOST_METRIC_GENERATED). Borrowed for the call: keep no pointer.
    void update(uint32_t set, const genhost::TensorView& images) override {
        if (set != set_) return;
        for (int64_t i = 0; i < images.numel(); ++i) sum_ += images.data()[i];
        count_ += images.numel();
    }

    // One value per name, from what update saw since reset.
    std::vector<double> compute() override { return {count_ ? sum_ / static_cast<double>(count_) : 0.0}; }

private:
    uint32_t set_;
    double sum_ = 0;
    int64_t count_ = 0;
};

}  // namespace

GENHOST_PLUGINS(@CLASS@);  // once per library: every plugin class it offers
)GH";

const char* const kMetricC = R"GH(/* @NAME@: a metric (genhost.metric/1) in plain C. As written, the mean pixel value of
 * the generated (or real) images; replace the accumulation with yours. Params are read
 * with genhost/params.h. Each function's comment ends with its thread rule. */
#include <genhost/genhost.h>
#include <genhost/params.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    genhost_plugin base;  /* first: a genhost_plugin* is a @IDENT@* */
    uint32_t set;         /* the images it averages: GENHOST_METRIC_GENERATED or _REAL */
    double sum;
    int64_t count;
} @IDENT@;

static @IDENT@* self(const genhost_plugin* p) { return (@IDENT@*)p->plugin_data; }

/* How many values compute writes. [instance-serialized] */
static uint32_t metric_value_count(const genhost_plugin* p) { (void)p; return 1; }

/* The name of value i, owned by the plugin. [instance-serialized] */
static const char* metric_value_name(const genhost_plugin* p, uint32_t i) {
    (void)p;
    return i == 0 ? "@IDENT@" : NULL;
}

/* Forgets everything seen so far. [instance-serialized] */
static genhost_status metric_reset(genhost_plugin* p) {
    self(p)->sum = 0;
    self(p)->count = 0;
    return GENHOST_OK;
}

/* Adds a batch [N, C, H, W] float32 in [0, 1] of real or generated images; borrowed for
 * the call. [instance-serialized] */
static genhost_status metric_update(genhost_plugin* p, uint32_t set, const DLTensor* images) {
    @IDENT@* m = self(p);
    if (set != m->set) return GENHOST_OK;
    const float* v = (const float*)genhost_tensor_data(images);
    const int64_t n = genhost_tensor_numel(images);
    for (int64_t i = 0; i < n; ++i) m->sum += v[i];
    m->count += n;
    return GENHOST_OK;
}

/* Writes value_count values into out. [instance-serialized] */
static genhost_status metric_compute(genhost_plugin* p, double* out) {
    const @IDENT@* m = self(p);
    out[0] = m->count ? m->sum / (double)m->count : 0.0;
    return GENHOST_OK;
}

static const genhost_metric metric_table = {
    sizeof(genhost_metric), metric_value_count, metric_value_name, metric_reset, metric_update, metric_compute,
    NULL /* update_features: may be NULL, this metric works on pixels */};

/* ---- the instance ---- */

/* [instance-serialized]; nothing is called on the instance afterwards. */
static void metric_destroy(genhost_plugin* p) { free(self(p)); }
/* The table for an extension id, or NULL. [any-thread] */
static const void* metric_get_extension(const genhost_plugin* p, const char* id) {
    (void)p;
    return strcmp(id, GENHOST_EXT_METRIC) == 0 ? &metric_table : NULL;
}
/* The last failed call's message (no call fails here). [instance-serialized] */
static const char* metric_last_error(const genhost_plugin* p) { (void)p; return ""; }

static const char* const metric_features[] = {"example", NULL};
static const genhost_plugin_descriptor metric_descriptor = {
    sizeof(genhost_plugin_descriptor), GENHOST_PLUGIN_KIND_METRIC, "@ID@", "@NAME@", "0.1.0", "Example Inc.",
    "The mean pixel value of the generated (or real) images, as written.", metric_features,
    "{\"type\": \"object\", \"properties\": {"
    "\"real_images\": {\"type\": \"boolean\", \"default\": false,"
    " \"description\": \"average the dataset's images instead\"}}}"};

/* ---- the factory ---- */

/* [any-thread] */
static uint32_t factory_count(const genhost_plugin_factory* f) { (void)f; return 1; }
/* [any-thread] */
static const genhost_plugin_descriptor* factory_get(const genhost_plugin_factory* f, uint32_t i) {
    (void)f;
    return i == 0 ? &metric_descriptor : NULL;
}
/* A new instance from validated params (every default filled in). [any-thread] */
static genhost_status factory_create(const genhost_plugin_factory* f, const genhost_host* host, const char* id,
                                     const char* params, const genhost_data_info* data, genhost_plugin** out,
                                     char* error, size_t capacity) {
    (void)f; (void)host; (void)id; (void)data;
    bool real_images = false;
    if (genhost_params_get_bool(params, "real_images", &real_images) != GENHOST_OK) {
        snprintf(error, capacity, "params %s: expected real_images: true or false", params);
        return GENHOST_ERROR_INVALID_ARGUMENT;
    }
    @IDENT@* m = (@IDENT@*)calloc(1, sizeof *m);
    if (!m) return GENHOST_ERROR_OUT_OF_MEMORY;
    m->base = (genhost_plugin){sizeof(genhost_plugin), &metric_descriptor, m, metric_destroy, metric_get_extension,
                               metric_last_error};
    m->set = real_images ? GENHOST_METRIC_REAL : GENHOST_METRIC_GENERATED;
    *out = &m->base;
    return GENHOST_OK;
}

static const genhost_plugin_factory factory = {sizeof factory, factory_count, factory_get, factory_create};

/* [load-thread] */
static const void* get_factory(const char* id) {
    return strcmp(id, GENHOST_PLUGIN_FACTORY_ID) == 0 ? &factory : NULL;
}

/* The one exported symbol: ABI version first, then the factory lookup. */
GENHOST_EXPORT const genhost_library_entry genhost_entry = {
    GENHOST_ABI_VERSION_INIT, sizeof(genhost_library_entry), NULL /* init */, NULL /* deinit */, get_factory};
)GH";

const char* const kMetricPipeline = R"GH(# Trains a small VAE on the built-in shapes dataset, then scores its samples with @NAME@.
name: @NAME@
seed: 0
data: {dataset: shapes, batch_size: 64}
model: {plugin: vae, params: {hidden: [128], latent_dim: 8}}
train: {steps: 300, optimizer: {type: adam, lr: 1e-3}}
sample: {count: 64}
evaluate: {metrics: [@NAME@]}
)GH";

// ---- model ----------------------------------------------------------------------------

const char* const kModelCxx = R"GH(// @NAME@: a model (genhost.generator/1). As written, it draws images of uniform noise in
// the data range; make it a real model by adding capabilities (genhost::Trainable for
// training, Denoiser, Latent, Likelihood: <genhost/cpp/capabilities.hpp>) and building
// it with the engine (<genhost/engine/engine.hpp>, genhost docs/engine.md).
//
// Thread rule for every method: [instance-serialized], the host never calls one instance
// from two threads at once.
#include <algorithm>

#include <genhost/cpp/plugin.hpp>
#include <genhost/engine/random.hpp>

namespace {

class @CLASS@ : public genhost::Generator {
public:
    static genhost::PluginInfo info() {
        return {GENHOST_PLUGIN_KIND_MODEL, "@ID@", "@NAME@", "0.1.0", "Example Inc.",
                "Draws images of uniform noise in the data range (as written).", {"generator"},
                genhost::ParamSchema()
                    .integer("size", 28, "image height and width", 1, 1024)
                    .integer("channels", 1, "1 for gray, 3 for RGB", 1, 4)};
    }

    // Params arrive validated, every default filled in; context.data is the data the
    // pipeline will show the model. Throw to refuse them.
    explicit @CLASS@(const genhost::Context& context)
        : size_(context.params.integer("size")), channels_(context.params.integer("channels")),
          low_(context.data.range_min), high_(context.data.range_max) {}

    // The shape of one sample: channels, height, width.
    std::array<int64_t, 3> sample_shape() const override { return {channels_, size_, size_}; }

    // Classes a conditional model takes as labels (0: unconditional).
    int64_t num_classes() const override { return 0; }

    // Writes N samples into out [N, C, H, W], every element, in the data range. Sample i
    // draws from its own seed (request.seeds, ABI 1.1), so it does not depend on batching.
    void generate(const genhost::SampleRequest& request, const genhost::MutableTensorView& out) override {
        out.expect_shape({-1, channels_, size_, size_}, "samples");
        const int64_t n = out.dim(0), per_sample = channels_ * size_ * size_;
        for (int64_t i = 0; i < n; ++i) {
            genhost::engine::Generator rng(request.seeds ? request.seeds->data()[i] : request.seed + uint64_t(i));
            genhost::engine::Tensor u = rng.uniform({per_sample}, low_, high_);
            std::copy(u.data(), u.data() + per_sample, out.data() + i * per_sample);
        }
    }

private:
    int64_t size_, channels_;
    float low_, high_;
};

}  // namespace

GENHOST_PLUGINS(@CLASS@);  // once per library: every plugin class it offers
)GH";

const char* const kModelC = R"GH(/* @NAME@: a model (genhost.generator/1) in plain C. As written, it draws images of
 * uniform noise in the data range from each sample's seed; add capabilities
 * (genhost.trainable/1, ...: genhost/ext/) to make it a real model. Params are read with
 * genhost/params.h. Each function's comment ends with its thread rule. */
#include <genhost/genhost.h>
#include <genhost/params.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    genhost_plugin base;  /* first: a genhost_plugin* is a @IDENT@* */
    int64_t channels, size;
    float low, high;      /* the data range */
} @IDENT@;

static @IDENT@* self(const genhost_plugin* p) { return (@IDENT@*)p->plugin_data; }

/* splitmix64: a counter-based generator, the same numbers on every machine. */
static uint64_t mix(uint64_t x) {
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

/* The shape of one sample: channels, height, width. [instance-serialized] */
static genhost_status model_sample_shape(const genhost_plugin* p, int64_t out_shape[3]) {
    out_shape[0] = self(p)->channels;
    out_shape[1] = out_shape[2] = self(p)->size;
    return GENHOST_OK;
}

/* Classes a conditional model takes as labels (0: unconditional). [instance-serialized] */
static int64_t model_num_classes(const genhost_plugin* p) { (void)p; return 0; }

/* Writes N samples into out [N, C, H, W], every element; sample i from seeds[i] when the
 * host sends per-sample seeds (ABI 1.1), else from seed + i. [instance-serialized] */
static genhost_status model_generate(genhost_plugin* p, const genhost_sample_request* request, DLTensor* out) {
    const @IDENT@* m = self(p);
    const int64_t per = m->channels * m->size * m->size, n = out->ndim == 4 ? out->shape[0] : -1;
    if (n < 0 || genhost_tensor_numel(out) != n * per) return GENHOST_ERROR_INVALID_ARGUMENT;
    const uint64_t* seeds = GENHOST_STRUCT_HAS(request, genhost_sample_request, seeds) && request->seeds
                                ? (const uint64_t*)genhost_tensor_data(request->seeds) : NULL;
    float* x = (float*)genhost_tensor_data(out);
    for (int64_t i = 0; i < n; ++i) {
        const uint64_t seed = seeds ? seeds[i] : request->seed + (uint64_t)i;
        for (int64_t k = 0; k < per; ++k) {
            const double u = (double)(mix(seed * 0x100000001B3ull + (uint64_t)k) >> 11) * (1.0 / 9007199254740992.0);
            x[i * per + k] = (float)(m->low + u * (m->high - m->low));
        }
    }
    return GENHOST_OK;
}

static const genhost_generator model_generator = {sizeof(genhost_generator), model_sample_shape, model_num_classes,
                                                  model_generate};

/* ---- the instance ---- */

/* [instance-serialized]; nothing is called on the instance afterwards. */
static void model_destroy(genhost_plugin* p) { free(self(p)); }
/* The table for an extension id, or NULL. [any-thread] */
static const void* model_get_extension(const genhost_plugin* p, const char* id) {
    (void)p;
    return strcmp(id, GENHOST_EXT_GENERATOR) == 0 ? &model_generator : NULL;
}
/* The last failed call's message. [instance-serialized] */
static const char* model_last_error(const genhost_plugin* p) {
    (void)p;
    return "generate: out must be [N, channels, size, size] float32";
}

static const char* const model_features[] = {"generator", NULL};
static const genhost_plugin_descriptor model_descriptor = {
    sizeof(genhost_plugin_descriptor), GENHOST_PLUGIN_KIND_MODEL, "@ID@", "@NAME@", "0.1.0", "Example Inc.",
    "Draws images of uniform noise in the data range (as written).", model_features,
    "{\"type\": \"object\", \"properties\": {"
    "\"size\": {\"type\": \"integer\", \"default\": 28, \"minimum\": 1, \"maximum\": 1024,"
    " \"description\": \"image height and width\"},"
    "\"channels\": {\"type\": \"integer\", \"default\": 1, \"minimum\": 1, \"maximum\": 4,"
    " \"description\": \"1 for gray, 3 for RGB\"}}}"};

/* ---- the factory ---- */

/* [any-thread] */
static uint32_t factory_count(const genhost_plugin_factory* f) { (void)f; return 1; }
/* [any-thread] */
static const genhost_plugin_descriptor* factory_get(const genhost_plugin_factory* f, uint32_t i) {
    (void)f;
    return i == 0 ? &model_descriptor : NULL;
}
/* A new instance from validated params (every default filled in); `data` is the data the
 * pipeline will show the model (NULL without data). [any-thread] */
static genhost_status factory_create(const genhost_plugin_factory* f, const genhost_host* host, const char* id,
                                     const char* params, const genhost_data_info* data, genhost_plugin** out,
                                     char* error, size_t capacity) {
    (void)f; (void)host; (void)id;
    int64_t size = 0, channels = 0;
    if (genhost_params_get_int(params, "size", &size) != GENHOST_OK ||
        genhost_params_get_int(params, "channels", &channels) != GENHOST_OK) {
        snprintf(error, capacity, "params %s: expected integers size and channels", params);
        return GENHOST_ERROR_INVALID_ARGUMENT;
    }
    @IDENT@* m = (@IDENT@*)calloc(1, sizeof *m);
    if (!m) return GENHOST_ERROR_OUT_OF_MEMORY;
    m->base = (genhost_plugin){sizeof(genhost_plugin), &model_descriptor, m, model_destroy, model_get_extension,
                               model_last_error};
    m->size = size;
    m->channels = channels;
    m->low = data ? data->range_min : 0.0f;
    m->high = data ? data->range_max : 1.0f;
    *out = &m->base;
    return GENHOST_OK;
}

static const genhost_plugin_factory factory = {sizeof factory, factory_count, factory_get, factory_create};

/* [load-thread] */
static const void* get_factory(const char* id) {
    return strcmp(id, GENHOST_PLUGIN_FACTORY_ID) == 0 ? &factory : NULL;
}

/* The one exported symbol: ABI version first, then the factory lookup. */
GENHOST_EXPORT const genhost_library_entry genhost_entry = {
    GENHOST_ABI_VERSION_INIT, sizeof(genhost_library_entry), NULL /* init */, NULL /* deinit */, get_factory};
)GH";

const char* const kModelPipeline = R"GH(# Samples 16 images from @NAME@ into samples.png.
name: @NAME@
seed: 0
model: {plugin: @NAME@}
sample: {count: 16}
)GH";

}  // namespace

std::vector<TemplateFile> project_template(const std::string& kind, bool c) {
    const std::string source = c ? "@IDENT@.c" : "@IDENT@.cpp";
    std::string cmake = c ? kCMakeC : kCMakeCxx;
    std::string link;
    if (kind == "model" && !c) link = " LINK genhost::engine";
    if (kind == "scheduler" && c) link = " LINK m";
    cmake.replace(cmake.find("@LINK@"), 6, link);
    std::string readme = kReadme;
    auto set = [&](const std::string& key, const std::string& value) {
        for (size_t at; (at = readme.find(key)) != std::string::npos;) readme.replace(at, key.size(), value);
    };
    set("@KIND@", kind);
    set("@LANGNAME@", c ? "plain C" : "C++");
    set("@LANG@", c ? "c" : "c++");
    if (kind == "scheduler") {
        set("@WHAT@", "As written it is DDIM at eta = 0; `step` is where your update rule goes.");
        set("@DOCS@", " and docs/schedulers.md (the params that inherit the training schedule)");
    } else if (kind == "metric") {
        set("@WHAT@", "As written it reports the mean pixel value of the generated images.");
        set("@DOCS@", "");
    } else {
        set("@WHAT@", "As written it draws uniform noise; add capabilities to make it a model.");
        set("@DOCS@", " and docs/engine.md (tensors, autograd, layers)");
    }
    const char* code = kind == "scheduler" ? (c ? kSchedulerC : kSchedulerCxx)
                       : kind == "metric"  ? (c ? kMetricC : kMetricCxx)
                                           : (c ? kModelC : kModelCxx);
    const char* pipeline = kind == "scheduler" ? kSchedulerPipeline : kind == "metric" ? kMetricPipeline : kModelPipeline;
    return {{"CMakeLists.txt", cmake}, {source, code}, {"pipeline.yaml", pipeline}, {"README.md", readme}};
}

}  // namespace genhost::cli
