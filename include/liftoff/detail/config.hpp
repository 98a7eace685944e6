// liftoff/detail/config.hpp: what a translation unit compiles of liftoff. Header-only (the
// default): everything. With LIFTOFF_SEPARATE_COMPILATION, a unit that also defines
// LIFTOFF_IMPLEMENTATION compiles the implementation once; every other one sees only the
// public types and declarations (separate.hpp), so it parses neither the platform headers nor
// the implementation.
// SPDX-License-Identifier: MIT
#pragma once

#if defined(LIFTOFF_SEPARATE_COMPILATION)
// The few non-template functions are compiled once, in the implementation unit.
#define LIFTOFF_API
#else
#define LIFTOFF_API inline
#endif

#if defined(LIFTOFF_SEPARATE_COMPILATION) && !defined(LIFTOFF_IMPLEMENTATION)
#define LIFTOFF_DETAIL_DEFINE_API 0
// liftoff's own tests look inside (detail::) while linking the implementation unit.
#if defined(LIFTOFF_DETAIL_INTERNALS)
#define LIFTOFF_DETAIL_DEFINITIONS 1
#else
#define LIFTOFF_DETAIL_DEFINITIONS 0
#endif
#else
#define LIFTOFF_DETAIL_DEFINE_API 1
#define LIFTOFF_DETAIL_DEFINITIONS 1
#endif
