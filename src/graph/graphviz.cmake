# Call graphs: Graphviz's libgvc/libcgraph with the dot layout, core (SVG)
# and cairo (PNG, PDF) plugins, opened in-process by the runs that draw one,
# so no `dot` program or plugin configuration file is needed at run time.
# Optional: without it
# (-DHEAPFLAME_WITH_GRAPHVIZ=OFF) --callgraph fails with HF_EUNSUPPORTED and
# --dot, --top and the rest still work.
pkg_check_modules(HF_GVC QUIET IMPORTED_TARGET libgvc libcgraph)
option(HEAPFLAME_WITH_GRAPHVIZ "Draw call graphs in-process with Graphviz (libgvc)" ${HF_GVC_FOUND})
if(HEAPFLAME_WITH_GRAPHVIZ)
  if(NOT HF_GVC_FOUND)
    message(FATAL_ERROR "HEAPFLAME_WITH_GRAPHVIZ is ON but libgvc/libcgraph were not found "
      "(Debian: libgraphviz-dev); configure with -DHEAPFLAME_WITH_GRAPHVIZ=OFF to build without")
  endif()
  pkg_get_variable(HF_GVC_LIBDIR libgvc libdir)
  set(HF_GV_PLUGIN_DIR "${HF_GVC_LIBDIR}/graphviz")
  # Opened at run time by the runs that draw a call graph
  # (src/graph/render.c): the headers here, the run-time names of libgvc
  # (which brings libcgraph) and of the plugins.
  hf_soname(HF_GVC_SONAME "${HF_GVC_LINK_LIBRARIES}" "gvc")
  set(HF_GV_DEFINITIONS HF_HAVE_GRAPHVIZ "HF_GVC_SONAME=\"${HF_GVC_SONAME}\""
    "HF_GV_PLUGIN_DIR=\"${HF_GV_PLUGIN_DIR}\"")
  foreach(plugin dot_layout core pango)
    find_library(HF_GV_PLUGIN_${plugin} gvplugin_${plugin} PATHS "${HF_GV_PLUGIN_DIR}"
      NO_DEFAULT_PATH REQUIRED)
    hf_soname(HF_GV_${plugin}_SONAME "${HF_GV_PLUGIN_${plugin}}" "gvplugin_${plugin}")
    string(TOUPPER "${plugin}" PLUGIN)
    list(APPEND HF_GV_DEFINITIONS "HF_GV_${PLUGIN}_SONAME=\"${HF_GV_${plugin}_SONAME}\"")
  endforeach()
  target_include_directories(heapflame PRIVATE ${HF_GVC_INCLUDE_DIRS})
  target_link_libraries(heapflame PRIVATE ${CMAKE_DL_LIBS})
  target_compile_definitions(heapflame PRIVATE ${HF_GV_DEFINITIONS})
else()
  message(STATUS "Graphviz off: --callgraph (SVG, PNG, PDF) unsupported; --dot still works")
endif()
