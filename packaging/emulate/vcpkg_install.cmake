# packaging/emulate/vcpkg_install.cmake: run a port's portfile.cmake the way `vcpkg install` would, without vcpkg.
# SPDX-License-Identifier: MIT
#
#   cmake -DPORT_DIR=<port> -DVCPKG_ROOT=<scratch> [-DFEATURES=<feature;...>] -P packaging/emulate/vcpkg_install.cmake
#
# vcpkg is not installed on liftoff's machines. This script sets the variables vcpkg gives a
# portfile (for the x64-linux triplet), defines stand-ins for the vcpkg helpers the liftoff port
# calls, each doing the files-and-folders work the vcpkg helper of that name is documented to
# do (release builds only), and includes the portfile. FEATURES are the port's features asked for
# (`vcpkg install <port>[<feature>]`); each must be declared in vcpkg.json, and the portfile sees
# them with "core" first, as vcpkg gives them. A feature's "supports" expression is printed, not
# evaluated (this stand-in builds x64-linux only). It leaves the port's package in
# ${VCPKG_ROOT}/packages/<port>_x64-linux; packaging/check then lints it and copies it to
# ${VCPKG_ROOT}/installed/x64-linux, as vcpkg does.
cmake_minimum_required(VERSION 3.20)

file(READ "${PORT_DIR}/vcpkg.json" manifest)
string(JSON PORT GET "${manifest}" name)
string(JSON VERSION GET "${manifest}" version)
foreach(feature IN LISTS FEATURES)
  string(JSON description ERROR_VARIABLE missing GET "${manifest}" features "${feature}" description)
  if(missing)
    message(FATAL_ERROR "${PORT} has no feature '${feature}' in ${PORT_DIR}/vcpkg.json")
  endif()
  string(JSON supports ERROR_VARIABLE no_supports GET "${manifest}" features "${feature}" supports)
  if(no_supports)
    set(supports "any platform")
  endif()
  message(STATUS "feature ${feature} (supports ${supports}): ${description}")
endforeach()
list(PREPEND FEATURES core)
set(TARGET_TRIPLET x64-linux)
set(VCPKG_TARGET_ARCHITECTURE x64)
set(VCPKG_CMAKE_SYSTEM_NAME Linux)
set(VCPKG_TARGET_IS_LINUX ON)
set(VCPKG_LIBRARY_LINKAGE static)
set(VCPKG_CRT_LINKAGE dynamic)
set(CURRENT_PORT_DIR "${PORT_DIR}")
set(CURRENT_PACKAGES_DIR "${VCPKG_ROOT}/packages/${PORT}_${TARGET_TRIPLET}")
set(CURRENT_INSTALLED_DIR "${VCPKG_ROOT}/installed/${TARGET_TRIPLET}")
set(CURRENT_BUILDTREES_DIR "${VCPKG_ROOT}/buildtrees/${PORT}")
file(REMOVE_RECURSE "${CURRENT_PACKAGES_DIR}" "${CURRENT_BUILDTREES_DIR}")
file(MAKE_DIRECTORY "${CURRENT_PACKAGES_DIR}" "${CURRENT_BUILDTREES_DIR}" "${CURRENT_INSTALLED_DIR}")

function(z_run)
  message(STATUS "$ ${ARGN}")
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "failed (${rc}):\n${out}")
  endif()
endfunction()

# vcpkg_check_linkage: a port that builds only static libraries turns a dynamic triplet's
# linkage into static, with a note, as vcpkg does.
function(vcpkg_check_linkage)
  cmake_parse_arguments(PARSE_ARGV 0 arg "ONLY_STATIC_LIBRARY;ONLY_DYNAMIC_LIBRARY;ONLY_DYNAMIC_CRT;ONLY_STATIC_CRT" "" "")
  if(NOT arg_ONLY_STATIC_LIBRARY OR arg_ONLY_DYNAMIC_LIBRARY OR arg_ONLY_DYNAMIC_CRT OR arg_ONLY_STATIC_CRT)
    message(FATAL_ERROR "vcpkg_check_linkage: this stand-in knows ONLY_STATIC_LIBRARY only")
  endif()
  if(VCPKG_LIBRARY_LINKAGE STREQUAL "dynamic")
    message(STATUS "Note: ${PORT} only supports static library linkage. Building static library.")
    set(VCPKG_LIBRARY_LINKAGE static PARENT_SCOPE)
  endif()
