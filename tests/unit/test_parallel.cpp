#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

#include "mspo/base/interrupt.hpp"
#include "mspo/base/parallel.hpp"

using namespace mspo;

TEST_CASE("parallel: every index once, on several threads", "[parallel]") {
    for (unsigned threads : {0u, 1u, 3u, 8u, 64u}) {
        INFO(threads << " threads");
        std::mutex m;
        std::multiset<std::size_t> seen;
        const auto out = for_each_index(10, 510, threads, [&](std::size_t i) {
            const std::lock_guard g(m);
            seen.insert(i);
        });
        CHECK(out.done == 500);
        CHECK_FALSE(out.error);
        REQUIRE(seen.size() == 500);
        CHECK(*seen.begin() == 10);
        CHECK(*seen.rbegin() == 509);
        CHECK(std::set<std::size_t>(seen.begin(), seen.end()).size() == 500);  // none twice
    }
    CHECK(for_each_index(5, 5, 4, [](std::size_t) { FAIL("called"); }).done == 0);
}

TEST_CASE("parallel: the first error stops new items, and the lowest index's error is kept", "[parallel]") {
    std::atomic<std::size_t> calls{0};
    std::atomic<bool> thrown{false};
    const auto out = for_each_index(0, 100000, 4, [&](std::size_t i) {
        ++calls;
        if (i == 100 || i == 101) {
            thrown = true;
            throw std::runtime_error("at " + std::to_string(i));
        }
        // Items after the throw take a while, so the other threads cannot
        // run through all of them before the throwing one is caught (under
        // wine, on a loaded machine, unwinding took longer than 100,000
        // empty items).
        if (thrown) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    });
    REQUIRE(out.error);
    try {
        std::rethrow_exception(out.error);
    } catch (const std::runtime_error& e) {
        // 101 may have thrown first, but 100 was handed out before it, so
        // it was called and threw too: the lowest index's error is kept
        CHECK(std::string(e.what()) == "at 100");
    }
    CHECK(out.done + 1 <= calls.load());  // a throwing call is not done
    CHECK(calls.load() < 100000);         // the rest never started
    CHECK(out.done + 2 >= calls.load());
}

TEST_CASE("parallel: an interrupt stops new items without an error", "[parallel]") {
    std::atomic<std::size_t> calls{0};
    const auto out = for_each_index(0, 100000, 4, [&](std::size_t i) {
        ++calls;
        if (i == 50) request_interrupt();
    });
    const bool was = interrupted();
    clear_interrupt();
    CHECK(was);
    CHECK_FALSE(out.error);
    CHECK(out.done == calls.load());
    CHECK(out.done >= 51);
    CHECK(out.done < 100000);
}
