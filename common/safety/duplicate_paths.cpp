#include "mspo/safety/duplicate_paths.hpp"

#include <algorithm>
#include <numeric>
#include <vector>

#include "mspo/format/layout.hpp"

namespace mspo::safety {

namespace {

unsigned char upper(char c) noexcept {
    return static_cast<unsigned char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
}

/// Case-insensitive order of the texts (then shorter first).
bool iless(std::string_view x, std::string_view y) noexcept {
    return std::lexicographical_compare(x.begin(), x.end(), y.begin(), y.end(),
                                        [](char c, char d) { return upper(c) < upper(d); });
}

}  // namespace

std::optional<std::size_t> first_repeated_path(std::size_t count,
                                               const std::function<std::string_view(std::size_t)>& path) {
    std::vector<std::size_t> order(count);
    std::iota(order.begin(), order.end(), std::size_t{0});
    // Equal paths end up side by side, each run in index order.
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return iless(path(a), path(b)); });
    std::optional<std::size_t> first;
    for (std::size_t k = 1; k < order.size(); ++k)
        if (iequals(path(order[k]), path(order[k - 1])) && (!first || order[k] < *first)) first = order[k];
    return first;
}

}  // namespace mspo::safety
