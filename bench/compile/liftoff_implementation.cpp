// bench/compile/liftoff_implementation.cpp: compile cost of liftoff's compiled mode, the one-time
// part: the translation unit that compiles the implementation (see liftoff_separate.cpp).
// SPDX-License-Identifier: MIT
#define LIFTOFF_SEPARATE_COMPILATION
#define LIFTOFF_IMPLEMENTATION
#include <liftoff/liftoff.hpp>
