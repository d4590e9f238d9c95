# genhost_add_plugin(<target> SOURCES <files>... [LINK <libs>...] [OUTPUT_DIRECTORY <dir>])
#
# Builds a genhost plugin: a MODULE library that exports exactly one symbol,
# `genhost_entry` (docs/abi.md). Everything else is hidden, so two plugins never
# clash over a C++ symbol they both happen to contain. Installed with the SDK, so
# third-party plugins are built by exactly the same rule as ours.
set(_GENHOST_PLUGIN_MAP "${CMAKE_CURRENT_LIST_DIR}/genhost_plugin.map")

function(genhost_add_plugin target)
  cmake_parse_arguments(ARG "" "OUTPUT_DIRECTORY" "SOURCES;LINK" ${ARGN})
  add_library(${target} MODULE ${ARG_SOURCES})
  target_link_libraries(${target} PRIVATE genhost::sdk ${ARG_LINK})
  set_target_properties(${target} PROPERTIES
    PREFIX ""
    C_VISIBILITY_PRESET hidden
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  target_link_options(${target} PRIVATE
    "LINKER:--version-script=${_GENHOST_PLUGIN_MAP}" "LINKER:--no-undefined")
  if(ARG_OUTPUT_DIRECTORY)
    set_target_properties(${target} PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${ARG_OUTPUT_DIRECTORY})
  elseif(DEFINED GENHOST_PLUGIN_OUTPUT_DIR)
    # genhost's own plugins: into the build's plugin folder, and installed beside genhost.
    set_target_properties(${target} PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${GENHOST_PLUGIN_OUTPUT_DIR})
    install(TARGETS ${target} LIBRARY DESTINATION ${GENHOST_PLUGIN_SUBDIR})
  endif()
endfunction()
