# packaging/vcpkg/ports/liftoff/portfile.cmake: vcpkg port of liftoff (header-only), used as an
# overlay port from a clone: vcpkg install liftoff --overlay-ports=<clone>/packaging/vcpkg/ports
# SPDX-License-Identifier: MIT
set(VCPKG_BUILD_TYPE release) # header-only: the release install is all there is

# The port installs the liftoff tree it lives in (four folders up). In a registry this becomes
# vcpkg_from_github(OUT_SOURCE_PATH SOURCE_PATH REPO <owner>/liftoff REF "v${VERSION}" SHA512 <hash>).
get_filename_component(SOURCE_PATH "${CMAKE_CURRENT_LIST_DIR}/../../../.." ABSOLUTE)

vcpkg_configure_meson(
    SOURCE_PATH "${SOURCE_PATH}"
    OPTIONS
        -Dtests=disabled
        -Dexamples=disabled
)
vcpkg_install_meson()

# share/cmake/liftoff -> share/liftoff, with the path from there to the prefix corrected.
vcpkg_cmake_config_fixup(CONFIG_PATH share/cmake/liftoff)

# liftoff.pc says `Libs: -pthread`; vcpkg keeps share/pkgconfig for .pc files without Libs.
file(MAKE_DIRECTORY "${CURRENT_PACKAGES_DIR}/lib/pkgconfig")
file(RENAME "${CURRENT_PACKAGES_DIR}/share/pkgconfig/liftoff.pc" "${CURRENT_PACKAGES_DIR}/lib/pkgconfig/liftoff.pc")
file(REMOVE_RECURSE "${CURRENT_PACKAGES_DIR}/share/pkgconfig")
vcpkg_fixup_pkgconfig()

file(INSTALL "${CMAKE_CURRENT_LIST_DIR}/usage" DESTINATION "${CURRENT_PACKAGES_DIR}/share/${PORT}")
vcpkg_install_copyright(FILE_LIST "${SOURCE_PATH}/LICENSE")
