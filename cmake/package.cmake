# `cpack -G DEB` in a build configured with -DCMAKE_INSTALL_PREFIX=/usr:
# one package, heapflame, holding everything `cmake --install` installs,
# its dependencies worked out by dpkg-shlibdeps from the libraries the
# binaries link. CI builds, installs, runs and purges it (scripts/ci-deb.sh).
set(CPACK_PACKAGE_NAME heapflame)
set(CPACK_PACKAGE_VENDOR "heapflame")
set(CPACK_PACKAGE_CONTACT "heapflame maintainers <heapflame@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
  "flame graphs, call graphs and pprof's reports from Go profiles")
set(CPACK_PACKAGE_DESCRIPTION
  "heapflame turns Go profiles (heap, CPU; pprof protobuf, legacy text, collapsed stacks) into interactive flame graphs, pprof-style call graphs and pprof's text reports, equal to go tool pprof's byte for byte. The package has the heapflame command, its man page and bash completion, and the C library (shared and static) with its header, pkg-config file and CMake package.")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_GENERATOR DEB)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# libcurl (a URL fetched), cairo/pango (PNG, PDF, font metrics) and
# Graphviz (--callgraph) are opened at run time (src/util/dl.c), so
# dpkg-shlibdeps does not see them: named here.
set(HF_DEB_DEPENDS "")
if(HEAPFLAME_WITH_CURL)
  list(APPEND HF_DEB_DEPENDS "libcurl4")
endif()
if(HF_CAIRO_FOUND)
  list(APPEND HF_DEB_DEPENDS "libcairo2" "libpango-1.0-0" "libpangocairo-1.0-0")
endif()
if(HEAPFLAME_WITH_GRAPHVIZ)
  # libgvc6 holds the plugins (dot layout, core, pango) too
  list(APPEND HF_DEB_DEPENDS "libgvc6" "libcgraph6")
endif()
string(REPLACE ";" ", " CPACK_DEBIAN_PACKAGE_DEPENDS "${HF_DEB_DEPENDS}")
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)
set(CPACK_STRIP_FILES ON)
include(CPack)
