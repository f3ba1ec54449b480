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
#include "mspo/format/key.hpp"
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

/// Records of MBG/INQUEUE3.MBG that read_queue() reads: the KEY's 4096
/// slots plus as many again. A queue longer than this is over the limit and
/// is not read at all (2 GB of headers would take half a minute).
inline constexpr std::uint64_t kQueueReadLimit = 2 * kMailbagLimit;

/// What MBG/INQUEUE3.MBG says is still queued for delivery, and how far that
/// can be trusted (docs/FORMATS.md, P1: "Trusting the queue").
struct QueueState {
    /// Envelope number -> the record (slot) of the first live header naming
    /// it. A partial record at the end counts when its number can be read.
    std::map<std::uint32_t, std::uint64_t> queued;
    /// The queue was read whole and every live header names an envelope: an
    /// envelope number not in `queued` is provably not queued.
    bool trusted = false;
    /// Not trusted, but `queued` still holds every number the queue may name
    /// (a truncated queue whose partial record's number could be read). When
    /// false and not trusted, any envelope may be queued.
    bool names_known = false;
    std::string relpath = "MBG/INQUEUE3.MBG";  // as on disk when found
    std::string problem;                       // why not trusted; empty when trusted
    std::optional<std::uint64_t> record;       // where the damage is, where known
    std::optional<std::uint64_t> offset;

    /// A trusted queue naming `queued` (for tests and callers that know).
    static QueueState trusted_with(std::map<std::uint32_t, std::uint64_t> queued);
    /// True if the envelope numbered `n` may still be queued: named by a
    /// header, or the queue cannot tell.
    bool may_queue(std::uint32_t n) const { return queued.count(n) != 0 || !(trusted || names_known); }
};

/// Reads MBG/INQUEUE3.MBG (streamed, at most kQueueReadLimit records) and
/// KEY/INQUEUE3.KEY. Live headers are those whose slot the KEY does not mark
/// deleted; a missing, damaged or wrongly sized KEY makes every slot live (to
/// keep more rather than less), as does a slot past the KEY's 4096. An
/// all-zero record names nothing. Never throws for a missing, unreadable,
/// truncated, oversized or damaged queue: that is an untrusted QueueState
/// naming the problem, its record and offset.
QueueState read_queue(const Postoffice& po);

/// The 8-hex number of an envelope name ("0000AB12.P1", "0000AB12.PBC"),
/// nullopt for other names.
std::optional<std::uint32_t> envelope_number(const std::string& name);

struct P1Policy {
    std::int64_t now_ns = 0;                                // the time ages are measured against
    std::chrono::seconds max_age{std::chrono::hours(48)};   // --days: remove files older than this
    std::chrono::seconds lock_age{kExternalLockFreshness};  // --lock-age: locks younger are fresh
    bool include_queued = false;                            // --include-queued
    bool verbose = false;                                   // -v: fill P1Cleanup::kept_notes
    /// Leave the removals' findings out of P1Cleanup::findings and keep a
    /// small P1Removal for each instead (p1clean, which holds its plan and
    /// snapshot meanwhile; all_p1_findings() makes them once those are gone).
    bool compact_removals = false;
};

/// A removal's finding not yet made (P1Policy::compact_removals): what its
/// wording needs, about 40 bytes where the finding takes about 220.
struct P1Removal {
    enum class What : std::uint8_t { lock, file, file_queued, file_unknown };
    std::size_t at = 0;  // its index among all the findings (P1Cleanup::remove_repairs)
    std::uint64_t size = 0;
    std::int64_t age_ns = 0;
    std::uint64_t queue_record = 0;  // file_queued: the record naming it
    What what = What::file;
};

/// What a cleanup decides. Nothing here has been done yet.
struct P1Cleanup {
    Findings findings;                     // p1.* findings, actions worded as planned
    std::vector<std::string> remove;       // relpaths to remove
    std::uint64_t remove_bytes = 0;        // their total size
    bool create_p1 = false;                // P1 is missing: create it
    bool create_populate = false;          // POPULATE.MSM is missing: create it
    std::vector<std::string> fresh_locks;  // relpaths of locks that show External running (fresh or held)
    std::uint64_t kept_files = 0;          // regular files left in place (young, queued, locks in use)
    /// For each of `remove`, the index in `findings` of the finding it repairs;
    /// and the finding that creating P1 and POPULATE.MSM repairs.
    std::vector<std::size_t> remove_repairs;
    std::optional<std::size_t> create_repairs;
    std::uint64_t kept_for_queue = 0;  // stale envelopes kept because the queue may name them
    /// With P1Policy::verbose: one p1.kept note (info) per entry left in place, saying why.
    Findings kept_notes;
    /// With P1Policy::compact_removals: one per `remove`, in the same order,
    /// whose findings `findings` leaves out; and the queue's name their
    /// wording needs.
    std::vector<P1Removal> removals;
    std::string queue_relpath;
};

/// Applies the policy to a scan. `held` tells, for a lock file's relpath,
/// who holds a lock on it (nullopt: nobody); a held lock shows External
/// running whatever its age (p1.lock-fresh, worded "held"). A stale envelope
/// the queue may still name is kept (p1.queued, or p1.maybe-queued when the
/// queue cannot tell), unless include_queued; when the queue is not trusted
/// and such an envelope is kept, one p1.queue-damaged error names the
/// queue's damage (so the run exits 4). Pure: reads no file.
P1Cleanup plan_p1_cleanup(const P1Scan& scan, const QueueState& queue, const P1Policy& policy,
                          const std::map<std::string, std::string>& held = {});

/// Every finding of `cleanup`, in scan order, as plan_p1_cleanup gives them
/// without compact_removals: `findings` with each of `removals` made into
/// its finding (p1.stale or p1.lock-stale, action "remove") at its place,
/// for the file `files[j]` (the relpath of remove[j]; moved from).
/// Empties `cleanup.findings` and `cleanup.removals`. Throws
/// std::invalid_argument if `files` does not match `removals`.
Findings all_p1_findings(P1Cleanup& cleanup, std::vector<std::string>& files);

}  // namespace mspo
