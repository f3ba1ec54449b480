// Finding a path planned twice, as postoffice names compare: case-insensitively
// (ASCII letters, as to_upper and iequals do). Used by apply_plan and the
// snapshot writer, which may be handed 100,000 paths: an upper-case copy of
// each in a std::set cost about 64 bytes a path; this costs one index.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string_view>

namespace mspo::safety {

/// The smallest index i < count whose path(i) equals path(j) for some j < i,
/// case-insensitively; nullopt if the paths are distinct. So it names the
/// path a one-by-one check with a set would stop at. Memory: one index per
/// path. `path` must give the same text for an index every time.
std::optional<std::size_t> first_repeated_path(std::size_t count,
                                               const std::function<std::string_view(std::size_t)>& path);

}  // namespace mspo::safety
