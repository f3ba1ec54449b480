// Time, in one place: file times and clocks are nanoseconds since the Unix
// epoch (UTC) everywhere in the toolkit, shown as ISO 8601 UTC text.
#pragma once

#include <cstdint>
#include <string>

namespace mspo {

inline constexpr std::int64_t kNsPerSecond = 1'000'000'000;

/// The system clock, in nanoseconds since the Unix epoch.
std::int64_t now_ns() noexcept;

/// Whole seconds of `ns`, rounded towards minus infinity (so that a time
/// before 1970 does not round up).
std::int64_t floor_seconds(std::int64_t ns) noexcept;

/// `ns` as ISO 8601 UTC: "2024-05-01T12:34:56Z", or with `compact`
/// "20240501T123456Z" (for file names). Times outside years 0..9999 are
/// clamped to them, so the text always has the same shape.
std::string utc_text(std::int64_t ns, bool compact = false);

/// utc_text(now_ns()).
std::string utc_now_text();

}  // namespace mspo
