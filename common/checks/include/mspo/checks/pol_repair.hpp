// palfix's repair planning: turns what check_address_book judged into the
// files to write and the entries to quarantine. Plans only; it writes
// nothing (palfix turns the plan into one ChangePlan for apply_plan).
//
// The rules (docs/FORMATS.md, "Repairing the address lists"):
//  - A pair (ADMIN.NME/ADMINSHD.NME, ADMIN.GRP/ADMINSHD.GRP) whose copies
//    differ and one of which is good (no damage found, fits the model): the
//    good copy is written over the other with its own date, so size, date
//    and bytes agree (KB Q132744, Q119018). ADMIN.* is preferred.
//  - Both POL copies damaged: repaired in place, record order and every
//    byte of good records kept; then both copies written identical, one date.
//  - --rebuild-pol: the POL rebuilt as ACCTONME does (KB Q99419), keeping
//    the group and external entries that still read.
//  - Broken group chains are cut at the damage; both GRP copies identical.
//  - A zero-filled GRP pair: the chains rebuilt from the MEM files where the
//    POL and GROUP.GLB point.
//  - PAL entries are rewritten from the POL entry they name, else removed.
//  - Whatever is removed is quarantined (quarantine_text.hpp), never dropped.
//  - A file that would be changed on the strength of our model but
//    contradicts it (ModelFit::contradicts) refuses the whole plan.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "mspo/base/bytes.hpp"
#include "mspo/base/finding.hpp"
#include "mspo/checks/address_lists.hpp"
#include "mspo/checks/quarantine_text.hpp"

namespace mspo {

struct RepairOptions {
    bool pals = true;          // false: --pol-only (no PAL is changed even if loaded)
    bool rebuild_pol = false;  // --rebuild-pol
    /// The date both copies of a pair rewritten in place are given (the
    /// same for both, so their dates agree to the nanosecond).
    std::int64_t now_ns = 0;
};

/// One file the repair writes.
struct PlannedWrite {
    std::string relpath;  // relative to the postoffice, as loaded (or the standard name if missing)
    Bytes contents;
    bool create = false;                   // the file is missing: create it
    std::optional<std::int64_t> mtime_ns;  // nullopt: the time of writing
    std::vector<std::size_t> repairs;      // indices into AddressRepair::findings
};

/// What the repair did, for the report's summary.
struct RepairCounts {
    std::uint64_t pairs_copied = 0;      // a good copy written over its other
    std::uint64_t entries_repaired = 0;  // records rewritten in place (POL and PALs)
    std::uint64_t entries_removed = 0;   // records removed (all quarantined)
    std::uint64_t entries_added = 0;     // local entries appended (or written by a rebuild)
    std::uint64_t chains_cut = 0;        // group chains cut at the damage
    std::uint64_t chains_rebuilt = 0;    // chains rebuilt from the MEM files (a zero-filled GRP pair)
    std::uint64_t groups_deleted = 0;    // GROUP.GLB records marked deleted
};

struct AddressRepair {
    /// The findings given, with the action of each repaired one set, plus
    /// those the planning adds (a missing copy of a pair, entries a rebuild
    /// quarantines, and pol.rebuilt after any POL change).
    Findings findings;
    std::vector<PlannedWrite> writes;         // in a fixed order: POL, GRP, GROUP.GLB, PALs
    std::vector<QuarantineEntry> quarantine;  // every entry removed, in file order
    /// Set when a file the plan would change contradicts our model: then
    /// `writes` and `quarantine` are empty and nothing may be changed.
    std::optional<ModelFit> refused;
    std::string refusal;  // the one-line reason, with the figures and the way out
    bool pol_changed = false;
    RepairCounts counts;
};

/// Plans the repair of what `report` (check_address_book(book)) found.
/// `findings` are the findings to link repairs to (report.findings, in any
/// order); a repair is linked to a finding by its check, file and record.
/// Never throws on damaged data.
AddressRepair plan_address_repair(const AddressBook& book, const AddressReport& report, Findings findings,
                                  const RepairOptions& options);

/// The POL entry of a local account as ACCTONME writes one: alias the full
/// name (the mailbox name if the full name is empty or not printable), the
/// account's TID, type 1, pointer = its ACCESS2.GLB record offset (index * 69).
NmeRecord local_entry(const Account& account);

}  // namespace mspo
