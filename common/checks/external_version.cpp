// The version of External inside its program image (KB Q237695 step 3,
// Q111558). See external_version.hpp.
#include "mspo/checks/external_version.hpp"

#include <algorithm>
#include <cctype>
#include <vector>

#include "mspo/base/error.hpp"
#include "mspo/base/platform.hpp"

namespace mspo {

namespace {

bool is_digit(std::uint8_t c) { return c >= '0' && c <= '9'; }

/// Reads "N" (1..3 digits) at `i`; advances `i`. nullopt if no digit.
std::optional<unsigned> number_at(ByteSpan b, std::size_t& i) {
    std::size_t start = i;
    unsigned n = 0;
    while (i < b.size() && is_digit(b[i]) && i - start < 4) n = n * 10 + (b[i++] - '0');
    if (i == start || i - start > 3) return std::nullopt;
    return n;
}

struct Parsed {
    std::vector<unsigned> parts;
    std::size_t end = 0;
};

/// "N.N" or "N.N.N" at `i`, not part of a longer run of digits and dots.
std::optional<Parsed> dotted_at(ByteSpan b, std::size_t i) {
    if (i > 0 && (is_digit(b[i - 1]) || b[i - 1] == '.')) return std::nullopt;
    Parsed p;
    for (int k = 0; k < 3; ++k) {
        auto n = number_at(b, i);
        if (!n) return std::nullopt;
        p.parts.push_back(*n);
        if (k < 2 && i + 1 < b.size() && b[i] == '.' && is_digit(b[i + 1])) {
            ++i;
            continue;
        }
        break;
    }
    if (p.parts.size() < 2) return std::nullopt;
    if (i < b.size() && (is_digit(b[i]) || (b[i] == '.' && i + 1 < b.size() && is_digit(b[i + 1]))))
        return std::nullopt;
    p.end = i;
    return p;
}

bool word_at(ByteSpan b, std::size_t i, std::string_view word) {
    if (i + word.size() > b.size()) return false;
    for (std::size_t k = 0; k < word.size(); ++k)
        if (std::tolower(b[i + k]) != word[k]) return false;
    return true;
}

std::string join(const std::vector<unsigned>& parts) {
    std::string s;
    for (std::size_t k = 0; k < parts.size(); ++k) s += (k ? "." : "") + std::to_string(parts[k]);
    return s;
}

std::string printable(ByteSpan b, std::size_t from, std::size_t to) {
    std::string s;
    for (std::size_t k = from; k < to; ++k)
        s += (b[k] >= 0x20 && b[k] < 0x7F) ? static_cast<char>(b[k]) : '?';
    return s;
}

std::string image_kind(ByteSpan b) {
    if (b.size() < 2 || !((b[0] == 'M' && b[1] == 'Z') || (b[0] == 'Z' && b[1] == 'M'))) return "";
    if (b.size() >= 0x40) {
        const std::uint32_t lfanew = get_u32(b, 0x3C);
        if (lfanew >= 0x40 && static_cast<std::uint64_t>(lfanew) + 4 <= b.size()) {
            if (b[lfanew] == 'P' && b[lfanew + 1] == 'E' && b[lfanew + 2] == 0 && b[lfanew + 3] == 0)
                return "Windows NT (PE)";
            if (b[lfanew] == 'N' && b[lfanew + 1] == 'E') return "Windows (NE)";
        }
    }
    return "MS-DOS (MZ)";
}

}  // namespace

ExternalVersion find_external_version(ByteSpan image) {
    ExternalVersion v;
    v.image = image_kind(image);
    if (v.image.empty()) {
        v.how = "not a program image (no MZ header)";
        return v;
    }
    std::optional<Parsed> found;
    std::size_t at = 0;
    // "Version 3.2.18", "VERSION v3.2", "version 3.2.18".
    for (std::size_t i = 0; i + 7 < image.size() && !found; ++i) {
        if (!word_at(image, i, "version")) continue;
        std::size_t j = i + 7;
        while (j < image.size() && (image[j] == ' ' || image[j] == ':')) ++j;
        if (j < image.size() && (image[j] == 'v' || image[j] == 'V')) ++j;
        if (j < image.size() && is_digit(image[j]))
            if (auto p = dotted_at(image, j)) {
                found = p;
                at = i;
            }
    }
    // Else a bare "3.2.18" (three numbers: two could be anything).
    for (std::size_t i = 0; i < image.size() && !found; ++i) {
        if (!is_digit(image[i])) continue;
        if (auto p = dotted_at(image, i); p && p->parts.size() == 3) {
            found = p;
            at = i;
        }
    }
    if (!found) {
        v.how = "no version string found in the " + v.image + " image" +
                (v.image == "MS-DOS (MZ)" ? "" : " (its version resource is not read yet)");
        return v;
    }
    v.version = join(found->parts);
    v.text = printable(image, at, found->end);
    v.offset = at;
    const auto& p = found->parts;
    const std::array<unsigned, 3>& m = kExternalMinimum;
    const std::string where =
        "version string \"" + v.text + "\" at offset " + std::to_string(at) + " of the " + v.image + " image";
    if (p.size() == 2 && p[0] == m[0] && p[1] == m[1]) {
        v.how = where + ": " + v.version + " without a third number may be older or newer than 3.2.18";
        return v;
    }
    std::array<unsigned, 3> have{p[0], p[1], p.size() > 2 ? p[2] : 0};
    v.verdict = have < m ? ExternalVersion::Verdict::old : ExternalVersion::Verdict::ok;
    v.how = where;
    return v;
}

ExternalVersion read_external_version(const std::filesystem::path& program) {
    const auto info = platform::stat_nofollow(program);
    if (info.type == platform::EntryType::missing) throw Error(Errc::not_found, "no such file", program);
    const std::uint64_t n = std::min<std::uint64_t>(info.size, kExternalReadLimit);
    const Bytes bytes = platform::read_range(program, 0, n);
    return find_external_version(bytes);
}

}  // namespace mspo
