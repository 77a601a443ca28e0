# Call graphs: Graphviz's libgvc/libcgraph with the dot layout, core (SVG)
# and cairo (PNG, PDF) plugins linked in, so no `dot` program or plugin
# configuration file is needed at run time. Optional: without it
# (-DHEAPFLAME_WITH_GRAPHVIZ=OFF) --callgraph fails with HF_EUNSUPPORTED and
# --dot, --top and the rest still work.
pkg_check_modules(HF_GVC QUIET IMPORTED_TARGET libgvc libcgraph)
option(HEAPFLAME_WITH_GRAPHVIZ "Draw call graphs in-process with Graphviz (libgvc)" ${HF_GVC_FOUND})
set(HF_GRAPH_PC_REQUIRES "")
set(HF_GRAPH_PC_LIBS "")
if(HEAPFLAME_WITH_GRAPHVIZ)
  if(NOT HF_GVC_FOUND)
    message(FATAL_ERROR "HEAPFLAME_WITH_GRAPHVIZ is ON but libgvc/libcgraph were not found "
      "(Debian: libgraphviz-dev); configure with -DHEAPFLAME_WITH_GRAPHVIZ=OFF to build without")
  endif()
  pkg_get_variable(HF_GVC_LIBDIR libgvc libdir)
  set(HF_GV_PLUGIN_DIR "${HF_GVC_LIBDIR}/graphviz")
  foreach(plugin dot_layout core pango)
    find_library(HF_GV_PLUGIN_${plugin} gvplugin_${plugin} PATHS "${HF_GV_PLUGIN_DIR}"
      NO_DEFAULT_PATH REQUIRED)
    target_link_libraries(heapflame PRIVATE "${HF_GV_PLUGIN_${plugin}}")
  endforeach()
  target_link_libraries(heapflame PRIVATE PkgConfig::HF_GVC)
  target_compile_definitions(heapflame PRIVATE HF_HAVE_GRAPHVIZ)
  # The plugin libraries live outside the loader's search path.
  list(APPEND CMAKE_INSTALL_RPATH "${HF_GV_PLUGIN_DIR}")
  set(HF_GRAPH_PC_REQUIRES "libgvc libcgraph")
  set(HF_GRAPH_PC_LIBS "-L${HF_GV_PLUGIN_DIR} -Wl,-rpath,${HF_GV_PLUGIN_DIR} -lgvplugin_dot_layout -lgvplugin_core -lgvplugin_pango")
else()
  message(STATUS "Graphviz off: --callgraph (SVG, PNG, PDF) unsupported; --dot still works")
endif()
