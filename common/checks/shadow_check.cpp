// shadow.nme-mismatch and shadow.grp-mismatch: ADMIN.NME and ADMINSHD.NME,
// ADMIN.GRP and ADMINSHD.GRP must match in size and date (KB Q132744,
// Q119018, Q135932); we compare the bytes too.
#include <algorithm>

#include "mspo/checks/check.hpp"
#include "shadow_compare.hpp"
#include "mspo/base/platform.hpp"

#include "mspo/base/time.hpp"

namespace mspo {

namespace {

constexpr std::uint64_t kChunk = 64 * 1024;

std::int64_t whole_seconds(std::int64_t ns) { return floor_seconds(ns); }

// Offset of the first byte that differs in the first `size` bytes, or nullopt.
std::optional<std::uint64_t> first_difference(const fs::path& a, const fs::path& b, std::uint64_t size) {
    for (std::uint64_t pos = 0; pos < size; pos += kChunk) {
        const std::uint64_t n = std::min(kChunk, size - pos);
        const Bytes x = platform::read_range(a, pos, n);
        const Bytes y = platform::read_range(b, pos, n);
        auto [ix, iy] = std::mismatch(x.begin(), x.end(), y.begin());
        if (ix != x.end()) return pos + static_cast<std::uint64_t>(ix - x.begin());
    }
    return std::nullopt;
}

void compare(const Postoffice& po, CheckId id, const char* main_rel, const char* shadow_rel,
             std::uint64_t header, std::uint64_t record, Findings& out) {
    const auto main_path = po.find(main_rel);
    const auto shadow_path = po.find(shadow_rel);
    if (!main_path || !shadow_path) return;  // glb.missing reports it
    const auto a = platform::stat_nofollow(*main_path);
    const auto b = platform::stat_nofollow(*shadow_path);
    if (a.type != platform::EntryType::regular || b.type != platform::EntryType::regular) return;
    checks_detail::pair_findings(
        id, po.relative(*shadow_path), main_rel, shadow_rel, {a.size, a.mtime_ns}, {b.size, b.mtime_ns},
        first_difference(*main_path, *shadow_path, std::min(a.size, b.size)), header, record, out);
}

}  // namespace

void checks_detail::pair_findings(CheckId id, const std::string& shown, const char* main_rel,
                                  const char* shadow_rel, PairFile a, PairFile b,
                                  std::optional<std::uint64_t> first_diff, std::uint64_t header,
                                  std::uint64_t record, Findings& out) {
    const std::string pair = std::string(shadow_rel) + " and " + main_rel;
    if (a.size != b.size)
        out.push_back(make_finding(id, shown, std::nullopt, std::nullopt,
                                   pair + " differ in size (" + std::to_string(b.size) + " and " +
                                       std::to_string(a.size) + " bytes)"));
    if (whole_seconds(a.mtime_ns) != whole_seconds(b.mtime_ns)) {
        const std::int64_t apart = whole_seconds(b.mtime_ns) - whole_seconds(a.mtime_ns);  // shadow - main
        const std::uint64_t seconds =
            apart < 0 ? 0 - static_cast<std::uint64_t>(apart) : static_cast<std::uint64_t>(apart);
        out.push_back(make_finding(id, shown, std::nullopt, std::nullopt,
                                   pair + " differ in date (modified " + std::to_string(seconds) +
                                       " s apart; " + (apart < 0 ? main_rel : shadow_rel) + " is newer)"));
    }
    if (first_diff) {
        std::optional<std::uint64_t> rec;
        if (*first_diff >= header) rec = (*first_diff - header) / record;
        out.push_back(make_finding(id, shown, rec, *first_diff,
                                   pair + " differ in content from byte " + std::to_string(*first_diff)));
    }
}

Findings check_shadows(const Postoffice& po) {
    Findings out;
    compare(po, CheckId::shadow_nme_mismatch, "NME/ADMIN.NME", "NME/ADMINSHD.NME", 0, 45, out);
    compare(po, CheckId::shadow_grp_mismatch, "GRP/ADMIN.GRP", "GRP/ADMINSHD.GRP", 8, 8, out);
    return out;
}

}  // namespace mspo
