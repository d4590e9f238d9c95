/* A metric whose compute returns success but writes no value: genhost check must fail it. */
#include <genhost/genhost.h>
#include <stdlib.h>
#include <string.h>

static uint32_t m_count(const genhost_plugin* p) { (void)p; return 2; }
static const char* m_name(const genhost_plugin* p, uint32_t i) {
    (void)p; return i == 0 ? "first" : i == 1 ? "second" : NULL; }
static genhost_status m_reset(genhost_plugin* p) { (void)p; return GENHOST_OK; }
static genhost_status m_update(genhost_plugin* p, uint32_t set, const DLTensor* x) {
    (void)p; (void)set; (void)x; return GENHOST_OK; }
static genhost_status m_compute(genhost_plugin* p, double* out) { (void)p; (void)out; return GENHOST_OK; }
static const genhost_metric m_table = {sizeof(genhost_metric), m_count, m_name, m_reset, m_update, m_compute, NULL};

static void m_destroy(genhost_plugin* p) { free(p); }
static const void* m_get_extension(const genhost_plugin* p, const char* id) {
    (void)p; return strcmp(id, GENHOST_EXT_METRIC) == 0 ? &m_table : NULL; }
static const char* m_last_error(const genhost_plugin* p) { (void)p; return ""; }

static const char* const m_features[] = {"test", NULL};
static const genhost_plugin_descriptor m_descriptor = {
    sizeof(genhost_plugin_descriptor), GENHOST_PLUGIN_KIND_METRIC, "org.genhost.test.check-silent-metric",
    "Silent metric (test)", "1.0.0", "genhost", "A metric whose compute writes nothing.", m_features,
    "{\"type\": \"object\", \"properties\": {}}"};

static uint32_t f_count(const genhost_plugin_factory* f) { (void)f; return 1; }
static const genhost_plugin_descriptor* f_get(const genhost_plugin_factory* f, uint32_t i) {
    (void)f; return i == 0 ? &m_descriptor : NULL; }
static genhost_status f_create(const genhost_plugin_factory* f, const genhost_host* host, const char* id,
                               const char* params, const genhost_data_info* data, genhost_plugin** out,
                               char* error, size_t capacity) {
    (void)f; (void)host; (void)id; (void)params; (void)data; (void)error; (void)capacity;
    genhost_plugin* p = (genhost_plugin*)calloc(1, sizeof *p);
    if (!p) return GENHOST_ERROR_OUT_OF_MEMORY;
    *p = (genhost_plugin){sizeof(genhost_plugin), &m_descriptor, p, m_destroy, m_get_extension, m_last_error};
    *out = p;
    return GENHOST_OK;
}
static const genhost_plugin_factory m_factory = {sizeof m_factory, f_count, f_get, f_create};
static const void* m_get_factory(const char* id) {
    return strcmp(id, GENHOST_PLUGIN_FACTORY_ID) == 0 ? &m_factory : NULL; }
GENHOST_EXPORT const genhost_library_entry genhost_entry = {
    GENHOST_ABI_VERSION_INIT, sizeof(genhost_library_entry), NULL, NULL, m_get_factory};
