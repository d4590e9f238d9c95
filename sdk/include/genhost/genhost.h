/* genhost.h: the genhost plugin ABI, in C.
 *
 * genhost loads model, scheduler and metric plugins from shared libraries through
 * this C ABI, which is stable: a plugin built against ABI 1.x loads in any genhost
 * 1.y, whatever compiler built either side. C++ authors usually write plugins with
 * the helper in <genhost/cpp/plugin.hpp>, which generates these tables; this header
 * is all a plain C plugin needs.
 *
 * The pieces, one header each:
 *   version.h   ABI version and changelog          status.h   status codes, thread rules
 *   tensor.h    DLPack tensors and conventions     host.h     what the host offers
 *   plugin.h    descriptors and instances          factory.h  listing and creating plugins
 *   entry.h     the one exported symbol
 *   ext/        capabilities, found by id with a revision:
 *               trainable.h  "genhost.trainable/1"   generator.h  "genhost.generator/1"
 *               denoiser.h   "genhost.denoiser/1"    scheduler.h  "genhost.scheduler/1"
 *               metric.h     "genhost.metric/1"      latent.h     "genhost.latent/1"
 *               likelihood.h "genhost.likelihood/1"   embedder.h   "genhost.embedder/1"
 *               autoregressive.h "genhost.autoregressive/1"
 *               quantizer.h  "genhost.quantizer/1"   translator.h "genhost.translator/1"
 *               style.h      "genhost.style/1"
 *   params.h    typed reads of the params JSON for C plugins (not included here:
 *               #include <genhost/params.h> in the file that implements `create`)
 *
 * Rules that hold everywhere:
 *   - every struct that may grow starts with struct_size and only grows at the end;
 *     read a field only if struct_size covers it;
 *   - every function slot says `required` or `may be NULL`; the host refuses a plugin
 *     whose required slots are NULL;
 *   - every pointer says who owns it and until when; inputs are borrowed for the call;
 *   - every function ends its comment with its thread rule (status.h);
 *   - errors are status codes plus text, never exceptions.
 *
 * A complete plugin in C, a metric that reports the mean pixel value of generated
 * images (docs/plugin-guide.md walks through it, and through the C++ version):
 *
 *   #include <genhost/genhost.h>
 *   #include <stdlib.h>
 *   #include <string.h>
 *
 *   typedef struct { genhost_plugin base; double sum; int64_t count; } mean_pixel;
 *
 *   static uint32_t mp_value_count(const genhost_plugin* p) { (void)p; return 1; }
 *   static const char* mp_value_name(const genhost_plugin* p, uint32_t i) {
 *       (void)p; return i == 0 ? "mean_pixel" : NULL; }
 *   static genhost_status mp_reset(genhost_plugin* p) {
 *       mean_pixel* m = (mean_pixel*)p->plugin_data; m->sum = 0; m->count = 0; return GENHOST_OK; }
 *   static genhost_status mp_update(genhost_plugin* p, uint32_t set, const DLTensor* x) {
 *       mean_pixel* m = (mean_pixel*)p->plugin_data;
 *       if (set != GENHOST_METRIC_GENERATED) return GENHOST_OK;
 *       const float* v = (const float*)genhost_tensor_data(x);
 *       for (int64_t i = 0, n = genhost_tensor_numel(x); i < n; ++i) m->sum += v[i];
 *       m->count += genhost_tensor_numel(x); return GENHOST_OK; }
 *   static genhost_status mp_compute(genhost_plugin* p, double* out) {
 *       mean_pixel* m = (mean_pixel*)p->plugin_data;
 *       out[0] = m->count ? m->sum / (double)m->count : 0.0; return GENHOST_OK; }
 *   static const genhost_metric mp_metric = {sizeof(genhost_metric), mp_value_count,
 *       mp_value_name, mp_reset, mp_update, mp_compute, NULL};
 *
 *   static void mp_destroy(genhost_plugin* p) { free(p->plugin_data); }
 *   static const void* mp_get_extension(const genhost_plugin* p, const char* id) {
 *       (void)p; return strcmp(id, GENHOST_EXT_METRIC) == 0 ? &mp_metric : NULL; }
 *   static const char* mp_last_error(const genhost_plugin* p) { (void)p; return ""; }
 *
 *   static const char* const mp_features[] = {"example", NULL};
 *   static const genhost_plugin_descriptor mp_descriptor = {
 *       sizeof(genhost_plugin_descriptor), GENHOST_PLUGIN_KIND_METRIC,
 *       "com.example.mean-pixel", "Mean pixel", "1.0.0", "Example Inc.",
 *       "Mean pixel value of generated images.", mp_features,
 *       "{\"type\": \"object\", \"properties\": {}}"};
 *
 *   static uint32_t f_count(const genhost_plugin_factory* f) { (void)f; return 1; }
 *   static const genhost_plugin_descriptor* f_get(const genhost_plugin_factory* f, uint32_t i) {
 *       (void)f; return i == 0 ? &mp_descriptor : NULL; }
 *   static genhost_status f_create(const genhost_plugin_factory* f, const genhost_host* host,
 *           const char* id, const char* params, const genhost_data_info* data,
 *           genhost_plugin** out, char* error, size_t capacity) {
 *       (void)f; (void)host; (void)id; (void)params; (void)data; (void)error; (void)capacity;
 *       mean_pixel* m = calloc(1, sizeof *m);
 *       if (!m) return GENHOST_ERROR_OUT_OF_MEMORY;
 *       m->base = (genhost_plugin){sizeof(genhost_plugin), &mp_descriptor, m,
 *                                  mp_destroy, mp_get_extension, mp_last_error};
 *       *out = &m->base; return GENHOST_OK; }
 *   static const genhost_plugin_factory factory = {sizeof factory, f_count, f_get, f_create};
 *   static const void* get_factory(const char* id) {
 *       return strcmp(id, GENHOST_PLUGIN_FACTORY_ID) == 0 ? &factory : NULL; }
 *
 *   GENHOST_EXPORT const genhost_library_entry genhost_entry = {
 *       GENHOST_ABI_VERSION_INIT, sizeof(genhost_library_entry), NULL, NULL, get_factory};
 */
#ifndef GENHOST_GENHOST_H
#define GENHOST_GENHOST_H

#include "version.h"
#include "status.h"
#include "tensor.h"
#include "host.h"
#include "plugin.h"
#include "factory.h"
#include "entry.h"
#include "ext/trainable.h"
#include "ext/generator.h"
#include "ext/denoiser.h"
#include "ext/scheduler.h"
#include "ext/metric.h"
#include "ext/latent.h"
#include "ext/likelihood.h"
#include "ext/embedder.h"
#include "ext/autoregressive.h"
#include "ext/quantizer.h"
#include "ext/translator.h"
#include "ext/style.h"

#endif /* GENHOST_GENHOST_H */