endfunction()

function(z_release_only name)
  if(NOT VCPKG_BUILD_TYPE STREQUAL "release")
    message(FATAL_ERROR "${name}: this stand-in does release builds only (set(VCPKG_BUILD_TYPE release))")
  endif()
endfunction()

# vcpkg-tool-meson: configure a release build with vcpkg's fixed options, installing into the package.
function(vcpkg_configure_meson)
  cmake_parse_arguments(PARSE_ARGV 0 arg "NO_PKG_CONFIG" "SOURCE_PATH"
    "OPTIONS;OPTIONS_DEBUG;OPTIONS_RELEASE;LANGUAGES;ADDITIONAL_BINARIES;ADDITIONAL_PROPERTIES")
  z_release_only(vcpkg_configure_meson)
  find_program(MESON meson REQUIRED)
  set(build "${CURRENT_BUILDTREES_DIR}/${TARGET_TRIPLET}-rel")
  z_run("${MESON}" setup "${build}" "${arg_SOURCE_PATH}"
    --backend ninja --wrap-mode nodownload -Doptimization=plain
    --libdir lib -Dpkgconfig.relocatable=true -Ddebug=false --prefix "${CURRENT_PACKAGES_DIR}"
    ${arg_OPTIONS} ${arg_OPTIONS_RELEASE})
  set_property(GLOBAL PROPERTY z_meson_build "${build}")
endfunction()

function(vcpkg_install_meson)
  get_property(build GLOBAL PROPERTY z_meson_build)
  find_program(MESON meson REQUIRED)
  z_run("${MESON}" install -C "${build}")
endfunction()

# vcpkg-cmake-config: move the config files to share/<package> and correct the path from there to
# the prefix (two folders up) and any absolute path into the package.
function(vcpkg_cmake_config_fixup)
  cmake_parse_arguments(PARSE_ARGV 0 arg "DO_NOT_DELETE_PARENT_CONFIG_PATH;NO_PREFIX_CORRECTION"
    "PACKAGE_NAME;CONFIG_PATH" "")
  z_release_only(vcpkg_cmake_config_fixup)
  if(NOT arg_PACKAGE_NAME)
    set(arg_PACKAGE_NAME "${PORT}")
  endif()
  if(NOT arg_CONFIG_PATH)
    set(arg_CONFIG_PATH "share/${arg_PACKAGE_NAME}")
  endif()
  set(share "${CURRENT_PACKAGES_DIR}/share/${arg_PACKAGE_NAME}")
  if(NOT arg_CONFIG_PATH STREQUAL "share/${arg_PACKAGE_NAME}")
    set(config "${CURRENT_PACKAGES_DIR}/${arg_CONFIG_PATH}")
    if(NOT EXISTS "${config}")
      message(FATAL_ERROR "vcpkg_cmake_config_fixup: '${config}' does not exist.")
    endif()
    file(GLOB files "${config}/*")
    file(COPY ${files} DESTINATION "${share}")
    file(REMOVE_RECURSE "${config}")
    # The folder named cmake that held the configuration goes too.
    get_filename_component(parent "${config}" DIRECTORY)
    get_filename_component(parent_name "${parent}" NAME)
    string(TOLOWER "${parent_name}" parent_name)
    if(parent_name STREQUAL "cmake" AND NOT arg_DO_NOT_DELETE_PARENT_CONFIG_PATH)
      file(REMOVE_RECURSE "${parent}")
    endif()
  endif()
  file(GLOB_RECURSE cmake_files "${share}/*.cmake")
  foreach(f IN LISTS cmake_files)
    file(READ "${f}" contents)
    if(NOT arg_NO_PREFIX_CORRECTION)
      # configure_package_config_file()'s PACKAGE_PREFIX_DIR, in CMake's spelling and in Meson's.
      string(REGEX REPLACE
        [[get_filename_component\(PACKAGE_PREFIX_DIR "\${CMAKE_CURRENT_LIST_DIR}/\.\.((\\|/)\.\.)*/?" ABSOLUTE\)]]
        [[get_filename_component(PACKAGE_PREFIX_DIR "${CMAKE_CURRENT_LIST_DIR}/../../" ABSOLUTE)]]
        contents "${contents}")
    endif()
    string(REPLACE "${CURRENT_INSTALLED_DIR}" [[${_IMPORT_PREFIX}]] contents "${contents}")
    string(REPLACE "${CURRENT_PACKAGES_DIR}" [[${_IMPORT_PREFIX}]] contents "${contents}")
    file(WRITE "${f}" "${contents}")
  endforeach()
