// The P1 folder: External's work area of envelopes and lock files (KB Q100826,
// Q119642, Q135902, Q148707, Q237695). This file classifies what is in P1 and
// decides what a cleanup may remove; it changes nothing itself (the fixer
// hands its decision to change_plan).
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "mspo/base/finding.hpp"
#include "mspo/format/layout.hpp"
#include "mspo/safety/lock.hpp"

namespace mspo {

/// The read-only placeholder that must always stay in P1 (KB Q135902).
inline constexpr const char* kPopulateName = "POPULATE.MSM";

enum class P1Kind {
    populate,     // POPULATE.MSM: never removed
    lock,         // *.0LK or LOCKP1ID.P??: External's locks
    file,         // any other regular file: envelopes (*.P1, *.Pxx) and leftovers (*.MAX, *.PX, *.ATX)
    not_regular,  // folder, link, device...: reported, never touched
};

struct P1Entry {
    std::string name;     // as on disk
    std::string relpath;  // "P1/<name>"
    P1Kind kind = P1Kind::file;
    std::uint64_t size = 0;
    std::int64_t mtime_ns = 0;
};

struct P1Scan {
    bool p1_missing = false;        // no P1 folder at all
    std::string p1_relpath = "P1";  // the folder's name as on disk
    bool populate_missing = false;
    std::vector<P1Entry> entries;  // in name order
};

/// Lists P1 without following links: each entry's type and mtime come from
/// lstat. Throws Error{unsafe_path} if P1 is a link or not a folder (a link
/// could lead a cleanup out of the postoffice), Error{io} if it cannot be read.
P1Scan scan_p1(const Postoffice& po);

/// Envelope numbers still queued for delivery: the number field of every live
/// header of MBG/INQUEUE3.MBG (slots marked deleted in KEY/INQUEUE3.KEY are
/// skipped; a missing or damaged KEY counts every slot as live, to keep more
/// rather than less). Maps the number to the first header's record index.
/// A missing INQUEUE3.MBG means nothing is queued. Throws Error if the
/// mailbag exists but cannot be read: we must not guess what is queued.
std::map<std::uint32_t, std::uint64_t> queued_envelopes(const Postoffice& po);

/// The 8-hex number of an envelope name ("0000AB12.P1", "0000AB12.PBC"),
/// nullopt for other names.
std::optional<std::uint32_t> envelope_number(const std::string& name);

struct P1Policy {
    std::int64_t now_ns = 0;                                // the time ages are measured against
    std::chrono::seconds max_age{std::chrono::hours(48)};   // --days: remove files older than this
    std::chrono::seconds lock_age{kExternalLockFreshness};  // --lock-age: locks younger are fresh
    bool include_queued = false;                            // --include-queued
};

/// What a cleanup decides. Nothing here has been done yet.
struct P1Cleanup {
    Findings findings;                     // p1.* findings, actions worded as planned
    std::vector<std::string> remove;       // relpaths to remove
    std::uint64_t remove_bytes = 0;        // their total size
    bool create_p1 = false;                // P1 is missing: create it
    bool create_populate = false;          // POPULATE.MSM is missing: create it
    std::vector<std::string> fresh_locks;  // relpaths of locks that show External running
    std::uint64_t kept_files = 0;          // regular files left in place (young, queued, locks in use)
    /// For each of `remove`, the index in `findings` of the finding it repairs;
    /// and the finding that creating P1 and POPULATE.MSM repairs.
    std::vector<std::size_t> remove_repairs;
    std::optional<std::size_t> create_repairs;
};

/// Applies the policy to a scan. `held` tells, for a lock file's relpath,
/// who holds a lock on it (nullopt: nobody); a held lock is fresh whatever
/// its age. Pure: reads no file.
P1Cleanup plan_p1_cleanup(const P1Scan& scan, const std::map<std::uint32_t, std::uint64_t>& queued,
                          const P1Policy& policy, const std::map<std::string, std::string>& held = {});

}  // namespace mspo
