# hf_embed(NAME TABLE table HEADER decls.h FILES f... [COUNT c] [NAMES n LIMIT m]):
# generates embed/NAME.c with cmake/embed_files.cmake (the files as byte
# arrays in an hf__embedded table), adds it to the library and to
# HF_EMBEDDED_SOURCES (made by the target heapflame_embedded).
function(hf_embed name)
  cmake_parse_arguments(E "" "TABLE;HEADER;COUNT;NAMES;LIMIT" "FILES" ${ARGN})
  set(out "${CMAKE_CURRENT_BINARY_DIR}/embed/${name}.c")
  string(REPLACE ";" "|" files_arg "${E_FILES}")
  set(script "${PROJECT_SOURCE_DIR}/cmake/embed_files.cmake")
  add_custom_command(OUTPUT "${out}"
    COMMAND ${CMAKE_COMMAND} "-DOUT=${out}" "-DHEADER=${E_HEADER}" "-DTABLE=${E_TABLE}"
      "-DFILES=${files_arg}" "-DCOUNT=${E_COUNT}" "-DNAMES=${E_NAMES}" "-DLIMIT=${E_LIMIT}"
      -P "${script}"
    DEPENDS ${E_FILES} "${script}"
    COMMENT "Embedding ${E_TABLE}"
    VERBATIM)
  target_sources(heapflame PRIVATE "${out}")
  set_property(GLOBAL APPEND PROPERTY HF_EMBEDDED_SOURCES "${out}")
endfunction()
