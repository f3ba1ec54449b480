// mbg.mai-missing, mbg.over-limit and mai.refcount: the mailbag headers
// against the MAI files (KB Q101833, Q124487, Q104423, Q119088, Q163020).
// An MBG, KEY or MAI that is not a regular file is layout.not-regular.
#include <optional>

#include "file_kind.hpp"
#include "mspo/checks/check.hpp"
#include "mspo/base/error.hpp"
#include "mspo/base/interrupt.hpp"
#include "mspo/format/key.hpp"
#include "mspo/format/mai.hpp"
#include "mspo/format/mbg.hpp"
#include "mspo/base/os.hpp"
#include "mspo/base/platform.hpp"

namespace mspo {

namespace {

bool has_ext(const std::string& upper, std::string_view ext) {
    return upper.size() > ext.size() && upper.compare(upper.size() - ext.size(), ext.size(), ext) == 0;
}

// The KEY beside a mailbag, or nullopt when there is none, it breaks its
// size rule or it is not a regular file (then every slot counts as live, as
// with a reset KEY; a KEY that is not a regular file is reported, never read).
std::optional<KeyFile> key_for(const Postoffice& po, const std::string& stem, Findings& out) {
    auto p = po.find("KEY/" + stem + ".KEY");
    if (!p) return std::nullopt;
    const auto info = platform::stat_nofollow(*p);
    if (info.type != platform::EntryType::regular) {
        if (info.type != platform::EntryType::missing)
            out.push_back(checks_detail::not_regular_finding(po, *p, info.type, "key file"));
        return std::nullopt;
    }
    if (info.size != KeyFile::size) return std::nullopt;
    return read_key(*p);
}

bool mai_exists(const Postoffice& po, std::uint32_t n) {
    std::string name = format_hex8(n);  // "00000007.MAI" in "MAI/MA7": no heap block per header
    const char dir[] = {'M', 'A', 'I', '/', 'M', 'A', name.back()};
    name += ".MAI";
    return po.list(std::string_view(dir, sizeof dir)).count(name) != 0;
}

/// mbg.mai-missing findings one mailbag gives before the rest are counted in
/// one summary finding: a 2 GB mailbag of zeros (18 million live headers
/// naming no MAI) must not cost a finding each.
constexpr std::size_t kMaxMissingPerMailbag = 4096;

void scan_one(const Postoffice& po, const std::string& name, const MailScanOptions& options, MailScan& scan) {
    const std::string upper = to_upper(name);
    const std::string stem = upper.substr(0, upper.size() - 4);
    const auto path = os::join(po.path_for("MBG"), name);
    const auto type = platform::stat_nofollow(path).type;
    if (type != platform::EntryType::regular) {  // never opened: a FIFO would block, a link leads anywhere
        ++scan.unreadable_mailbags;
        if (checks_detail::is_file_place(upper, ".MBG"))
            scan.findings.push_back(checks_detail::not_regular_finding(po, path, type, "mailbag file"));
        return;
    }
    const std::string rel = po.relative(path);
    const auto key = key_for(po, stem, scan.findings);
    MbgReader reader(path);
    if (reader.record_count() >= kMailbagLimit)
        scan.findings.push_back(make_finding(
            CheckId::mbg_over_limit, rel, kMailbagLimit - 1, (kMailbagLimit - 1) * MbgRecord::size,
            "mailbag holds " + std::to_string(reader.record_count()) + " records, at or over the limit of " +
                std::to_string(kMailbagLimit) + " (its KEY can index no more); External is not draining it"));
    std::uint64_t missing = 0;  // live headers naming no MAI or a missing one
    std::optional<std::uint64_t> first_uncounted;
    const auto report_missing = [&](const MbgItem& item, std::uint64_t field, std::string message) {
        if (++missing <= kMaxMissingPerMailbag) {
            scan.findings.push_back(
                make_finding(CheckId::mbg_mai_missing, rel, item.index, field, std::move(message)));
        } else if (!first_uncounted) {
            first_uncounted = item.index;
        }
    };
    while (auto item = reader.next()) {
        // A slot past the bitmap has no deleted bit: nothing can mark it deleted, so it is live.
        if (key && item->index < kMailbagLimit && key->slot_deleted(static_cast<std::size_t>(item->index))) {
            if (options.deleted_refs)
                if (const auto mai = item->record.mai()) ++scan.deleted_refs[*mai];
            continue;
        }
        if (item->index % 4096 == 0) throw_if_interrupted();
        const auto mai = item->record.mai();
        const std::uint64_t field = item->offset + MbgRecord::kMai;
        if (!mai) {
            report_missing(
                *item, field,
                "live header names no MAI: field \"" + item->record.mai_text() + "\" is not 8 hex digits");
            continue;
        }
        ++scan.refs[*mai];
        if (!mai_exists(po, *mai))
            report_missing(*item, field, "live header names " + mai_relpath(*mai) + ", which is missing");
    }
    if (first_uncounted)
        scan.findings.push_back(make_finding(
            CheckId::mbg_mai_missing, rel, *first_uncounted, *first_uncounted * MbgRecord::size,
            std::to_string(missing - kMaxMissingPerMailbag) + " more live headers from record " +
                std::to_string(*first_uncounted) + " on name no MAI or a missing one (the first " +
                std::to_string(kMaxMissingPerMailbag) + " are listed)"));
}

// One MAI file of folder `dir` (open, or nullopt: then by path): its type,
// size and counter. Each is read once per Postoffice (the memo); a file read
// before was a regular file long enough to hold its counter.
struct MaiLook {
    platform::EntryType type = platform::EntryType::missing;
    std::uint64_t size = 0;
    std::uint16_t counter = 0;
};

MaiLook look_at_mai(const Postoffice& po, const platform::Handle* dir, const std::string& name,
                    std::uint32_t n, const fs::path& path) {
    auto& memo = po.mai_refcount_memo();
    if (const auto it = memo.find(n); it != memo.end())
        return {platform::EntryType::regular, kMaiMinSize, it->second};
    if (!dir) {
        const auto info = platform::stat_nofollow(path);
        if (info.type != platform::EntryType::regular || info.size < kMaiMinSize)
            return {info.type, info.size, 0};
        return {info.type, info.size, mai_refcount(po, n, path)};
    }
    platform::FileHead head;
    try {
        head = platform::read_head_at(*dir, name, kMaiMinSize, path);
    } catch (const Error& e) {
        if (e.code() == Errc::not_found) return {};
        if (e.code() != Errc::unsafe_path) throw;
        return {platform::stat_at(*dir, name, path).type, 0, 0};  // a link, folder or FIFO: never read
    }
    if (head.bytes.size() < kMaiMinSize) return {platform::EntryType::regular, head.info.size, 0};
    const std::uint16_t counter = get_refcount(head.bytes);
    memo.emplace(n, counter);
    return {platform::EntryType::regular, head.info.size, counter};
}

}  // namespace

MailScan scan_mailbags(const Postoffice& po, const MailScanOptions& options) {
    MailScan scan;
    for (const auto& [upper, name] : po.list("MBG"))
        if (has_ext(upper, ".MBG")) scan_one(po, name, options, scan);
    return scan;
}

Findings check_mai_refcounts(const Postoffice& po, const MailScan& scan) {
    Findings out;
    static const char* hex = "0123456789ABCDEF";
    for (int digit = 0; digit < 16; ++digit) {
        throw_if_interrupted();
        const std::string dir = std::string("MAI/MA") + hex[digit];
        const auto& entries = po.list(dir);
        if (entries.empty()) continue;
        const fs::path base = po.path_for(dir);
        // Each file is opened from its folder's handle: no walk from the root per file.
        std::optional<platform::Handle> handle;
        try {
            handle = platform::open_dir(base, true);
        } catch (const Error&) {
            // listed a moment ago: look at each file by its path, as before
        }
        for (const auto& [upper, name] : entries) {
            const auto n = file_number(upper, "MAI");
            if (!n || (*n & 15u) != static_cast<unsigned>(digit))
                continue;  // not a message file of this folder
            // The memo answers for every file step 1 (file_access.hpp) read: no path is built then.
            const auto known = po.mai_refcount_memo().find(*n);
            const MaiLook mai =
                known != po.mai_refcount_memo().end()
                    ? MaiLook{platform::EntryType::regular, kMaiMinSize, known->second}
                    : look_at_mai(po, handle ? &*handle : nullptr, name, *n, os::join(base, name));
            if (mai.type != platform::EntryType::regular) {
                if (mai.type != platform::EntryType::missing)
                    out.push_back(checks_detail::not_regular_finding(po, os::join(base, name), mai.type,
                                                                     "message file"));
                continue;
            }
            auto it = scan.refs.find(*n);
            const std::uint32_t found = it == scan.refs.end() ? 0 : it->second;
            if (mai.size >= kMaiMinSize && mai.counter == found) continue;
            const std::string rel = po.relative(os::join(base, name));
            if (mai.size < kMaiMinSize) {
                out.push_back(make_finding(CheckId::mai_refcount, rel, std::nullopt, mai.size,
                                           "file is " + std::to_string(mai.size) +
                                               " bytes, too short to hold its reference counter at 0x0B; " +
                                               std::to_string(found) + " live headers name it"));
                continue;
            }
            out.push_back(make_finding(CheckId::mai_refcount, rel, std::nullopt, kMaiRefcountOffset,
                                       "reference counter is " + std::to_string(mai.counter) + " but " +
                                           std::to_string(found) + " live mailbag headers name it"));
        }
    }
    return out;
}

Findings check_mail(const Postoffice& po) {
    MailScan scan = scan_mailbags(po);
    Findings out = std::move(scan.findings);
    Findings refs = check_mai_refcounts(po, scan);
    out.insert(out.end(), refs.begin(), refs.end());
    return out;
}

}  // namespace mspo
