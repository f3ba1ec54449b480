// Library-only: the findings of one main/shadow pair (ADMIN.NME and
// ADMINSHD.NME, ADMIN.GRP and ADMINSHD.GRP), shared by run_checks'
// check_shadows (which streams the files) and the address-list checks
// (which hold them in memory), so both word them alike.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "mspo/base/finding.hpp"

namespace mspo::checks_detail {

struct PairFile {
    std::uint64_t size = 0;
    std::int64_t mtime_ns = 0;
};

/// Appends to `out` one finding of `id` on `shown` (the shadow's path) per
/// difference: size, date (whole seconds: how far apart, always positive,
/// and which copy is newer), content (`first_diff`, the first
/// differing offset in the common part, if any; its record is
/// (offset - header) / record). `main_rel` and `shadow_rel` are the standard
/// names the message uses.
void pair_findings(CheckId id, const std::string& shown, const char* main_rel, const char* shadow_rel,
                   PairFile main, PairFile shadow, std::optional<std::uint64_t> first_diff,
                   std::uint64_t header, std::uint64_t record, Findings& out);

}  // namespace mspo::checks_detail
