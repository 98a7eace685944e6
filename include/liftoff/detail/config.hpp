// liftoff/detail/config.hpp: how the definitions in impl/ are compiled. Header-only (the
// default), they are inline and every translation unit that uses one compiles it. In the
// compiled mode (LIFTOFF_SEPARATE_COMPILATION in every unit), the one unit that also defines
// LIFTOFF_IMPLEMENTATION compiles them once, as ordinary functions (see liftoff.hpp).
// SPDX-License-Identifier: MIT
#pragma once

#if defined(LIFTOFF_SEPARATE_COMPILATION)
#define LIFTOFF_API
#else
#define LIFTOFF_API inline
#endif
