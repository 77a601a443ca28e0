# Flame graphs: themes/*.theme and the SVG's script and style are compiled
# into the library as byte arrays (so the tool works uninstalled), and cairo
# + pango (PNG/PDF, font metrics) are linked when found.
file(GLOB HF_THEME_FILES CONFIGURE_DEPENDS "${PROJECT_SOURCE_DIR}/themes/*.theme")
set(HF_ASSET_FILES "${PROJECT_SOURCE_DIR}/src/render/flame.js"
  "${PROJECT_SOURCE_DIR}/src/render/flame.css")
set(HF_EMBED_C "${CMAKE_CURRENT_BINARY_DIR}/embed/hf_embedded.c")
string(REPLACE ";" "|" HF_THEME_ARG "${HF_THEME_FILES}")
string(REPLACE ";" "|" HF_ASSET_ARG "${HF_ASSET_FILES}")
add_custom_command(OUTPUT "${HF_EMBED_C}"
  COMMAND ${CMAKE_COMMAND} "-DOUT=${HF_EMBED_C}" "-DTHEMES=${HF_THEME_ARG}"
    "-DASSETS=${HF_ASSET_ARG}" "-DHEADER=${PROJECT_SOURCE_DIR}/src/theme/theme.h"
    -P "${PROJECT_SOURCE_DIR}/src/render/embed_files.cmake"
  DEPENDS ${HF_THEME_FILES} ${HF_ASSET_FILES} "${PROJECT_SOURCE_DIR}/src/render/embed_files.cmake"
  COMMENT "Embedding themes and flame graph script"
  VERBATIM)
target_sources(heapflame PRIVATE "${HF_EMBED_C}")

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
