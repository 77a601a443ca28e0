# The HTML report's script and style (src/html/report.js, report.css) are
# compiled into the library as byte arrays, as src/render/embed.cmake does
# for the flame graph's: the report needs no file at run time.
set(HF_HTML_ASSET_FILES "${PROJECT_SOURCE_DIR}/src/html/report.js"
  "${PROJECT_SOURCE_DIR}/src/html/report.css")
set(HF_HTML_EMBED_C "${CMAKE_CURRENT_BINARY_DIR}/embed/hf_html_assets.c")
string(REPLACE ";" "|" HF_HTML_ASSET_ARG "${HF_HTML_ASSET_FILES}")
add_custom_command(OUTPUT "${HF_HTML_EMBED_C}"
  COMMAND ${CMAKE_COMMAND} "-DOUT=${HF_HTML_EMBED_C}" "-DASSETS=${HF_HTML_ASSET_ARG}"
    -P "${PROJECT_SOURCE_DIR}/src/html/embed_files.cmake"
  DEPENDS ${HF_HTML_ASSET_FILES} "${PROJECT_SOURCE_DIR}/src/html/embed_files.cmake"
  COMMENT "Embedding the HTML report's script and style"
  VERBATIM)
target_sources(heapflame PRIVATE "${HF_HTML_EMBED_C}")
