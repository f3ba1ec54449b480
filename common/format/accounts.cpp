#include "mspo/format/accounts.hpp"

#include <algorithm>

#include "mspo/format/access.hpp"
#include "mspo/base/codepage.hpp"
#include "mspo/base/error.hpp"
#include "mspo/base/interrupt.hpp"
#include "mspo/base/platform.hpp"

namespace mspo {

namespace {

constexpr std::uint64_t kChunkRecords = 4096;

struct Located {
    fs::path path;
    AccessFileState state;
};

Located locate(const Postoffice& po, const char* relpath, const SizeRule& rule) {
    auto found = po.find(relpath);
    if (!found) throw Error(Errc::not_found, std::string(rule.kind) + " is missing", po.path_for(relpath));
    const auto info = platform::stat_nofollow(*found);
    if (info.type == platform::EntryType::missing)
        throw Error(Errc::not_found, std::string(rule.kind) + " is missing", *found);
    if (info.type == platform::EntryType::symlink)
        throw Error(Errc::unsafe_path, "is a symbolic link; not followed", *found);
    if (info.type != platform::EntryType::regular)
        throw Error(Errc::unsafe_path, "not a regular file", *found);
    Located l{*found, {po.relative(*found), &rule, info.size, whole_records(rule, info.size)}};
    if (l.state.records > kMaxAccounts)
        throw Error(Errc::size_rule,
                    "holds " + std::to_string(l.state.records) +
                        " records, more than any postoffice (limit " + std::to_string(kMaxAccounts) + ")",
                    *found);
    return l;
}

// Calls fn(index, record) for records [0, count) of `path`, reading a chunk
// at a time.
template <class Record, class Fn>
void for_each_record(const fs::path& path, std::uint64_t count, Fn fn) {
    Record rec;
    for (std::uint64_t first = 0; first < count; first += kChunkRecords) {
        throw_if_interrupted();
        const std::uint64_t n = std::min(kChunkRecords, count - first);
        const Bytes chunk = platform::read_range(path, first * Record::size, n * Record::size);
        for (std::uint64_t i = 0; i < n; ++i) {
            const auto begin = chunk.begin() + static_cast<std::ptrdiff_t>(i * Record::size);
            std::copy_n(begin, Record::size, rec.raw.begin());
            fn(first + i, rec);
        }
    }
}

}  // namespace

Accounts load_accounts(const Postoffice& po) {
    const Located a1 = locate(po, "GLB/ACCESS.GLB", rules::access);
    const Located a2 = locate(po, "GLB/ACCESS2.GLB", rules::access2);
    const Located a3 = locate(po, "GLB/ACCESS3.GLB", rules::access3);

    Accounts result;
    result.access = a1.state;
    result.access2 = a2.state;
    result.access3 = a3.state;
    auto& list = result.accounts;
    list.reserve(static_cast<std::size_t>(a2.state.records));

    for_each_record<Access2Record>(a2.path, a2.state.records, [&](std::uint64_t i, const Access2Record& r) {
        Account a;
        a.index = i;
        a.mailbox = r.mailbox();
        a.mailbox_utf8 = cp850_to_utf8(a.mailbox);
        a.mailbag_text = r.mailbag_text();
        a.mailbag = r.mailbag();
        a.tid = r.tid();
        a.status = r.status();
        a.deleted = r.deleted();
        a.access2_offset = i * Access2Record::size;
        if (i < a1.state.records) a.access_offset = i * AccessRecord::size;
        if (i < a3.state.records) a.access3_offset = i * Access3Record::size;
        list.push_back(std::move(a));
    });

    const std::uint64_t with_names = std::min(a1.state.records, a2.state.records);
    for_each_record<AccessRecord>(a1.path, with_names, [&](std::uint64_t i, const AccessRecord& r) {
        Account& a = list[static_cast<std::size_t>(i)];
        a.full_name = r.full_name();
        a.full_name_utf8 = cp850_to_utf8(a.full_name);
    });
    return result;
}

std::optional<std::uint64_t> mmf_file_size(const Postoffice& po, const Account& account) {
    if (!account.mailbag) return std::nullopt;
    const auto path = po.find("MMF/" + format_hex8(*account.mailbag) + ".MMF");
    if (!path) return std::nullopt;
    const auto info = platform::stat_nofollow(*path);
    if (info.type != platform::EntryType::regular) return std::nullopt;
    return info.size;
}

}  // namespace mspo
