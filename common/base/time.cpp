#include "mspo/base/time.hpp"

#include <array>
#include <chrono>
#include <cstdio>

namespace mspo {

std::int64_t now_ns() noexcept {
    using namespace std::chrono;
    return duration_cast<nanoseconds>(system_clock::now().time_since_epoch()).count();
}

std::int64_t floor_seconds(std::int64_t ns) noexcept {
    return ns >= 0 ? ns / kNsPerSecond : -((-(ns + 1)) / kNsPerSecond) - 1;
}

std::string utc_text(std::int64_t ns, bool compact) {
    using namespace std::chrono;
    // Years 0..9999 keep four digits; sys_days covers them without overflow.
    constexpr std::int64_t kMin = -62167219200;  // 0000-01-01T00:00:00Z
    constexpr std::int64_t kMax = 253402300799;  // 9999-12-31T23:59:59Z
    std::int64_t s = floor_seconds(ns);
    if (s < kMin) s = kMin;
    if (s > kMax) s = kMax;
    const sys_seconds t{seconds{s}};
    const auto day = floor<days>(t);
    const year_month_day ymd{day};
    const hh_mm_ss hms{t - day};
    std::array<char, 32> buf{};
    std::snprintf(buf.data(), buf.size(),
                  compact ? "%04d%02u%02uT%02d%02d%02dZ" : "%04d-%02u-%02uT%02d:%02d:%02dZ",
                  static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                  static_cast<unsigned>(ymd.day()), static_cast<int>(hms.hours().count()),
                  static_cast<int>(hms.minutes().count()), static_cast<int>(hms.seconds().count()));
    return buf.data();
}

std::string utc_now_text() { return utc_text(now_ns()); }

}  // namespace mspo
