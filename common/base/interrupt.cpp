#include "mspo/base/interrupt.hpp"

#include <atomic>

#include "mspo/base/error.hpp"

namespace mspo {

namespace {
std::atomic<bool> g_interrupted{false};
static_assert(std::atomic<bool>::is_always_lock_free, "the flag is set from a signal handler");
}  // namespace

bool interrupted() noexcept { return g_interrupted.load(std::memory_order_relaxed); }

void request_interrupt() noexcept { g_interrupted.store(true, std::memory_order_relaxed); }

void clear_interrupt() noexcept { g_interrupted.store(false, std::memory_order_relaxed); }

void throw_if_interrupted() {
    if (interrupted())
        throw Error(Errc::interrupted, "interrupted by a signal; stopped before the next step");
}

}  // namespace mspo
