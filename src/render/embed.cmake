# Flame graphs: themes/*.theme and the SVG's script and style are compiled
# into the library as byte arrays (cmake/embed.cmake, so the tool works uninstalled), and cairo
# + pango (PNG/PDF, font metrics) are opened at run time when found.
file(GLOB HF_THEME_FILES CONFIGURE_DEPENDS "${PROJECT_SOURCE_DIR}/themes/*.theme")
hf_embed(hf_embedded_themes TABLE hf__embedded_themes HEADER "${PROJECT_SOURCE_DIR}/src/theme/theme.h"
  FILES ${HF_THEME_FILES} COUNT hf__embedded_theme_count NAMES hf__embedded_theme_names
  LIMIT HF_THEME_MAX_BUILTINS)
hf_embed(hf_embedded_assets TABLE hf__embedded_assets HEADER "${PROJECT_SOURCE_DIR}/src/render/render.h"
  FILES "${PROJECT_SOURCE_DIR}/src/render/flame.js" "${PROJECT_SOURCE_DIR}/src/render/flame.css"
  COUNT hf__embedded_asset_count)

# cairo and pango are opened at run time by the runs that draw PNG/PDF or
# measure labels (src/render/pango.c): only their headers at build time, and
# the run-time name (soname) of the pangocairo library found, whose
# dependencies bring cairo, pango and gobject.
pkg_check_modules(HF_CAIRO IMPORTED_TARGET cairo pangocairo)
if(HF_CAIRO_FOUND)
  hf_soname(HF_PANGOCAIRO_SONAME "${HF_CAIRO_LINK_LIBRARIES}" "pangocairo")
  target_include_directories(heapflame PRIVATE ${HF_CAIRO_INCLUDE_DIRS})
  target_link_libraries(heapflame PRIVATE ${CMAKE_DL_LIBS})
  target_compile_definitions(heapflame PRIVATE HF_HAVE_CAIRO
    "HF_PANGOCAIRO_SONAME=\"${HF_PANGOCAIRO_SONAME}\"")
else()
  message(STATUS "cairo/pango not found: PNG/PDF output and font metrics disabled")
endif()

# The themes also install as files, to copy and edit for --theme.
install(FILES ${HF_THEME_FILES} DESTINATION ${CMAKE_INSTALL_DATADIR}/heapflame/themes)
