// liftoff/detail/internals.hpp: everything the definitions in impl/ build on: the portable rules
// (detail/) and the OS layers (platform/, chosen in platform/select.hpp).
// SPDX-License-Identifier: MIT
#pragma once

#include "../platform/select.hpp"
#include "child_signals.hpp"
#include "child_state.hpp"
#include "encoding.hpp"
#include "explain.hpp"
#include "failure.hpp"
#include "judge.hpp"
#include "judge_openers.hpp"
#include "launch.hpp"
#include "open.hpp"
#include "open_request.hpp"
#include "pipeline.hpp"
#include "redact.hpp"
#include "search.hpp"
