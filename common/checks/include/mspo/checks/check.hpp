// The postoffice checks: each has a row in the check table
// (mspo/base/check_table.inc: id, severity, what it reads and finds, source,
// repairer), reads a known set of files and returns findings. Damage is a
// finding, never an exception; a folder, FIFO, device or link where a file
// belongs is layout.not-regular, never followed or opened. Only a file that
// cannot be read at all (an I/O error) throws mspo::Error. docs/FORMATS.md
// lists every id (generated from the table).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mspo/format/accounts.hpp"
#include "mspo/base/finding.hpp"
#include "mspo/format/layout.hpp"

namespace mspo {

/// A postoffice check's row of the check table.
using CheckInfo = CheckRow;

/// The rows of the postoffice checks (reporter run_checks; account checks
/// included), in run order.
const std::vector<CheckInfo>& all_checks();
/// The postoffice check whose id is `id`, or nullptr (also for the ids of
/// p1clean, porestore and the fixers: run_checks never emits those).
const CheckInfo* find_check(std::string_view id);

/// Runs every check below and the account checks (checks/access_checks.hpp),
/// each file read once where checks share it. Findings come check by check,
/// in all_checks() order. The account checks are skipped when an ACCESS file
/// is missing (glb.missing reports it). A file that several checks find not
/// regular is reported once (layout.not-regular).
Findings run_checks(const Postoffice& po);

// ---- one function per file in common/checks/ ----

/// layout_check.cpp: layout.missing-dir, layout.not-dir (the 51 folders,
/// KB Q132744) and glb.missing (the core GLB, NME and GRP files MAILINT checks).
Findings check_layout(const Postoffice& po);

/// size_check.cpp: size.rule for every GLB file with a size rule (ACCESS*.GLB
/// excepted: check_access_sizes covers them) and every NME, GRP, MEM, USR,
/// XTN, KEY and MBG file in its folder. Reads sizes only.
Findings check_sizes(const Postoffice& po);

/// shadow_check.cpp: shadow.nme-mismatch (NME/ADMIN.NME vs ADMINSHD.NME) and
/// shadow.grp-mismatch (GRP/ADMIN.GRP vs ADMINSHD.GRP): size, mtime, bytes.
Findings check_shadows(const Postoffice& po);

/// key_mbg_check.cpp: key.orphan (a KEY without its MBG) and mbg.orphan (an
/// MBG without its KEY), names compared case-insensitively.
Findings check_key_mbg_pairs(const Postoffice& po);

/// What one streaming pass over every mailbag found (mail_checks.cpp).
struct MailScan {
    std::map<std::uint32_t, std::uint32_t> refs;  // MAI number -> live headers naming it
    Findings findings;                            // mbg.mai-missing, mbg.over-limit
    /// Only with MailScanOptions::deleted_refs: MAI number -> slots the KEY
    /// marks deleted that name it.
    std::map<std::uint32_t, std::uint32_t> deleted_refs;
    /// Mailbags that could not be read (an MBG that is not a regular file).
    std::uint64_t unreadable_mailbags = 0;
};
struct MailScanOptions {
    bool deleted_refs = false;  // also count the deleted slots naming each MAI
};

/// mail_checks.cpp: streams every MBG/*.MBG (the KEY says which slots are
/// live; no KEY or a KEY of the wrong size = every slot live; slots at or
/// past 4096 have no KEY bit and are always live). Finds mbg.mai-missing (a live header naming a
/// MAI that does not exist, or no valid number) and mbg.over-limit (4096
/// records or more). Memory: the refs map, not the mailbag sizes.
MailScan scan_mailbags(const Postoffice& po, const MailScanOptions& options = {});
/// mai.refcount: each MAI/MAx/<8hex>.MAI's counter at 0x0B vs scan.refs.
Findings check_mai_refcounts(const Postoffice& po, const MailScan& scan);
/// scan_mailbags + check_mai_refcounts.
Findings check_mail(const Postoffice& po);

/// control_check.cpp: control.counter-low. CONTROL.GLB's next mailbag number
/// must be above every mailbag number in use (accounts, NETPO.GLB, NETWORK.GLB,
/// MBG/KEY/USR/XTN/NME file names, *.0LK in P1); its next letter number
/// above every MAI/ATT file, P1 envelope and live header's MAI number
/// (KB Q117738, Q87388). `accounts` may be null (ACCESS2.GLB unreadable).
Findings check_control(const Postoffice& po, const Accounts* accounts, const MailScan& scan);
Findings check_control(const Postoffice& po);

/// The highest number of one CONTROL.GLB counter in use, and what uses it
/// ("GLB/ACCESS2.GLB record 4", "MAI/MA7/00000017.MAI").
struct HighestInUse {
    std::optional<std::uint32_t> number;  // nullopt: no number in use
    std::string where;
};
struct NumbersInUse {
    HighestInUse mailbag;  // what the next mailbag number must be above
    HighestInUse letter;   // what the next letter number must be above
};
/// What check_control compares the counters with (pocheck --fix raises them
/// above these).
NumbersInUse numbers_in_use(const Postoffice& po, const Accounts* accounts, const MailScan& scan);

/// dup_check.cpp: filenum.duplicate for mailbag numbers outside the account
/// tables: two external postoffices (NETPO.GLB) or networks/gateways
/// (NETWORK.GLB) sharing a number, or one of them using an account's number.
/// (Accounts among themselves: check_filenum_duplicates.)
Findings check_external_filenums(const Postoffice& po, const Accounts* accounts);

}  // namespace mspo
