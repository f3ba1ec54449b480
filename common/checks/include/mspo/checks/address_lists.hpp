// The address lists: the postoffice address list (POL, NME/ADMIN.NME and its
// shadow ADMINSHD.NME), the group chains (GRP/ADMIN.GRP and ADMINSHD.GRP,
// GLB/GROUP.GLB, MEM/*.MEM), the external entries (GLB/NETPO.GLB) and every
// personal address list (PAL, NME/<hexid>.NME), checked against the accounts
// (KB Q237695 step 5, Q125252, Q107767). This file reads and judges; it
// changes nothing (palfix turns the judgement into a plan).
//
// Every judgement rests on our model of the NME, GRP, GROUP and NETPO
// records (docs/FORMATS.md). Before anything acts on it, model_fit() says
// how well each file fits that model; a file most of whose records do not
// fit is more likely read wrongly than damaged.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "mspo/base/finding.hpp"
#include "mspo/format/accounts.hpp"
#include "mspo/format/group.hpp"
#include "mspo/format/grp.hpp"
#include "mspo/format/layout.hpp"
#include "mspo/format/netpo.hpp"
#include "mspo/format/nme.hpp"

namespace mspo {

/// One NME file as read: its table and where it came from. A missing or
/// unreadable file has `present` false (and no records).
struct NmeFile {
    std::string relpath;  // as on disk, or the standard name if missing: "NME/ADMIN.NME"
    bool present = false;
    std::uint64_t size = 0;
    std::int64_t mtime_ns = 0;
    NmeTable table;  // records, and a partial trailing record in table.trailing
};

/// One GRP file as read (ADMIN.GRP or ADMINSHD.GRP).
struct GrpFile {
    std::string relpath;
    bool present = false;
    std::uint64_t size = 0;
    std::int64_t mtime_ns = 0;
    GrpTable table;
};

/// Everything the address-list checks read, loaded once. GROUP.GLB and
/// NETPO.GLB are optional: a missing one reads as empty (glb.missing is
/// run_checks' finding, not ours).
struct AddressBook {
    Accounts accounts;
    NmeFile pol, pol_shadow;                 // NME/ADMIN.NME, NME/ADMINSHD.NME
    GrpFile grp, grp_shadow;                 // GRP/ADMIN.GRP, GRP/ADMINSHD.GRP
    GroupTable groups;                       // GLB/GROUP.GLB
    NetpoTable netpo;                        // GLB/NETPO.GLB
    std::vector<std::uint32_t> mem_numbers;  // the numbers of the MEM/<8hex>.MEM files present, sorted
    /// The member mailbags of the MEM file of each group TID of the POL and
    /// GROUP.GLB whose MEM file is present and readable (a MEM file that
    /// cannot be read is left out: it is evidence, never changed).
    std::map<std::uint32_t, std::vector<std::uint32_t>> mem_members;
    /// The PALs: NME/<8hex>.NME of every active account with a valid
    /// mailbag number whose file exists, in file-name order. Under
    /// PalSelection::only, that one PAL, with present false if it is missing.
    std::vector<NmeFile> pals;
};

/// Which PALs load_address_book reads.
struct PalSelection {
    bool none = false;                  // --pol-only
    std::optional<std::uint32_t> only;  // --pal HEXID: that account's PAL only
};

/// Reads every file above (names matched case-insensitively, links not
/// followed: a link or non-regular file where one belongs is Error{unsafe_path}).
/// A missing NME, GRP or GLB file is not an error (present false / empty
/// table). Throws Error like load_accounts and platform::read_file
/// (size_rule for a file over kNmeReadLimit / kGrpReadLimit / 64 MiB).
AddressBook load_address_book(const Postoffice& po, const PalSelection& pals = {});

/// How one file fits our model (docs/FORMATS.md, "Does the file fit the model?").
/// An NME record fits when its alias is valid (alias_problem), its type is
/// 1, 2 or 4, its pointer lands (local: a multiple of 69 inside ACCESS2.GLB;
/// group: 0 or a node of ADMIN.GRP; external: a record of NETPO.GLB) and its
/// TID agrees with what it points at (local: that ACCESS2 record's TID,
/// deleted or not; group: a non-deleted GROUP.GLB record or a MEM file of
/// that number; external: that NETPO record's TID). A GRP node fits when its
/// TID is a POL entry's, an account's or a NETPO record's and its next
/// offset is 0 or a node of the file. A partial trailing record is not counted.
struct ModelFit {
    std::string relpath;
    std::uint64_t records = 0;  // whole records judged
    std::uint64_t fitting = 0;  // records that fit: valid alias, known type, pointer in range
                                // for its type, TID that agrees with what it points at
    /// True when the file contradicts the model: at least kMinMisfits
    /// records and more than half of them do not fit. A fixer then changes
    /// nothing in it without an explicit override.
    bool contradicts = false;
    /// Whole records that are nothing but zero bytes (a zero-filled file:
    /// every record zero). They hold no entry under any model.
    std::uint64_t zeroed = 0;
    bool zero_filled() const noexcept { return records > 0 && zeroed == records; }
    /// "41 of 44 records do not fit our NME model"; a zero-filled file adds
    /// ": every record is zero bytes (a zero-filled file)".
    std::string summary() const;
};

inline constexpr std::uint64_t kMinMisfits = 3;

/// Why an alias field cannot be an alias, or nullopt if it can: "is empty",
/// "has no NUL in its 31 bytes", "has control byte 0x07 at character 3"
/// (bytes below 0x20 and 0x7F).
std::optional<std::string> alias_problem(const NmeRecord& record);

/// What each entry of a list resolves to (one per record, parallel to table.records).
/// An entry can have several problems: `status` is the first of them in
/// this order: duplicate_tid, account_gone, local_stale, group_pointer,
/// external_pointer, bad_alias, unknown_type (each has its own finding).
/// Every fix_* that is known is set, whatever the status: a local_stale
/// entry with a garbled alias has fix_pointer, fix_tid and fix_alias.
/// local_stale always has `account`, fix_pointer (account * 69) and fix_tid
/// (the account's TID); fix_alias is set only for a bad alias, from the
/// account's full name (else its mailbox name), the group's GROUP.GLB alias,
/// or for a PAL entry its POL entry's alias, whichever is a valid alias.
struct EntryVerdict {
    enum class Status {
        ok,
        bad_alias,         // nme.bad-alias (alias rewritable from `fix_alias`, if set)
        unknown_type,      // nme.unknown-type: kept
        account_gone,      // nme.account-gone: remove and quarantine
        local_stale,       // nme.local-stale: repoint to `account`
        group_pointer,     // nme.group-pointer: repoint to `fix_pointer`, else remove
        external_pointer,  // nme.external-pointer: repoint to `fix_pointer`, else remove
        duplicate_tid,     // nme.duplicate-tid: remove (`duplicate_of` = the record kept)
    };
    Status status = Status::ok;
    std::optional<std::uint64_t> account;       // index into accounts (local entries)
    std::optional<std::uint32_t> fix_pointer;   // the pointer it should hold, where one is known
    std::optional<std::uint32_t> fix_tid;       // the TID it should hold, where one is known
    std::optional<std::string> fix_alias;       // raw CP850, where one is known
    std::optional<std::uint64_t> duplicate_of;  // record index
    std::optional<std::uint64_t> group;  // group entries: the GROUP.GLB record of its TID (non-deleted)
    std::optional<std::uint64_t> netpo;  // external entries: the NETPO.GLB record it resolves to
    /// PAL entries: the POL record with the same TID, when that record is
    /// itself ok. The planner may then repair the PAL entry by copying it
    /// whole, even where the status alone would say "remove".
    std::optional<std::uint64_t> pol_entry;
};

/// The judgement of one NME file.
struct ListReport {
    ModelFit fit;
    std::vector<EntryVerdict> verdicts;  // parallel to the file's records
};

/// One group's chain in ADMIN.GRP, as the POL (or GROUP.GLB) points at it.
struct ChainReport {
    std::uint64_t group_record = 0;  // index in the POL
    ChainResult walk;                // status, members read before any damage
};

/// The judgement of the whole address book.
struct AddressReport {
    ListReport pol;                        // ADMIN.NME (the shadow is compared byte for byte)
    std::optional<ListReport> pol_shadow;  // judged only when it differs from ADMIN.NME
    ModelFit grp_fit;                      // ADMIN.GRP (see ModelFit)
    /// One per group entry of the POL with a walkable pointer, or whose
    /// pointer lands on no node but whose GROUP.GLB record (by TID) gives a
    /// chain that starts on one (walked there: the pointer a repair gives it).
    std::vector<ChainReport> chains;
    std::optional<ModelFit> grp_shadow_fit;      // ADMINSHD.GRP, only when it differs from ADMIN.GRP
    std::vector<ChainReport> grp_shadow_chains;  // the POL's chains walked in ADMINSHD.GRP (same condition)
    /// Active accounts (indexes) whose TID no POL entry holds and to which
    /// no POL entry resolves (a stale entry found by name will get its TID).
    std::vector<std::uint64_t> missing_accounts;
    /// Non-deleted GROUP.GLB records (indexes) whose TID no group entry of
    /// the POL holds and to which no group entry resolves by alias.
    std::vector<std::uint64_t> missing_groups;
    std::vector<ListReport> pals;  // parallel to AddressBook::pals
    Findings findings;             // every finding above, made from the check table
};

/// Judges everything load_address_book read. Never throws on damaged data.
/// Findings, in this order: shadow.nme-mismatch and shadow.grp-mismatch
/// (as run_checks words them; also when one copy of a pair is missing, which
/// run_checks leaves to glb.missing); the POL's nme.model-mismatch, then
/// nme.partial-record, then its entries' findings in record order; ADMIN.GRP's
/// nme.model-mismatch and grp.chain-broken (per broken chain, at the node
/// holding the bad link); pol.missing-account; pol.missing-group; then each
/// PAL like the POL.
/// A file that contradicts the model gives only nme.model-mismatch (and
/// nme.partial-record): no entry findings, no grp.chain-broken, and for the
/// POL no pol.missing-account or pol.missing-group (the verdicts,
/// missing_accounts and missing_groups are still filled). A differing shadow is judged (pol_shadow,
/// grp_shadow_fit) but its records give no findings of their own: the mismatch finding stands for them.
AddressReport check_address_book(const AddressBook& book);

}  // namespace mspo
