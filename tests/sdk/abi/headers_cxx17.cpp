// The ABI headers compile as C++17 with -Wall -Wextra -pedantic -Werror, and the C and
// C++ views of every struct agree (the same numbers as headers_c11.c prints).
#include <genhost/genhost.h>
#include <genhost/params.h>

#include <cstddef>
#include <cstdio>

static_assert(offsetof(genhost_library_entry, abi_version) == 0, "the version is the entry's first field");
static_assert(sizeof(genhost_version) == 12, "genhost_version is three uint32_t");

int main() {
    std::printf("C++17: entry %zu, factory %zu, descriptor %zu, host %zu, plugin %zu bytes\n",
                sizeof(genhost_library_entry), sizeof(genhost_plugin_factory), sizeof(genhost_plugin_descriptor),
                sizeof(genhost_host), sizeof(genhost_plugin));
    return 0;
}
