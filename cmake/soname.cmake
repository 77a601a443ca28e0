# hf_soname(VAR LIBS NAME): the run-time name (e.g. libgvc.so.6) of the
# library in LIBS (full paths, as pkg_check_modules gives them) whose file
# name starts with libNAME., for the libraries heapflame opens with dlopen
# instead of linking: the .so symlink is in the -dev package only.
function(hf_soname var libs name)
  foreach(lib IN LISTS libs)
    get_filename_component(file "${lib}" NAME)
    if(file MATCHES "^lib${name}[.-]")
      get_filename_component(real "${lib}" REALPATH)
      get_filename_component(real "${real}" NAME)
      if(real MATCHES "^(.*\\.so\\.[0-9]+)")
        set(${var} "${CMAKE_MATCH_1}" PARENT_SCOPE)
        return()
      endif()
    endif()
  endforeach()
  message(FATAL_ERROR "no run-time name for lib${name} in: ${libs}")
endfunction()
