# SPDX-License-Identifier: MIT
"""Run packaging/conan/conanfile.py the way `conan create` would, without Conan.

Conan is not installed on liftoff's machines. This module stands in for the few parts of Conan 2's
API the recipe uses (ConanFile, copy, load, basic_layout, check_min_cppstd, Version and the
exceptions), loads the recipe against them, and calls its methods in `conan create`'s order:
set_version(), export_sources(), layout(), package_id(), validate(), build(), package() and
package_info(). The files and folders are the recipe's own doing; what stands in is Conan's
bookkeeping. write_generators() then writes, from package_info(), the files Conan's CMakeDeps
and PkgConfigDeps generators would give a consumer: `<cmake_file_name>-config.cmake` and
`<pkg_config_name>.pc`, an imitation of what those generators write, not their output.
"""
import fnmatch
import importlib.util
import os
import re
import shutil
import sys
import types


class ConanException(Exception):
    pass


class ConanInvalidConfiguration(ConanException):
    pass


class _Value:
    """One setting (`compiler`) with its sub-settings (`compiler.version`)."""

    def __init__(self, value, **subs):
        self._value = str(value)
        self._subs = subs

    def __str__(self):
        return self._value

    def __eq__(self, other):
        return str(self) == str(other)

    def __hash__(self):
        return hash(self._value)

    def __getattr__(self, name):
        if name.startswith("_") or name not in self._subs:
            raise ConanException(f"'settings.{self._value}.{name}' doesn't exist")
        return _Value(self._subs[name])

    def get_safe(self, name, default=None):
        return _Value(self._subs[name]) if self._subs.get(name) is not None else default


class Settings:
    def __init__(self, **values):
        self._values = {k: v if isinstance(v, _Value) else _Value(v) for k, v in values.items()}

    def __getattr__(self, name):
        if name.startswith("_") or name not in self._values:
            raise ConanException(f"'settings.{name}' doesn't exist")
        return self._values[name]

    def get_safe(self, dotted, default=None):
        head, _, rest = dotted.partition(".")
        value = self._values.get(head)
        if value is None:
            return default
        return value.get_safe(rest, default) if rest else value


def host_settings(compiler="gcc", version="12", cppstd="17"):
    return Settings(os="Linux", arch="x86_64", build_type="Release",
                    compiler=_Value(compiler, version=version, cppstd=cppstd, libcxx="libstdc++11"))


class Version:
    def __init__(self, value):
        self._text = str(value)
        self._parts = tuple(int(p) for p in re.findall(r"\d+", self._text))

    def _cmp(self, other):
        other = other if isinstance(other, Version) else Version(other)
        width = max(len(self._parts), len(other._parts))
        a = self._parts + (0,) * (width - len(self._parts))
        b = other._parts + (0,) * (width - len(other._parts))
        return (a > b) - (a < b)

    def __lt__(self, other):
        return self._cmp(other) < 0

    def __le__(self, other):
        return self._cmp(other) <= 0

    def __gt__(self, other):
        return self._cmp(other) > 0

    def __ge__(self, other):
        return self._cmp(other) >= 0

    def __eq__(self, other):
        return self._cmp(other) == 0

    def __str__(self):
        return self._text


class _CppInfo:
    def __init__(self):
        self.includedirs = ["include"]
        self.libdirs = ["lib"]
        self.bindirs = ["bin"]
        self.libs = []
        self.system_libs = []
        self.defines = []
        self.cxxflags = []
        self.properties = {}

    def set_property(self, name, value):
        self.properties[name] = value

    def get_property(self, name):
        return self.properties.get(name)


class _Info:
    def __init__(self, settings):
        self.settings = settings
        self.cleared = False

    def clear(self):
        self.settings = Settings()
        self.cleared = True


class _Folders:
    def __init__(self):
        self.source = ""
        self.build = ""
        self.generators = ""


class _Output:
    def info(self, message):
        print(f"conan: {message}")

    warning = info


class ConanFile:
    name = None
    version = None
    settings = None

    def __init__(self):
        self.recipe_folder = None
        self.export_sources_folder = None
        self.package_folder = None
        self.folders = _Folders()
        self.cpp_info = _CppInfo()
        self.output = _Output()
        self._source_root = None

    @property
    def source_folder(self):
        return os.path.normpath(os.path.join(self._source_root, self.folders.source))

    @property
    def ref(self):
        return f"{self.name}/{self.version}"


def copy(conanfile, pattern, src, dst, keep_path=True, excludes=None, ignore_case=True):
    """Conan 2's copy(): the files under src whose path relative to src matches pattern."""
    if pattern.startswith(".."):
        raise ConanException(f"copy: pattern '{pattern}' must not start with '..'")
    excludes = [excludes] if isinstance(excludes, str) else list(excludes or [])

    def matches(rel, pat):
        return fnmatch.fnmatchcase(rel.lower(), pat.lower()) if ignore_case else fnmatch.fnmatchcase(rel, pat)

    copied = []
    for dirpath, dirnames, names in os.walk(src):
        dirnames.sort()
        for name in sorted(names):
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, src).replace(os.sep, "/")
            if not matches(rel, pattern) or any(matches(rel, e) for e in excludes):
                continue
            target = os.path.join(dst, rel if keep_path else name)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            shutil.copy2(path, target)
            copied.append(target)
    return copied


def load(conanfile, path, encoding="utf-8"):
    with open(path, encoding=encoding) as f:
        return f.read()


