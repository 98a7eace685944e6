# packaging/vcpkg/ports/liftoff/portfile.cmake: vcpkg port of liftoff, header-only or (feature
# `compiled`) with libliftoff, used as an overlay port from a clone:
#   vcpkg install liftoff[compiled] --overlay-ports=<clone>/packaging/vcpkg/ports
# SPDX-License-Identifier: MIT

# Header-only, the release install is all there is. The compiled library is built for release
# only too: a release static library links into debug builds with gcc and clang; MSVC's Debug
# runtime would need a debug one, which is why the feature does not support MSVC (vcpkg.json).
set(VCPKG_BUILD_TYPE release)

if("compiled" IN_LIST FEATURES)
    # Static only: liftoff has no export annotations, so a DLL would export nothing.
    vcpkg_check_linkage(ONLY_STATIC_LIBRARY)
    set(header_only false)
    set(package_dir lib) # the library's package files are architecture-specific
else()
    set(header_only true)
    set(package_dir share)
endif()

# The port installs the liftoff tree it lives in (four folders up). In a registry this becomes
# vcpkg_from_github(OUT_SOURCE_PATH SOURCE_PATH REPO <owner>/liftoff REF "v${VERSION}" SHA512 <hash>).
get_filename_component(SOURCE_PATH "${CMAKE_CURRENT_LIST_DIR}/../../../.." ABSOLUTE)

vcpkg_configure_meson(
    SOURCE_PATH "${SOURCE_PATH}"
    OPTIONS
        -Dtests=disabled
        -Dexamples=disabled
        -Dheader_only=${header_only}
)
vcpkg_install_meson()

# <package_dir>/cmake/liftoff -> share/liftoff, with the path from there to the prefix corrected.
vcpkg_cmake_config_fixup(CONFIG_PATH ${package_dir}/cmake/liftoff)

# The header-only liftoff.pc says `Libs: -pthread`; vcpkg keeps share/pkgconfig for .pc files
# without Libs. The compiled one is in lib/pkgconfig already.
if(header_only)
    file(MAKE_DIRECTORY "${CURRENT_PACKAGES_DIR}/lib/pkgconfig")
    file(RENAME "${CURRENT_PACKAGES_DIR}/share/pkgconfig/liftoff.pc" "${CURRENT_PACKAGES_DIR}/lib/pkgconfig/liftoff.pc")
    file(REMOVE_RECURSE "${CURRENT_PACKAGES_DIR}/share/pkgconfig")
endif()
vcpkg_fixup_pkgconfig()

file(INSTALL "${CMAKE_CURRENT_LIST_DIR}/usage" DESTINATION "${CURRENT_PACKAGES_DIR}/share/${PORT}")
vcpkg_install_copyright(FILE_LIST "${SOURCE_PATH}/LICENSE")
