#include "mspo/format/name_match.hpp"

#include <cstdint>

#include "mspo/base/codepage.hpp"

namespace mspo {

namespace {

char32_t fold(char32_t c) {
    if ((c >= U'A' && c <= U'Z') || (c >= 0xC0 && c <= 0xDE && c != 0xD7)) return c + 0x20;
    return c;
}

// Whole-string glob match: '*' any run, '?' one character; backtracks only
// to the last '*', so the cost stays linear in practice.
bool glob(std::u32string_view pat, std::u32string_view s) {
    std::size_t p = 0, i = 0, star = std::u32string_view::npos, mark = 0;
    while (i < s.size()) {
        if (p < pat.size() && (pat[p] == U'?' || pat[p] == s[i])) {
            ++p;
            ++i;
        } else if (p < pat.size() && pat[p] == U'*') {
            star = p++;
            mark = i;
        } else if (star != std::u32string_view::npos) {
            p = star + 1;
            i = ++mark;
        } else {
            return false;
        }
    }
    while (p < pat.size() && pat[p] == U'*') ++p;
    return p == pat.size();
}

}  // namespace

std::u32string fold_cp850(std::string_view cp850) {
    std::u32string out;
    out.reserve(cp850.size());
    for (char ch : cp850) out.push_back(fold(cp850_to_unicode(static_cast<std::uint8_t>(ch))));
    return out;
}

NamePattern::NamePattern(std::string_view cp850)
    : pattern_(fold_cp850(cp850)), wild_(pattern_.find_first_of(U"*?") != std::u32string::npos) {}

bool NamePattern::matches(std::string_view cp850_name) const {
    const std::u32string s = fold_cp850(cp850_name);
    return wild_ ? glob(pattern_, s) : s.compare(0, pattern_.size(), pattern_) == 0;
}

}  // namespace mspo
