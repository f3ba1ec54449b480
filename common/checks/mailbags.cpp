// The mailbag survey (mailbags.hpp): sizes, KEY bitmaps under our model, the
// overflow ledger, and the findings mbgsplit --check reports.
#include "mspo/checks/mailbags.hpp"

#include <algorithm>
#include <map>

#include "file_kind.hpp"
#include "mspo/base/error.hpp"
#include "mspo/base/interrupt.hpp"
#include "mspo/base/platform.hpp"
#include "mspo/format/accounts.hpp"
#include "mspo/format/key.hpp"
#include "mspo/format/mbg.hpp"
#include "mspo/format/netpo.hpp"
#include "mspo/base/os.hpp"

namespace mspo {

std::uint64_t MailbagInfo::percent() const noexcept { return records * 100 / kMailbagLimit; }

namespace {

constexpr std::uint64_t kLedgerMaxBytes = 4u << 20;

bool has_ext(const std::string& upper, std::string_view ext) {
    return upper.size() > ext.size() && upper.compare(upper.size() - ext.size(), ext.size(), ext) == 0;
}

std::string n_text(std::uint64_t n) { return std::to_string(n); }

void read_ledger(const Postoffice& po, MailbagSurvey& survey) {
    const auto path = po.find(kLedgerRelpath);
    if (!path) return;
    const auto info = platform::stat_nofollow(*path);
    if (info.type != platform::EntryType::regular)
        throw Error(Errc::unsafe_path, "the overflow ledger is not a regular file", *path);
    if (info.size > kLedgerMaxBytes)
        throw Error(Errc::bad_value,
                    "the overflow ledger is " + n_text(info.size) + " bytes, more than a ledger holds",
                    *path);
    const Bytes data = platform::read_file(*path, kLedgerMaxBytes);
    survey.ledger =
        parse_ledger(std::string_view(reinterpret_cast<const char*>(data.data()), data.size()), *path);
    survey.ledger_present = true;
}

std::uint64_t first_bit_beyond(const KeyFile& key, std::uint64_t records) {
    for (std::uint64_t slot = records; slot < kMailbagLimit; ++slot)
        if (key.slot_deleted(static_cast<std::size_t>(slot))) return slot;
    return kMailbagLimit;
}

// Reads the KEY of `m` if it is usable; adds findings for one that is not.
std::optional<KeyFile> read_key_of(const Postoffice& po, MailbagInfo& m, Findings& out) {
    const auto path = po.find("KEY/" + m.stem + ".KEY");
    if (!path) {
        m.key_relpath = "KEY/" + m.stem + ".KEY";
        out.push_back(
            make_finding(CheckId::mbg_orphan, m.mbg_relpath, m.mbg_relpath + " has no " + m.key_relpath));
        m.problem = "it has no KEY";
        return std::nullopt;
    }
    m.key_relpath = po.relative(*path);
    const auto info = platform::stat_nofollow(*path);
    if (info.type != platform::EntryType::regular) {
        out.push_back(checks_detail::not_regular_finding(po, *path, info.type, "KEY file"));
        m.problem = "its KEY is not a regular file";
        return std::nullopt;
    }
    if (info.size != KeyFile::size) {
        out.push_back(
            make_finding(CheckId::size_rule, m.key_relpath, std::nullopt,
                         std::min<std::uint64_t>(info.size, KeyFile::size),
                         "KEY file is " + n_text(info.size) + " bytes, not " + n_text(KeyFile::size)));
        m.problem = "its KEY is not 560 bytes";
        return std::nullopt;
    }
    return read_key(*path);
}

void survey_one(const Postoffice& po, const std::string& upper, const std::string& name,
                const std::map<std::uint32_t, std::string>& owners, const MailbagLimits& limits,
                MailbagSurvey& survey) {
    const auto path = os::join(po.path_for("MBG"), name);
    const auto info = platform::stat_nofollow(path);
    if (info.type !=
        platform::EntryType::regular) {  // never opened: a FIFO would block, a link leads anywhere
        if (checks_detail::is_file_place(upper, ".MBG"))
            survey.findings.push_back(
                checks_detail::not_regular_finding(po, path, info.type, "mailbag file"));
        return;
    }
    MailbagInfo m;
    m.stem = upper.substr(0, upper.size() - 4);
    m.mbg_relpath = po.relative(path);
    std::uint32_t n = 0;
    if (parse_hex8(m.stem, n)) m.number = n;
    m.records = info.size / MbgRecord::size;
    m.trailing = info.size % MbgRecord::size;
    if (m.trailing != 0) {
        survey.findings.push_back(
            make_finding(CheckId::size_rule, m.mbg_relpath, m.records, m.records * MbgRecord::size,
                         "mailbag is " + n_text(info.size) + " bytes, not whole 116-byte records (" +
                             n_text(m.trailing) + " bytes after record " + n_text(m.records) + ")"));
        m.problem = "it is not whole 116-byte records";
    }
    if (m.number) {
        if (auto it = owners.find(*m.number); it != owners.end()) m.owner = it->second;
        if (const auto* e = survey.ledger.find_overflow(*m.number)) {
            m.overflow_of = e->owner;
            const auto it = owners.find(e->owner);
            m.owner = (it == owners.end() ? format_hex8(e->owner) : it->second) + " (overflow)";
        }
    } else {
        m.owner = m.stem;  // INQUEUE3, INQUEUE, SYSTEM
    }
    const auto key = read_key_of(po, m, survey.findings);
    m.key_usable = key.has_value();
    if (key) {
        const std::uint64_t indexed = std::min<std::uint64_t>(m.records, kMailbagLimit);
        m.deleted = indexed - key->live_slots(m.records);
        m.bits_beyond = key->bits_beyond(m.records);
        if (m.bits_beyond != 0)
            survey.findings.push_back(make_finding(CheckId::key_bits_beyond, m.key_relpath, std::nullopt,
                                                   KeyFile::kBitmap + first_bit_beyond(*key, m.records) / 8,
                                                   n_text(m.bits_beyond) +
                                                       " slots past the mailbag's last record (" +
                                                       n_text(m.records) + " records) are marked deleted"));
    }
    const std::string usage = "uses " + n_text(m.records) + " of " + n_text(kMailbagLimit) + " slots (" +
                              n_text(m.percent()) + "%): " + n_text(m.live()) + " live, " +
                              n_text(m.deleted) + " deleted";
    if (m.records >= kMailbagLimit)
        survey.findings.push_back(make_finding(
            CheckId::mbg_over_limit, m.mbg_relpath, kMailbagLimit - 1, (kMailbagLimit - 1) * MbgRecord::size,
            "mailbag " + usage + "; at or over the limit, new mail is refused ([017] full mailbag)"));
    else if (m.percent() >= limits.warn_percent)
        survey.findings.push_back(
            make_finding(CheckId::mbg_near_limit, m.mbg_relpath,
                         "mailbag " + usage + "; at " + n_text(limits.warn_percent) + "% or more"));
    else if (m.records > limits.max)
        survey.findings.push_back(
            make_finding(CheckId::mbg_near_limit, m.mbg_relpath,
                         "mailbag " + usage + "; more than --max " + n_text(limits.max)));
    survey.mailbags.push_back(std::move(m));
}

void ledger_findings(const Postoffice& po, MailbagSurvey& survey) {
    if (!survey.ledger_present) return;
    const std::string ledger_rel = po.relative(*po.find(kLedgerRelpath));
    for (const std::uint32_t owner : survey.ledger.owners()) {
        const std::string stem = format_hex8(owner);
        const MailbagInfo* own = find_mailbag(survey, stem);
        std::uint64_t waiting = 0;
        std::string names;
        for (const std::uint32_t o : survey.ledger.overflows_of(owner)) {
            const std::string ostem = format_hex8(o);
            const MailbagInfo* m = find_mailbag(survey, ostem);
            if (!m || !po.find("KEY/" + ostem + ".KEY")) {
                survey.findings.push_back(make_finding(
                    CheckId::mbg_overflow_missing, ledger_rel,
                    "overflow mailbag " + ostem + " of " + stem + " has no " + (m ? "KEY" : "MBG") +
                        "; the headers it held cannot be brought back (restore the snapshot of the split)"));
                continue;
            }
            waiting += m->live();
            names += (names.empty() ? "" : ", ") + ostem;
        }
        if (names.empty()) continue;  // every overflow is gone: mbg.overflow-missing says so
        if (!own) {
            survey.findings.push_back(
                make_finding(CheckId::mbg_overflow_missing, ledger_rel,
                             "mailbag " + stem + ", owner of overflow mailbags " + names + ", is missing"));
            continue;
        }
        survey.findings.push_back(make_finding(CheckId::mbg_overflow, own->mbg_relpath,
                                               n_text(waiting) + " older headers wait in overflow mailbags " +
                                                   names +
                                                   "; mbgsplit --merge brings them back when there is room"));
    }
}

// The mailbag numbers of the external postoffices (NETPO.GLB, records not deleted).
void external_claims(const Postoffice& po, std::map<std::uint32_t, std::string>& claims) {
    const auto path = po.find("GLB/NETPO.GLB");
    if (!path || platform::stat_nofollow(*path).type != platform::EntryType::regular) return;
    const NetpoTable table = decode_netpo(platform::read_file(*path, 64ull << 20));
    for (std::size_t i = 0; i < table.records.size(); ++i)
        if (!table.records[i].deleted())
            claims.emplace(table.records[i].mailbag(), "NETPO.GLB record " + std::to_string(i));
}

// A ledger that names someone else's mailbag as an overflow would have
// --merge empty and remove it: refused before anything is read further.
void refuse_claimed_overflows(const Postoffice& po, const OverflowLedger& ledger,
                              const std::map<std::uint32_t, std::string>& claims) {
    for (const auto& e : ledger.entries)
        if (auto it = claims.find(e.overflow); it != claims.end())
            throw Error(Errc::bad_value,
                        "the overflow ledger lists " + format_hex8(e.overflow) +
                            " as an overflow mailbag of " + format_hex8(e.owner) +
                            ", but it is the mailbag of " + it->second + "; the ledger is not mbgsplit's",
                        *po.find(kLedgerRelpath));
}

}  // namespace

const MailbagInfo* find_mailbag(const MailbagSurvey& survey, std::string_view stem) {
    for (const auto& m : survey.mailbags)
        if (m.stem == stem) return &m;
    return nullptr;
}

MailbagSurvey survey_mailbags(const Postoffice& po, const MailbagLimits& limits) {
    MailbagSurvey survey;
    read_ledger(po, survey);
    std::map<std::uint32_t, std::string> owners;  // active accounts' mailbags
    std::map<std::uint32_t, std::string> claims;  // every number an account or external postoffice holds
    if (po.find("GLB/ACCESS2.GLB")) {
        const Accounts accounts = load_accounts(po);
        for (const auto& a : accounts.accounts) {
            if (!a.mailbag) continue;
            if (!a.deleted) owners.emplace(*a.mailbag, a.mailbox_utf8);
            claims.emplace(*a.mailbag, "account " + std::to_string(a.index) + " (" + a.mailbox_utf8 + ")");
        }
    }
    if (survey.ledger_present) {
        external_claims(po, claims);
        refuse_claimed_overflows(po, survey.ledger, claims);
    }
    std::size_t seen = 0;
    for (const auto& [upper, name] : po.list("MBG")) {
        if (!has_ext(upper, ".MBG")) continue;
        if (++seen % 256 == 0) throw_if_interrupted();
        survey_one(po, upper, name, owners, limits, survey);
    }
    ledger_findings(po, survey);
    return survey;
}

}  // namespace mspo