endfunction()

# Make every .pc file relative to its own place: the package's absolute paths become ${prefix}
# and prefix=${pcfiledir}/<path up to the package>; -I/-L/-l paths built on a variable are quoted.
# (On a static triplet vcpkg also folds the .private lines into the public ones; liftoff.pc has
# none, and this stand-in refuses files that do.) Then pkg-config --exists each one.
function(vcpkg_fixup_pkgconfig)
  cmake_parse_arguments(PARSE_ARGV 0 arg "SKIP_CHECK" "" "RELEASE_FILES;DEBUG_FILES")
  z_release_only(vcpkg_fixup_pkgconfig)
  if(NOT DEFINED arg_RELEASE_FILES)
    file(GLOB_RECURSE arg_RELEASE_FILES "${CURRENT_PACKAGES_DIR}/*.pc")
  endif()
  foreach(f IN LISTS arg_RELEASE_FILES)
    get_filename_component(dir "${f}" DIRECTORY)
    file(RELATIVE_PATH up "${dir}" "${CURRENT_PACKAGES_DIR}")
    string(REGEX REPLACE "/$" "" up "${up}")
    file(STRINGS "${f}" lines)
    set(body "")
    foreach(line IN LISTS lines)
      if(line MATCHES "^[A-Za-z]+\\.private:")
        message(FATAL_ERROR "vcpkg_fixup_pkgconfig: ${f}: this stand-in does not fold .private lines")
      endif()
      if(line MATCHES "^[ \t]*prefix[ \t]*=")
        continue()
      endif()
      foreach(root IN ITEMS "${CURRENT_PACKAGES_DIR}" "${CURRENT_INSTALLED_DIR}")
        string(REPLACE "${root}" "\${prefix}" line "${line}")
      endforeach()
      string(REGEX REPLACE "([ \t])-([ILl])(\\$\\{[^}]+\\}[^ \t]*)" "\\1-\\2\"\\3\"" line "${line}")
      string(APPEND body "${line}\n")
    endforeach()
    file(WRITE "${f}" "prefix=\${pcfiledir}/${up}\n${body}")
  endforeach()
  if(NOT arg_SKIP_CHECK)
    find_program(PKGCONFIG pkg-config REQUIRED)
    set(path "")
    foreach(root IN ITEMS "${CURRENT_PACKAGES_DIR}" "${CURRENT_INSTALLED_DIR}")
      string(APPEND path "${root}/lib/pkgconfig:${root}/share/pkgconfig:")
    endforeach()
    set(ENV{PKG_CONFIG_PATH} "${path}")
    foreach(f IN LISTS arg_RELEASE_FILES)
      get_filename_component(name "${f}" NAME_WLE)
      z_run("${PKGCONFIG}" --print-errors --exists "${name}")
    endforeach()
  endif()
endfunction()

function(vcpkg_install_copyright)
  cmake_parse_arguments(PARSE_ARGV 0 arg "" "COMMENT" "FILE_LIST")
  set(out "${CURRENT_PACKAGES_DIR}/share/${PORT}/copyright")
  list(LENGTH arg_FILE_LIST count)
  if(count EQUAL 0)
    message(FATAL_ERROR "vcpkg_install_copyright: FILE_LIST is empty")
  endif()
  set(text "")
  if(arg_COMMENT)
    string(APPEND text "${arg_COMMENT}\n\n")
  endif()
  foreach(f IN LISTS arg_FILE_LIST)
    file(READ "${f}" body)
    if(count GREATER 1)
      get_filename_component(name "${f}" NAME)
      string(APPEND text "${name}:\n\n")
    endif()
    string(APPEND text "${body}")
  endforeach()
  file(WRITE "${out}" "${text}")
endfunction()

include("${PORT_DIR}/portfile.cmake")
