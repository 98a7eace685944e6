// tests/separate/liftoff_impl.cpp: the one translation unit that compiles liftoff when the
// project's own programs are built with -Dseparate_compilation=true (see include/liftoff/separate.hpp).
// SPDX-License-Identifier: MIT
#define LIFTOFF_IMPLEMENTATION
#include <liftoff/liftoff.hpp>
