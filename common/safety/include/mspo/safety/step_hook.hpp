// The one test-hook type of the safety layer (apply_plan, atomic writes,
// snapshots): a function called before each named step, so a test can
// simulate a crash there by throwing or by _exit().
#pragma once

#include <cstddef>
#include <functional>
#include <string_view>

namespace mspo {

/// Test-only: called with the step's name ("lock", "snapshot-write",
/// "write-temp", "rename", "make-dir", "fsync-dir", ...) and the index of the
/// plan action it belongs to (0 for steps outside an action, and in calls
/// that know of no plan). Empty = no hook. It may throw anything.
using StepHook = std::function<void(std::string_view step, std::size_t index)>;

}  // namespace mspo
