/* A minimal valid scheduler in C that `genhost check` passes, which each check_*.c file
 * breaks in exactly one way that only exercising it reveals (it loads fine). A two-step
 * Adams-Bashforth rule on a toy linear schedule: the second and later steps of a run use
 * the previous step's model output, so the solver has per-run history, as DPM-Solver++
 * (2M) does. Before including it, a file may define:
 *   BROKEN_ID                 the plugin id
 *   BROKEN_KEEPS_HISTORY      set_timesteps does not clear the previous run's history
 *   BROKEN_SKIPS_ELEMENT      step leaves the last element of prev_sample unwritten
 *   BROKEN_ASCENDING          the timesteps run upwards
 *   BROKEN_SHORT_ALPHAS       get_alphas_cumprod writes one entry fewer than asked
 *   BROKEN_STRUCT_SIZE        the scheduler table's struct_size (default: its size)
 *   BROKEN_NULL_STEP          the table's step slot is NULL */
#include <genhost/genhost.h>
#include <stdlib.h>
#include <string.h>

#ifdef BROKEN_NULL_STEP
#pragma GCC diagnostic ignored "-Wunused-function" /* s_step, not in the table */
#endif

#define TRAIN_STEPS 100u
#define MAX_VALUES 256

typedef struct {
    genhost_plugin base;
    uint32_t count;             /* timesteps of the current run */
    int has_history;            /* the previous step's output is in `history` */
    float history[MAX_VALUES];
} toy;

static uint32_t s_train(const genhost_plugin* p) { (void)p; return TRAIN_STEPS; }
static genhost_status s_alphas(const genhost_plugin* p, float* out, uint32_t count) {
    (void)p;
    if (count != TRAIN_STEPS) return GENHOST_ERROR_INVALID_ARGUMENT;
#ifdef BROKEN_SHORT_ALPHAS
    count -= 1;
#endif
    for (uint32_t t = 0; t < count; ++t) out[t] = 1.0f - (float)(t + 1) / (float)(TRAIN_STEPS + 1);
    return GENHOST_OK;
}
static genhost_status s_set_timesteps(genhost_plugin* p, uint32_t n) {
    toy* s = (toy*)p->plugin_data;
    if (n == 0 || n > TRAIN_STEPS) return GENHOST_ERROR_INVALID_ARGUMENT;
    s->count = n;
#ifndef BROKEN_KEEPS_HISTORY
    s->has_history = 0;
#endif
    return GENHOST_OK;
}
static uint32_t s_count(const genhost_plugin* p) { return ((const toy*)p->plugin_data)->count; }
static genhost_status s_timesteps(const genhost_plugin* p, float* out, uint32_t count) {
    const toy* s = (const toy*)p->plugin_data;
    if (count != s->count) return GENHOST_ERROR_INVALID_ARGUMENT;
    for (uint32_t i = 0; i < count; ++i) {
#ifdef BROKEN_ASCENDING
        out[i] = (float)(i * TRAIN_STEPS / count);
#else
        out[i] = (float)((count - 1 - i) * TRAIN_STEPS / count);
#endif
    }
    return GENHOST_OK;
}
static float s_sigma(const genhost_plugin* p) { (void)p; return 1.0f; }
static genhost_status s_step(genhost_plugin* p, const genhost_scheduler_step* a, DLTensor* prev) {
    toy* s = (toy*)p->plugin_data;
    const int64_t n = genhost_tensor_numel(a->sample);
    if (s->count == 0 || a->step_index >= s->count || n > MAX_VALUES || genhost_tensor_numel(prev) != n)
        return GENHOST_ERROR_INVALID_ARGUMENT;
    const float* x = (const float*)genhost_tensor_data(a->sample);
    const float* out = (const float*)genhost_tensor_data(a->model_output);
    float* next = (float*)genhost_tensor_data(prev);
    const float h = 1.0f / (float)s->count;
#ifdef BROKEN_SKIPS_ELEMENT
    const int64_t written = n - 1;
#else
    const int64_t written = n;
#endif
    for (int64_t k = 0; k < written; ++k) {
        const float slope = s->has_history ? 1.5f * out[k] - 0.5f * s->history[k] : out[k];
        next[k] = x[k] - h * slope;
    }
    for (int64_t k = 0; k < n; ++k) s->history[k] = out[k];
    s->has_history = 1;
    return GENHOST_OK;
}

#ifndef BROKEN_STRUCT_SIZE
#define BROKEN_STRUCT_SIZE sizeof(genhost_scheduler)
#endif
#ifdef BROKEN_NULL_STEP
#define BROKEN_STEP_SLOT NULL
#else
#define BROKEN_STEP_SLOT s_step
#endif
static const genhost_scheduler s_table = {BROKEN_STRUCT_SIZE, s_train, s_alphas, s_set_timesteps, s_count,
                                          s_timesteps, s_sigma, NULL, BROKEN_STEP_SLOT};

static void s_destroy(genhost_plugin* p) { free(p->plugin_data); }
static const void* s_get_extension(const genhost_plugin* p, const char* id) {
    (void)p;
    return strcmp(id, GENHOST_EXT_SCHEDULER) == 0 ? &s_table : NULL;
}
static const char* s_last_error(const genhost_plugin* p) { (void)p; return "toy scheduler: bad argument"; }

static const char* const s_features[] = {"test", NULL};
static const genhost_plugin_descriptor s_descriptor = {
    sizeof(genhost_plugin_descriptor), GENHOST_PLUGIN_KIND_SCHEDULER, BROKEN_ID, "Broken scheduler (test)", "1.0.0",
    "genhost", "A scheduler that genhost check must fail.", s_features, "{\"type\": \"object\", \"properties\": {}}"};

static uint32_t f_count(const genhost_plugin_factory* f) { (void)f; return 1; }
static const genhost_plugin_descriptor* f_get(const genhost_plugin_factory* f, uint32_t i) {
    (void)f; return i == 0 ? &s_descriptor : NULL; }
static genhost_status f_create(const genhost_plugin_factory* f, const genhost_host* host, const char* id,
                               const char* params, const genhost_data_info* data, genhost_plugin** out,
                               char* error, size_t capacity) {
    (void)f; (void)host; (void)id; (void)params; (void)data; (void)error; (void)capacity;
    toy* s = (toy*)calloc(1, sizeof *s);
    if (!s) return GENHOST_ERROR_OUT_OF_MEMORY;
    s->base = (genhost_plugin){sizeof(genhost_plugin), &s_descriptor, s, s_destroy, s_get_extension, s_last_error};
    *out = &s->base;
    return GENHOST_OK;
}
static const genhost_plugin_factory s_factory = {sizeof s_factory, f_count, f_get, f_create};
static const void* s_get_factory(const char* id) {
    return strcmp(id, GENHOST_PLUGIN_FACTORY_ID) == 0 ? &s_factory : NULL; }
GENHOST_EXPORT const genhost_library_entry genhost_entry = {
    GENHOST_ABI_VERSION_INIT, sizeof(genhost_library_entry), NULL, NULL, s_get_factory};
