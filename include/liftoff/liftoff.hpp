// liftoff/liftoff.hpp: the one header users include. Starts programs and opens things, on
// Linux/BSD, macOS and Windows, and says why when it cannot.
// SPDX-License-Identifier: MIT
#pragma once

#include "version.hpp"
#include "error.hpp"
#include "exit_status.hpp"
#include "command.hpp"
#include "encoding.hpp"
#include "search.hpp"
#include "child.hpp"
#include "launch.hpp"
#include "open.hpp"
#include "diagnose.hpp"
#include "separate.hpp"
