# packaging/conan/conanfile.py: a Conan 2 recipe for liftoff, header-only, in conan-center-index's style.
# SPDX-License-Identifier: MIT
#
#   conan create packaging/conan --build=missing      (from a clone of liftoff)
#
# The recipe packages the tree it lives in (export_sources() takes include/ and LICENSE from two
# folders up), so it works from a clone before liftoff has a release to download. For
# conan-center-index, export_sources() and set_version() give way to a conandata.yml and
# source() with get(self, **self.conan_data["sources"][self.version], strip_root=True).
import os
import re

from conan import ConanFile
from conan.errors import ConanException, ConanInvalidConfiguration
from conan.tools.build import check_min_cppstd
from conan.tools.files import copy, load
from conan.tools.layout import basic_layout
from conan.tools.scm import Version

required_conan_version = ">=2.0"


class LiftoffConan(ConanFile):
    name = "liftoff"
    description = "Start other programs, and say why when they won't start: a header-only C++17 library."
    license = "MIT"
    topics = ("process", "subprocess", "spawn", "launcher", "header-only")
    package_type = "header-library"
    settings = "os", "arch", "compiler", "build_type"
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
        for pattern in ("*.hpp", "*.inl"):
            copy(self, pattern, os.path.join(self._tree, "include"), os.path.join(self.export_sources_folder, "include"))

    def layout(self):
        # The exported sources are the root of the source folder.
        basic_layout(self)

    def package_id(self):
        self.info.clear()

    def validate(self):
        if self.settings.compiler.get_safe("cppstd"):
            check_min_cppstd(self, self._min_cppstd)
        minimum_version = self._compilers_minimum_version.get(str(self.settings.compiler), False)
        if minimum_version and Version(self.settings.compiler.version) < minimum_version:
            raise ConanInvalidConfiguration(
                f"{self.ref} requires C++{self._min_cppstd}, which your compiler does not support.")

    def build(self):
        pass

    def package(self):
        copy(self, "LICENSE", self.source_folder, os.path.join(self.package_folder, "licenses"))
        for pattern in ("*.hpp", "*.inl"):
            copy(self, pattern, os.path.join(self.source_folder, "include"), os.path.join(self.package_folder, "include"))

    def package_info(self):
        self.cpp_info.set_property("cmake_file_name", "liftoff")
        self.cpp_info.set_property("cmake_target_name", "liftoff::liftoff")
        self.cpp_info.set_property("pkg_config_name", "liftoff")
        self.cpp_info.bindirs = []
        self.cpp_info.libdirs = []
        if self.settings.os in ["Linux", "FreeBSD"]:
            self.cpp_info.system_libs.append("pthread")
