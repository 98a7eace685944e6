// liftoff/liftoff.hpp: the one header users include. Starts programs and opens things, on
// Linux/BSD, macOS and Windows, and says why when it cannot.
//
// The headers it includes declare the API and nothing else. The definitions (impl/) follow at
// the end, header-only by default. In the compiled mode every translation unit defines
// LIFTOFF_SEPARATE_COMPILATION and sees only the declarations (neither the platform headers nor
// the implementation are parsed there), and one of them compiles the implementation, once:
//
//     // liftoff.cpp, in your build (the packages build src/liftoff.cpp, which is this):
//     #define LIFTOFF_IMPLEMENTATION
//     #include <liftoff/liftoff.hpp>
// SPDX-License-Identifier: MIT
#pragma once

#include "version.hpp"
#include "detail/config.hpp"
#include "error.hpp"
#include "exit_status.hpp"
#include "command.hpp"
#include "encoding.hpp"
#include "search.hpp"
#include "child.hpp"
#include "launch.hpp"
#include "pipeline.hpp"
#include "open_options.hpp"
#include "open.hpp"
#include "report.hpp"
#include "diagnose.hpp"

// The implementation's internals (the portable rules in detail/, the OS layers in platform/) and
// the definitions of what the headers above declare (impl/). liftoff's own tests look at the
// internals (LIFTOFF_DETAIL_INTERNALS) while they link the compiled mode's definitions.
#if !defined(LIFTOFF_SEPARATE_COMPILATION) || defined(LIFTOFF_IMPLEMENTATION) || defined(LIFTOFF_DETAIL_INTERNALS)
#include "detail/internals.hpp"
#if !defined(LIFTOFF_SEPARATE_COMPILATION) || defined(LIFTOFF_IMPLEMENTATION)
#include "impl/error.inl"
#include "impl/exit_status.inl"
#include "impl/encoding.inl"
#include "impl/search.inl"
#include "impl/child.inl"
#include "impl/launch.inl"
#include "impl/pipeline.inl"
#include "impl/open.inl"
#include "impl/report.inl"
#include "impl/diagnose.inl"
#endif
#endif
