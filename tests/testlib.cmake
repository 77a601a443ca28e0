# heapflame_test: the library again, as a static archive with the test
# hooks compiled in (HF_TEST_HOOKS: allocation-failure injection). Tests
# that reach inside the library (hf__* functions, internal headers) link
# it; the installed libheapflame has no hooks and exports only what
# include/heapflame.h declares. Included from the top directory, which
# owns the generated sources.
get_target_property(HF_LIB_SOURCES heapflame SOURCES)
add_library(heapflame_test STATIC ${HF_LIB_SOURCES})
add_dependencies(heapflame_test heapflame_embedded)
target_include_directories(heapflame_test PUBLIC
  $<TARGET_PROPERTY:heapflame,INCLUDE_DIRECTORIES>)
target_compile_definitions(heapflame_test
  PUBLIC HF_TEST_HOOKS
  PRIVATE $<TARGET_PROPERTY:heapflame,COMPILE_DEFINITIONS>)
target_compile_options(heapflame_test PRIVATE $<TARGET_PROPERTY:heapflame,COMPILE_OPTIONS>)
target_link_libraries(heapflame_test PUBLIC $<TARGET_PROPERTY:heapflame,LINK_LIBRARIES>)
