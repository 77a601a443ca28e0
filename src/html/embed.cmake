# The HTML report's script and style (src/html/report.js, report.css) are
# compiled into the library as byte arrays (cmake/embed.cmake), as the flame
# graph's are: the report needs no file at run time.
hf_embed(hf_html_assets TABLE hf__html_assets HEADER "${PROJECT_SOURCE_DIR}/src/html/html.h"
  FILES "${PROJECT_SOURCE_DIR}/src/html/report.js" "${PROJECT_SOURCE_DIR}/src/html/report.css")
