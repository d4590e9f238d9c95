/* The ABI headers compile as C11 with -Wall -Wextra -pedantic -Werror, and their
 * structs have the layout the ABI promises (a layout change is an ABI break). */
#include <genhost/genhost.h>

#include <stddef.h>
#include <stdio.h>

_Static_assert(offsetof(genhost_library_entry, abi_version) == 0, "the version is the entry's first field");
_Static_assert(sizeof(genhost_version) == 12, "genhost_version is three uint32_t");
_Static_assert(offsetof(genhost_plugin_descriptor, struct_size) == 0, "struct_size first");
_Static_assert(offsetof(genhost_host, struct_size) == 0, "struct_size first");

int main(void) {
    printf("C11: entry %zu, factory %zu, descriptor %zu, host %zu, plugin %zu bytes\n",
           sizeof(genhost_library_entry), sizeof(genhost_plugin_factory), sizeof(genhost_plugin_descriptor),
           sizeof(genhost_host), sizeof(genhost_plugin));
    return 0;
}
