/* The ABI headers compile as C11 with -Wall -Wextra -pedantic -Werror, and their
 * structs have the layout the ABI promises (a layout change is an ABI break). */
#include <genhost/genhost.h>
#include <genhost/params.h>

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

_Static_assert(offsetof(genhost_library_entry, abi_version) == 0, "the version is the entry's first field");
_Static_assert(sizeof(genhost_version) == 12, "genhost_version is three uint32_t");
_Static_assert(offsetof(genhost_plugin_descriptor, struct_size) == 0, "struct_size first");
_Static_assert(offsetof(genhost_host, struct_size) == 0, "struct_size first");

/* ABI 1.2's layout on LP64 (x86_64, aarch64), pinned (1.0's where 1.1 and 1.2 added nothing): a struct may only grow at the end in
 * a minor version (then update the number here and the changelog in version.h); any other
 * change of these numbers breaks every plugin already built. */
#if UINTPTR_MAX == 0xffffffffffffffffu
_Static_assert(sizeof(genhost_version) == 12, "genhost_version changed size: an ABI break");
_Static_assert(sizeof(genhost_library_entry) == 40, "genhost_library_entry changed size: an ABI break");
_Static_assert(sizeof(genhost_plugin_factory) == 32, "genhost_plugin_factory changed size: an ABI break");
_Static_assert(sizeof(genhost_plugin_descriptor) == 64, "genhost_plugin_descriptor changed size: an ABI break");
_Static_assert(sizeof(genhost_data_info) == 56, "genhost_data_info changed size: an ABI break");
_Static_assert(offsetof(genhost_data_info, domains) == 48, "1.4 appended domains after 1.0's 48 bytes");
_Static_assert(sizeof(genhost_plugin) == 48, "genhost_plugin changed size: an ABI break");
_Static_assert(sizeof(genhost_host) == 72, "genhost_host changed size: an ABI break");
_Static_assert(sizeof(genhost_parameter) == 40, "genhost_parameter changed size: an ABI break");
_Static_assert(sizeof(genhost_phase) == 40, "genhost_phase changed size: an ABI break");
_Static_assert(offsetof(genhost_phase, flags) == 32, "1.2 appended flags after 1.0's 32 bytes");
_Static_assert(sizeof(genhost_batch) == 72, "genhost_batch changed size: an ABI break");
_Static_assert(offsetof(genhost_batch, images_b) == 56, "1.4 appended images_b after 1.3's 56 bytes");
_Static_assert(offsetof(genhost_batch, seeds) == 48, "1.3 appended seeds after 1.2's 48 bytes");
_Static_assert(offsetof(genhost_batch, size) == 40, "1.2 appended size after 1.0's 40 bytes");
_Static_assert(sizeof(genhost_trainable) == 56, "genhost_trainable changed size: an ABI break");
_Static_assert(sizeof(genhost_sample_request) == 32, "genhost_sample_request changed size: an ABI break");
_Static_assert(offsetof(genhost_sample_request, seeds) == 24, "1.1 appended seeds after 1.0's 24 bytes");
_Static_assert(sizeof(genhost_generator) == 32, "genhost_generator changed size: an ABI break");
_Static_assert(sizeof(genhost_denoise_request) == 32, "genhost_denoise_request changed size: an ABI break");
_Static_assert(sizeof(genhost_denoiser) == 48, "genhost_denoiser changed size: an ABI break");
_Static_assert(sizeof(genhost_scheduler_step) == 40, "genhost_scheduler_step changed size: an ABI break");
_Static_assert(offsetof(genhost_scheduler_step, seeds) == 32, "1.1 appended seeds after 1.0's 32 bytes");
_Static_assert(sizeof(genhost_scheduler) == 72, "genhost_scheduler changed size: an ABI break");
_Static_assert(sizeof(genhost_metric) == 56, "genhost_metric changed size: an ABI break");
_Static_assert(offsetof(genhost_metric, update_features) == 48, "1.2 appended update_features after 1.0's 48 bytes");
_Static_assert(sizeof(genhost_embedder) == 32, "genhost_embedder changed size: an ABI break");
_Static_assert(sizeof(genhost_latent) == 40, "genhost_latent changed size: an ABI break");
_Static_assert(offsetof(genhost_latent, latent_shape) == 32, "1.3 appended latent_shape after 1.0's 32 bytes");
_Static_assert(sizeof(genhost_likelihood_request) == 40, "genhost_likelihood_request changed size: an ABI break");
_Static_assert(sizeof(genhost_likelihood) == 24, "genhost_likelihood changed size: an ABI break");
_Static_assert(offsetof(genhost_likelihood, properties) == 16, "1.2 appended properties after 1.0's 16 bytes");
_Static_assert(sizeof(genhost_autoregressive) == 48, "genhost_autoregressive changed size: an ABI break");
_Static_assert(sizeof(genhost_quantizer) == 40, "genhost_quantizer changed size: an ABI break");
_Static_assert(sizeof(genhost_translator) == 16, "genhost_translator changed size: an ABI break");
_Static_assert(sizeof(genhost_style) == 56, "genhost_style changed size: an ABI break");
/* Every struct ends, in 1.0, at its *_V1_0_LAST field: the rule of GENHOST_STRUCT_HAS. */
_Static_assert(offsetof(genhost_host, GENHOST_HOST_V1_0_LAST) + sizeof(void*) == sizeof(genhost_host), "host");
_Static_assert(offsetof(genhost_trainable, GENHOST_TRAINABLE_V1_0_LAST) + sizeof(void*) == sizeof(genhost_trainable), "trainable");
_Static_assert(offsetof(genhost_scheduler, GENHOST_SCHEDULER_V1_0_LAST) + sizeof(void*) == sizeof(genhost_scheduler), "scheduler");
_Static_assert(offsetof(genhost_plugin, GENHOST_PLUGIN_V1_0_LAST) + sizeof(void*) == sizeof(genhost_plugin), "plugin");
#endif

int main(void) {
    printf("C11: entry %zu, factory %zu, descriptor %zu, host %zu, plugin %zu bytes\n",
           sizeof(genhost_library_entry), sizeof(genhost_plugin_factory), sizeof(genhost_plugin_descriptor),
           sizeof(genhost_host), sizeof(genhost_plugin));
    return 0;
}
