# packaging/conan/conanfile.py: a Conan 2 recipe for liftoff, header-only or compiled, in conan-center-index's style.
# SPDX-License-Identifier: MIT
#
#   conan create packaging/conan --build=missing                                (header-only)
#   conan create packaging/conan --build=missing -o "liftoff/*:header_only=False"  (libliftoff)
#
# header_only (default True) is the option conan-center's fmt and spdlog recipes have: False
# builds libliftoff.a (src/liftoff.cpp, with this tree's CMakeLists.txt), and the package's users
# get LIFTOFF_SEPARATE_COMPILATION and the library, through the same target liftoff::liftoff
# (liftoff::compiled is its alias, as the CMake package names it). Static only: liftoff has no
# export annotations for a DLL.
#
# The recipe packages the tree it lives in (export_sources() takes what it builds from two
# folders up), so it works from a clone before liftoff has a release to download. For
# conan-center-index, export_sources() and set_version() give way to a conandata.yml and
# source() with get(self, **self.conan_data["sources"][self.version], strip_root=True).
import os
import re

from conan import ConanFile
from conan.errors import ConanException, ConanInvalidConfiguration
from conan.tools.build import check_min_cppstd
from conan.tools.cmake import CMake, CMakeToolchain, cmake_layout
from conan.tools.files import copy, load, rmdir
from conan.tools.layout import basic_layout
from conan.tools.scm import Version

required_conan_version = ">=2.0"


class LiftoffConan(ConanFile):
    name = "liftoff"
    description = "Start other programs, and say why when they won't start: a C++17 library, header-only or compiled."
    license = "MIT"
    topics = ("process", "subprocess", "spawn", "launcher", "header-only")
    package_type = "header-library"  # configure() makes it "static-library" with header_only=False
    settings = "os", "arch", "compiler", "build_type"
    options = {"header_only": [True, False], "fPIC": [True, False]}
    default_options = {"header_only": True, "fPIC": True}
    no_copy_source = True

    @property
    def _tree(self):
        return os.path.join(self.recipe_folder, "..", "..")

    @property
    def _min_cppstd(self):
        return 17

    @property
    def _compilers_minimum_version(self):
        # <filesystem> without a separate library, <string_view>, <optional>.
        return {"gcc": "9", "clang": "9", "apple-clang": "11", "msvc": "192"}

    def set_version(self):
        header = load(self, os.path.join(self._tree, "include", "liftoff", "version.hpp"))
        found = re.search(r'#define LIFTOFF_VERSION_STRING "([^"]+)"', header)
        if not found:
            raise ConanException("include/liftoff/version.hpp has no LIFTOFF_VERSION_STRING")
        if self.version and str(self.version) != found.group(1):
            raise ConanException(
                f"--version {self.version} is not the version of this tree ({found.group(1)})")
        self.version = found.group(1)

    def export_sources(self):
        copy(self, "LICENSE", self._tree, self.export_sources_folder)
        # Every file under include/: the headers and the definitions they include (impl/*.inl).
        copy(self, "*", os.path.join(self._tree, "include"), os.path.join(self.export_sources_folder, "include"))
        # What the compiled library is built and installed from.
        copy(self, "CMakeLists.txt", self._tree, self.export_sources_folder)
        copy(self, "liftoff.cpp", os.path.join(self._tree, "src"), os.path.join(self.export_sources_folder, "src"))
        for templates in ("cmake", "pkgconfig"):
            copy(self, "*.in", os.path.join(self._tree, "packaging", templates),
                 os.path.join(self.export_sources_folder, "packaging", templates))

    def config_options(self):
        if self.settings.os == "Windows":
            del self.options.fPIC

    def configure(self):
        if self.options.header_only:
            self.options.rm_safe("fPIC")
        else:
            self.package_type = "static-library"

    def layout(self):
        # The exported sources are the root of the source folder.
        if self.options.header_only:
            basic_layout(self)
        else:
            cmake_layout(self)

    def package_id(self):
        if self.info.options.header_only:
            self.info.clear()

    def validate(self):
        if self.settings.compiler.get_safe("cppstd"):
            check_min_cppstd(self, self._min_cppstd)
        minimum_version = self._compilers_minimum_version.get(str(self.settings.compiler), False)
        if minimum_version and Version(self.settings.compiler.version) < minimum_version:
            raise ConanInvalidConfiguration(
                f"{self.ref} requires C++{self._min_cppstd}, which your compiler does not support.")

    def generate(self):
        if not self.options.header_only:
            toolchain = CMakeToolchain(self)
            toolchain.cache_variables["LIFTOFF_HEADER_ONLY"] = False
            toolchain.generate()

    def build(self):
        if not self.options.header_only:
            cmake = CMake(self)
            cmake.configure()
            cmake.build()

    def package(self):
        copy(self, "LICENSE", self.source_folder, os.path.join(self.package_folder, "licenses"))
        if self.options.header_only:
            copy(self, "*", os.path.join(self.source_folder, "include"),
                 os.path.join(self.package_folder, "include"))
            return
        CMake(self).install()
        # Conan's generators describe the package; liftoff's own CMake and pkg-config files go.
        rmdir(self, os.path.join(self.package_folder, "lib", "cmake"))
        rmdir(self, os.path.join(self.package_folder, "lib", "pkgconfig"))

    def package_info(self):
        self.cpp_info.set_property("cmake_file_name", "liftoff")
        self.cpp_info.set_property("cmake_target_name", "liftoff::liftoff")
        self.cpp_info.set_property("pkg_config_name", "liftoff")
        self.cpp_info.bindirs = []
        if self.options.header_only:
            self.cpp_info.libdirs = []
        else:
            self.cpp_info.libs = ["liftoff"]
            self.cpp_info.defines = ["LIFTOFF_SEPARATE_COMPILATION"]
            self.cpp_info.set_property("cmake_target_aliases", ["liftoff::compiled"])
        if self.settings.os in ["Linux", "FreeBSD"]:
            self.cpp_info.system_libs.append("pthread")
