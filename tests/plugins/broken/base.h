/* A minimal valid plugin in C, which each broken_*.c file breaks in exactly one way.
 * Before including it, a file may define:
 *   BROKEN_ID            the plugin id
 *   BROKEN_SCHEMA        the params schema text
 *   BROKEN_CREATE        the factory's create slot (default: base_create)
 *   BROKEN_LAST_ERROR    the instance's last_error slot (default: base_last_error) */
#include <genhost/genhost.h>
#include <stdlib.h>

/* Each file uses a different subset of what follows. */
#pragma GCC diagnostic ignored "-Wunused-function"
#include <string.h>

#ifndef BROKEN_SCHEMA
#define BROKEN_SCHEMA "{\"type\": \"object\", \"properties\": {}}"
#endif
#ifndef BROKEN_CREATE
#define BROKEN_CREATE base_create
#endif
#ifndef BROKEN_LAST_ERROR
#define BROKEN_LAST_ERROR base_last_error
#endif

static const char* const base_features[] = {"test", NULL};
static const genhost_plugin_descriptor base_descriptor = {
    sizeof(genhost_plugin_descriptor), GENHOST_PLUGIN_KIND_MODEL, BROKEN_ID, "Broken (test)", "1.0.0", "genhost",
    "A deliberately broken plugin.", base_features, BROKEN_SCHEMA};

static void base_destroy(genhost_plugin* p) { free(p); }
static const void* base_get_extension(const genhost_plugin* p, const char* id) { (void)p; (void)id; return NULL; }
static const char* base_last_error(const genhost_plugin* p) { (void)p; return ""; }

static genhost_status base_create(const genhost_plugin_factory* f, const genhost_host* host, const char* id,
                                  const char* params, const genhost_data_info* data, genhost_plugin** out,
                                  char* error, size_t capacity) {
    (void)f; (void)host; (void)id; (void)params; (void)data; (void)error; (void)capacity;
    genhost_plugin* p = (genhost_plugin*)calloc(1, sizeof *p);
    if (!p) return GENHOST_ERROR_OUT_OF_MEMORY;
    p->struct_size = sizeof *p;
    p->descriptor = &base_descriptor;
    p->destroy = base_destroy;
    p->get_extension = base_get_extension;
    p->last_error = BROKEN_LAST_ERROR;
    *out = p;
    return GENHOST_OK;
}

static uint32_t base_count(const genhost_plugin_factory* f) { (void)f; return 1; }
static const genhost_plugin_descriptor* base_get(const genhost_plugin_factory* f, uint32_t i) {
    (void)f; return i == 0 ? &base_descriptor : NULL; }
static const genhost_plugin_factory base_factory = {sizeof base_factory, base_count, base_get, BROKEN_CREATE};
static const void* base_get_factory(const char* id) {
    return strcmp(id, GENHOST_PLUGIN_FACTORY_ID) == 0 ? &base_factory : NULL; }
