// liftoff/version.hpp: the library's version, kept equal to meson.build's by a test.
// SPDX-License-Identifier: MIT
#pragma once

/// The major version.
#define LIFTOFF_VERSION_MAJOR 0
/// The minor version.
#define LIFTOFF_VERSION_MINOR 1
/// The patch version.
#define LIFTOFF_VERSION_PATCH 0
/// "MAJOR.MINOR.PATCH".
#define LIFTOFF_VERSION_STRING "0.1.0"
