// Running one step over many independent items on a few threads, with the
// toolkit's stopping rules: the first error or an interrupt stops new
// items from starting, the items under way finish, and the caller learns
// how many were done and which error came first.
#pragma once

#include <cstddef>
#include <exception>
#include <functional>

namespace mspo {

struct ParallelOutcome {
    std::size_t done = 0;      // calls of fn that returned
    std::exception_ptr error;  // what the lowest index that threw threw; null if none threw
};

/// Calls fn(i) once for each i in [first, end), on up to `threads` threads
/// (the calling thread is one of them; a thread that cannot be started is
/// done without). Indices are handed out in rising order. Once fn throws or
/// interrupted() is raised, no further index is started; the calls under way
/// finish. Never throws itself: what fn threw is in the outcome, and an
/// interrupt is left for the caller to see (throw_if_interrupted()). fn must
/// be safe to call from several threads at once.
ParallelOutcome for_each_index(std::size_t first, std::size_t end, unsigned threads,
                               const std::function<void(std::size_t)>& fn) noexcept;

}  // namespace mspo
