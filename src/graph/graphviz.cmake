# Call graphs: Graphviz's libgvc/libcgraph with the dot layout, core (SVG)
# and cairo (PNG, PDF) plugins linked in, so no `dot` program or plugin
# configuration file is needed at run time.
pkg_check_modules(HF_GVC REQUIRED IMPORTED_TARGET libgvc libcgraph)
pkg_get_variable(HF_GVC_LIBDIR libgvc libdir)
set(HF_GV_PLUGIN_DIR "${HF_GVC_LIBDIR}/graphviz")
foreach(plugin dot_layout core pango)
  find_library(HF_GV_PLUGIN_${plugin} gvplugin_${plugin} PATHS "${HF_GV_PLUGIN_DIR}"
    NO_DEFAULT_PATH REQUIRED)
  target_link_libraries(heapflame PRIVATE "${HF_GV_PLUGIN_${plugin}}")
endforeach()
target_link_libraries(heapflame PRIVATE PkgConfig::HF_GVC)
# The plugin libraries live outside the loader's search path.
list(APPEND CMAKE_INSTALL_RPATH "${HF_GV_PLUGIN_DIR}")
set(HF_GRAPH_PC_REQUIRES "libgvc libcgraph")
set(HF_GRAPH_PC_LIBS "-L${HF_GV_PLUGIN_DIR} -Wl,-rpath,${HF_GV_PLUGIN_DIR} -lgvplugin_dot_layout -lgvplugin_core -lgvplugin_pango")
