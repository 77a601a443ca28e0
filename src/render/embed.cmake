# Flame graphs: themes/*.theme and the SVG's script and style are compiled
# into the library as byte arrays (cmake/embed.cmake, so the tool works uninstalled), and cairo
# + pango (PNG/PDF, font metrics) are linked when found.
file(GLOB HF_THEME_FILES CONFIGURE_DEPENDS "${PROJECT_SOURCE_DIR}/themes/*.theme")
hf_embed(hf_embedded_themes TABLE hf__embedded_themes HEADER "${PROJECT_SOURCE_DIR}/src/theme/theme.h"
  FILES ${HF_THEME_FILES} COUNT hf__embedded_theme_count NAMES hf__embedded_theme_names
  LIMIT HF_THEME_MAX_BUILTINS)
hf_embed(hf_embedded_assets TABLE hf__embedded_assets HEADER "${PROJECT_SOURCE_DIR}/src/render/render.h"
  FILES "${PROJECT_SOURCE_DIR}/src/render/flame.js" "${PROJECT_SOURCE_DIR}/src/render/flame.css"
  COUNT hf__embedded_asset_count)

pkg_check_modules(HF_CAIRO IMPORTED_TARGET cairo pangocairo)
set(HF_FLAME_PC_REQUIRES "")
if(HF_CAIRO_FOUND)
  target_link_libraries(heapflame PRIVATE PkgConfig::HF_CAIRO)
  target_compile_definitions(heapflame PRIVATE HF_HAVE_CAIRO)
  set(HF_FLAME_PC_REQUIRES "cairo pangocairo")
else()
  message(STATUS "cairo/pango not found: PNG/PDF output and font metrics disabled")
endif()

# The themes also install as files, to copy and edit for --theme.
install(FILES ${HF_THEME_FILES} DESTINATION ${CMAKE_INSTALL_DATADIR}/heapflame/themes)
