#include "mspo/base/parallel.hpp"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

#include "mspo/base/interrupt.hpp"

namespace mspo {

ParallelOutcome for_each_index(std::size_t first, std::size_t end, unsigned threads,
                               const std::function<void(std::size_t)>& fn) noexcept {
    std::atomic<std::size_t> next{first};
    std::atomic<std::size_t> done{0};
    std::atomic<bool> stop{false};
    std::mutex m;  // guards error and error_at
    ParallelOutcome out;
    std::size_t error_at = end;
    auto work = [&]() noexcept {
        while (!stop.load(std::memory_order_relaxed) && !interrupted()) {
            const std::size_t i = next.fetch_add(1, std::memory_order_relaxed);
            if (i >= end) return;
            try {
                fn(i);
                done.fetch_add(1, std::memory_order_relaxed);
            } catch (...) {
                stop.store(true, std::memory_order_relaxed);
                const std::lock_guard g(m);
                if (i < error_at) {
                    error_at = i;
                    out.error = std::current_exception();
                }
            }
        }
    };
    std::vector<std::thread> helpers;
    const std::size_t items = end > first ? end - first : 0;
    const std::size_t wanted = threads > 1 ? std::min<std::size_t>(threads, items) : 1;
    try {
        helpers.reserve(wanted - 1);
        for (std::size_t t = 1; t < wanted; ++t) helpers.emplace_back(work);
    } catch (...) {  // no more threads (std::system_error, bad_alloc): fewer do the work
    }
    work();
    for (auto& h : helpers) h.join();
    out.done = done.load();
    return out;
}

}  // namespace mspo
