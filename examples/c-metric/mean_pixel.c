/* A metric plugin in plain C, built outside genhost's tree against the installed SDK:
 * the mean pixel value of the generated (or the real) images. docs/plugin-guide.md,
 * section 5, walks through it. No C++ and no JSON library: params are read with
 * <genhost/params.h>.
 *
 *   cmake -S . -B build -DCMAKE_PREFIX_PATH=/where/genhost/is/installed && cmake --build build
 *   genhost check mean-pixel --plugin-path build
 */
#include <genhost/genhost.h>
#include <genhost/params.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    genhost_plugin base;  /* first, so a genhost_plugin* is a mean_pixel* */
    uint32_t images;      /* which images to average: GENHOST_METRIC_GENERATED or _REAL */
    double sum;
    int64_t count;
} mean_pixel;

/* ---- genhost.metric/1: every slot [instance-serialized] ---- */

static uint32_t mp_value_count(const genhost_plugin* p) { (void)p; return 1; }

static const char* mp_value_name(const genhost_plugin* p, uint32_t i) {
    (void)p;
    return i == 0 ? "mean_pixel" : NULL;
}

static genhost_status mp_reset(genhost_plugin* p) {
    mean_pixel* m = (mean_pixel*)p->plugin_data;
    m->sum = 0;
    m->count = 0;
    return GENHOST_OK;
}

static genhost_status mp_update(genhost_plugin* p, uint32_t set, const DLTensor* x) {
    mean_pixel* m = (mean_pixel*)p->plugin_data;
    if (set != m->images) return GENHOST_OK;
    const float* v = (const float*)genhost_tensor_data(x);
    const int64_t n = genhost_tensor_numel(x);
    for (int64_t i = 0; i < n; ++i) m->sum += v[i];
    m->count += n;
    return GENHOST_OK;
}

static genhost_status mp_compute(genhost_plugin* p, double* out) {
    const mean_pixel* m = (const mean_pixel*)p->plugin_data;
    out[0] = m->count ? m->sum / (double)m->count : 0.0;
    return GENHOST_OK;
}

static const genhost_metric mp_metric = {sizeof(genhost_metric), mp_value_count, mp_value_name,
                                         mp_reset, mp_update, mp_compute,
                                         NULL /* update_features: this metric reads pixels */};

/* ---- the instance ---- */

static void mp_destroy(genhost_plugin* p) { free(p->plugin_data); }
static const void* mp_get_extension(const genhost_plugin* p, const char* id) {
    (void)p;
    return strcmp(id, GENHOST_EXT_METRIC) == 0 ? &mp_metric : NULL;
}
static const char* mp_last_error(const genhost_plugin* p) { (void)p; return ""; }

static const char* const mp_features[] = {"example", NULL};
static const genhost_plugin_descriptor mp_descriptor = {
    sizeof(genhost_plugin_descriptor), GENHOST_PLUGIN_KIND_METRIC, "com.example.mean-pixel", "Mean pixel",
    "1.0.0", "Example Inc.", "Mean pixel value of the generated (or real) images.", mp_features,
    "{\"type\": \"object\", \"additionalProperties\": false, \"properties\": {"
    "\"images\": {\"type\": \"string\", \"enum\": [\"generated\", \"real\"], \"default\": \"generated\","
    " \"description\": \"which images to average\"}}}"};

/* ---- the factory [main-thread] ---- */

static uint32_t f_count(const genhost_plugin_factory* f) { (void)f; return 1; }
static const genhost_plugin_descriptor* f_get(const genhost_plugin_factory* f, uint32_t i) {
    (void)f;
    return i == 0 ? &mp_descriptor : NULL;
}

static genhost_status f_create(const genhost_plugin_factory* f, const genhost_host* host, const char* id,
                               const char* params, const genhost_data_info* data, genhost_plugin** out,
                               char* error, size_t capacity) {
    (void)f; (void)host; (void)id; (void)data;
    char images[16];  /* validated by the host against the schema, default filled in */
    if (genhost_params_get_string(params, "images", images, sizeof images) != GENHOST_OK) {
        snprintf(error, capacity, "params: 'images' must be \"generated\" or \"real\" (got %s)", params);
        return GENHOST_ERROR_INVALID_ARGUMENT;
    }
    mean_pixel* m = calloc(1, sizeof *m);
    if (!m) return GENHOST_ERROR_OUT_OF_MEMORY;
    m->base = (genhost_plugin){sizeof(genhost_plugin), &mp_descriptor, m, mp_destroy, mp_get_extension,
                               mp_last_error};
    m->images = strcmp(images, "real") == 0 ? GENHOST_METRIC_REAL : GENHOST_METRIC_GENERATED;
    *out = &m->base;
    return GENHOST_OK;
}

static const genhost_plugin_factory factory = {sizeof factory, f_count, f_get, f_create};
static const void* get_factory(const char* id) {
    return strcmp(id, GENHOST_PLUGIN_FACTORY_ID) == 0 ? &factory : NULL;
}

GENHOST_EXPORT const genhost_library_entry genhost_entry = {
    GENHOST_ABI_VERSION_INIT, sizeof(genhost_library_entry), NULL, NULL, get_factory};
