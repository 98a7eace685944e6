// liftoff/version.hpp: the library's version, kept equal to meson.build's by a test.
// SPDX-License-Identifier: MIT
#pragma once

#define LIFTOFF_VERSION_MAJOR 0
#define LIFTOFF_VERSION_MINOR 1
#define LIFTOFF_VERSION_PATCH 0
#define LIFTOFF_VERSION_STRING "0.1.0"
