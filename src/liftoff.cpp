// src/liftoff.cpp: liftoff's implementation compiled once, for the compiled mode (libliftoff).
// Every unit that uses the library defines LIFTOFF_SEPARATE_COMPILATION (the packages' usage
// requirements carry it); this one also defines LIFTOFF_IMPLEMENTATION and so holds the code.
// SPDX-License-Identifier: MIT
#if !defined(LIFTOFF_SEPARATE_COMPILATION)
#error "src/liftoff.cpp is the compiled mode's implementation unit: build it with -DLIFTOFF_SEPARATE_COMPILATION"
#endif

#define LIFTOFF_IMPLEMENTATION
#include <liftoff/liftoff.hpp>