def basic_layout(conanfile, src_folder=".", build_folder=None):
    conanfile.folders.source = src_folder
    build_type = conanfile.settings.get_safe("build_type")
    conanfile.folders.build = build_folder or (f"build-{str(build_type).lower()}" if build_type else "build")
    conanfile.folders.generators = os.path.join(conanfile.folders.build, "conan")


def check_min_cppstd(conanfile, cppstd, gnu_extensions=False):
    current = conanfile.settings.get_safe("compiler.cppstd")
    if current is None:
        return
    number = int(str(current).replace("gnu", ""))
    year = number + 2000 if number < 90 else number + 1900
    wanted = int(cppstd)
    if year < (wanted + 2000 if wanted < 90 else wanted + 1900):
        raise ConanInvalidConfiguration(f"Current cppstd ({current}) is lower than the required C++ standard ({cppstd}).")


def _install_stand_ins():
    """Make `import conan...` in the recipe find the stand-ins above."""
    modules = {
        "conan": {"ConanFile": ConanFile},
        "conan.errors": {"ConanException": ConanException, "ConanInvalidConfiguration": ConanInvalidConfiguration},
        "conan.tools": {},
        "conan.tools.files": {"copy": copy, "load": load},
        "conan.tools.layout": {"basic_layout": basic_layout},
        "conan.tools.build": {"check_min_cppstd": check_min_cppstd},
        "conan.tools.scm": {"Version": Version},
    }
    for name, attrs in modules.items():
        module = types.ModuleType(name)
        module.__dict__.update(attrs)
        module.__path__ = []
        sys.modules[name] = module


def load_recipe(path):
    _install_stand_ins()
    spec = importlib.util.spec_from_file_location("liftoff_conanfile", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    recipes = [v for v in vars(module).values() if isinstance(v, type) and issubclass(v, ConanFile) and v is not ConanFile]
    if len(recipes) != 1:
        raise ConanException(f"{path}: expected one ConanFile class, found {len(recipes)}")
    return recipes[0]


def new_instance(recipe_path, settings):
    conanfile = load_recipe(recipe_path)()
    conanfile.recipe_folder = os.path.dirname(os.path.abspath(recipe_path))
    conanfile.settings = settings
    return conanfile


def create(recipe_path, work, settings):
    """`conan create` up to the package: returns the recipe object, its package in work/p."""
    conanfile = new_instance(recipe_path, settings)
    if hasattr(conanfile, "set_version"):
        conanfile.set_version()
    conanfile.export_sources_folder = os.path.join(work, "es")
    os.makedirs(conanfile.export_sources_folder)
    conanfile.export_sources()
    if hasattr(conanfile, "source"):
        raise ConanException("the recipe has a source() method; this stand-in runs only exported sources")
    # The exported sources are copied to the root of the source folder; layout() may name a subfolder.
    conanfile._source_root = os.path.join(work, "s")
    shutil.copytree(conanfile.export_sources_folder, conanfile._source_root)
    conanfile.layout()
    conanfile.info = _Info(settings)
    conanfile.package_id()
    conanfile.validate()
    conanfile.build()
    conanfile.package_folder = os.path.join(work, "p")
    os.makedirs(conanfile.package_folder)
    conanfile.package()
    conanfile.package_info()
    return conanfile


def write_generators(conanfile, folder):
    """Imitate CMakeDeps and PkgConfigDeps for a header-only package: one config, one .pc."""
    info = conanfile.cpp_info
    root = conanfile.package_folder
    includes = [os.path.join(root, d) for d in info.includedirs]
    os.makedirs(folder, exist_ok=True)
    file_name = info.get_property("cmake_file_name") or conanfile.name
    target = info.get_property("cmake_target_name") or f"{conanfile.name}::{conanfile.name}"
    with open(os.path.join(folder, f"{file_name}-config.cmake"), "w", encoding="utf-8") as f:
        f.write(f"""# Imitation of what Conan's CMakeDeps writes for {conanfile.ref} (packaging/emulate/conan_create.py).
if(NOT TARGET {target})
  add_library({target} INTERFACE IMPORTED)
  set_target_properties({target} PROPERTIES
    INTERFACE_INCLUDE_DIRECTORIES "{';'.join(includes)}"
    INTERFACE_COMPILE_DEFINITIONS "{';'.join(info.defines)}"
    INTERFACE_LINK_LIBRARIES "{';'.join(info.system_libs)}")
endif()
""")
    with open(os.path.join(folder, f"{file_name}-config-version.cmake"), "w", encoding="utf-8") as f:
        f.write(f"""set(PACKAGE_VERSION "{conanfile.version}")
set(PACKAGE_VERSION_COMPATIBLE TRUE)
if(PACKAGE_FIND_VERSION AND PACKAGE_VERSION VERSION_LESS PACKAGE_FIND_VERSION)
  set(PACKAGE_VERSION_COMPATIBLE FALSE)
endif()
""")
    pc_name = info.get_property("pkg_config_name") or conanfile.name
    cflags = " ".join(f'-I"${{prefix}}/{d}"' for d in info.includedirs)
    libs = " ".join(f"-l{lib}" for lib in info.system_libs)
    with open(os.path.join(folder, f"{pc_name}.pc"), "w", encoding="utf-8") as f:
        f.write(f"""prefix={root}

Name: {pc_name}
Description: Imitation of what Conan's PkgConfigDeps writes for {conanfile.ref}
Version: {conanfile.version}
Libs: {libs}
Cflags: {cflags}
""")
