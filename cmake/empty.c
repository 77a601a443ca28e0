/* libheapflame.so has no code of its own: it is libheapflame.a linked whole
 * (cmake/install.cmake), and a CMake library target needs a source. */
typedef int hf_empty_translation_unit;
