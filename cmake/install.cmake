# What `cmake --install` puts in place: the CLI (see CMakeLists.txt), the
# library as libheapflame.so and libheapflame.a, the headers, heapflame.pc,
# a CMake package (find_package(heapflame) with heapflame::heapflame, the
# shared library, and heapflame::heapflame_static), the man page, the bash
# completion and the themes (src/render/embed.cmake).
include(CMakePackageConfigHelpers)

option(HEAPFLAME_BUILD_SHARED "Build and install libheapflame.so beside libheapflame.a" ON)

if(HEAPFLAME_BUILD_SHARED)
  # The archive linked whole: the same objects, exporting the HF_EXTERN API
  # only (everything else is hidden by the visibility preset).
  if(CMAKE_VERSION VERSION_LESS 3.24)
    message(FATAL_ERROR "the shared library needs CMake 3.24 (or -DHEAPFLAME_BUILD_SHARED=OFF)")
  endif()
  add_library(heapflame_shared SHARED "${PROJECT_SOURCE_DIR}/cmake/empty.c")
  target_link_libraries(heapflame_shared PRIVATE "$<LINK_LIBRARY:WHOLE_ARCHIVE,heapflame>")
  target_include_directories(heapflame_shared INTERFACE
    $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include> $<BUILD_INTERFACE:${PROJECT_BINARY_DIR}/include>
    $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
  set_target_properties(heapflame_shared PROPERTIES OUTPUT_NAME heapflame EXPORT_NAME heapflame
    VERSION ${PROJECT_VERSION} SOVERSION ${PROJECT_VERSION_MAJOR})
endif()

# pkg-config: -lheapflame finds the shared library where both are installed,
# --static adds what the archive needs.
set(HF_PC_REQUIRES_PRIVATE "zlib libprotobuf-c")
if(LIBDEFLATE_FOUND)
  string(APPEND HF_PC_REQUIRES_PRIVATE " libdeflate")
endif()
# libcurl, cairo/pango and Graphviz are opened at run time (src/util/dl.c):
# the archive needs only dlopen (in libc since glibc 2.34, else -ldl).
set(HF_DL_PC_LIBS "")
if((HEAPFLAME_WITH_CURL OR HF_CAIRO_FOUND OR HEAPFLAME_WITH_GRAPHVIZ) AND CMAKE_DL_LIBS)
  set(HF_DL_PC_LIBS "-l${CMAKE_DL_LIBS}")
endif()
# The .pc file finds the prefix from its own place, so installs relocate.
file(RELATIVE_PATH HF_PC_TO_PREFIX "/root/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/root")
configure_file("${PROJECT_SOURCE_DIR}/heapflame.pc.in" heapflame.pc @ONLY)

set_target_properties(heapflame PROPERTIES EXPORT_NAME heapflame_static)
set(HF_INSTALL_LIBS heapflame)
if(HEAPFLAME_BUILD_SHARED)
  list(APPEND HF_INSTALL_LIBS heapflame_shared)
endif()
install(TARGETS ${HF_INSTALL_LIBS} EXPORT heapflameTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(FILES "${PROJECT_SOURCE_DIR}/include/heapflame.h"
  "${PROJECT_BINARY_DIR}/include/heapflame_version.h"
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(FILES "${PROJECT_BINARY_DIR}/heapflame.pc" DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

# The CMake package.
set(HF_CMAKE_DIR "${CMAKE_INSTALL_LIBDIR}/cmake/heapflame")
set(HF_HAVE_LIBDEFLATE_BOOL OFF)
if(LIBDEFLATE_FOUND)
  set(HF_HAVE_LIBDEFLATE_BOOL ON)
endif()
install(EXPORT heapflameTargets NAMESPACE heapflame:: DESTINATION "${HF_CMAKE_DIR}")
configure_package_config_file("${PROJECT_SOURCE_DIR}/cmake/heapflameConfig.cmake.in"
  "${PROJECT_BINARY_DIR}/heapflameConfig.cmake" INSTALL_DESTINATION "${HF_CMAKE_DIR}")
write_basic_package_version_file("${PROJECT_BINARY_DIR}/heapflameConfigVersion.cmake"
  COMPATIBILITY SameMinorVersion)
install(FILES "${PROJECT_BINARY_DIR}/heapflameConfig.cmake"
  "${PROJECT_BINARY_DIR}/heapflameConfigVersion.cmake" DESTINATION "${HF_CMAKE_DIR}")

# The man page, from its scdoc source (docs/heapflame.1.scd).
find_program(SCDOC scdoc)
set(HF_MAN_PAGE "")
if(SCDOC)
  set(HF_MAN_PAGE "${PROJECT_BINARY_DIR}/heapflame.1")
  add_custom_command(OUTPUT "${HF_MAN_PAGE}"
    COMMAND "${SCDOC}" < "${PROJECT_SOURCE_DIR}/docs/heapflame.1.scd" > "${HF_MAN_PAGE}"
    DEPENDS "${PROJECT_SOURCE_DIR}/docs/heapflame.1.scd"
    COMMENT "Building the man page heapflame.1 with scdoc")
  # Installed compressed, as Debian's policy (and lintian) want man pages;
  # -n keeps the name and time out, so the file is the same every build.
  add_custom_command(OUTPUT "${HF_MAN_PAGE}.gz"
    COMMAND gzip -9nc "${HF_MAN_PAGE}" > "${HF_MAN_PAGE}.gz"
    DEPENDS "${HF_MAN_PAGE}"
    COMMENT "Compressing the man page")
  add_custom_target(heapflame_man ALL DEPENDS "${HF_MAN_PAGE}" "${HF_MAN_PAGE}.gz")
  install(FILES "${HF_MAN_PAGE}.gz" DESTINATION "${CMAKE_INSTALL_MANDIR}/man1")
else()
  message(STATUS "scdoc not found: the man page is not built (Debian: scdoc)")
endif()

# Bash completion.
install(FILES "${PROJECT_SOURCE_DIR}/completion/heapflame.bash"
  DESTINATION "${CMAKE_INSTALL_DATADIR}/bash-completion/completions" RENAME heapflame)
