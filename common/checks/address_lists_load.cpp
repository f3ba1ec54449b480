// load_address_book: reads the POL, its shadow, the GRP pair, GROUP.GLB,
// NETPO.GLB, the MEM listing, the accounts and the PALs, each once.
#include <algorithm>

#include "mspo/base/error.hpp"
#include "mspo/base/platform.hpp"
#include "mspo/checks/address_lists.hpp"
#include "mspo/format/mem.hpp"

namespace mspo {

namespace {

constexpr std::uint64_t kGlbReadLimit = 64ull * 1024 * 1024;

struct Read {
    std::string relpath;  // as on disk, or `standard` if missing
    bool present = false;
    platform::FileInfo info;
    Bytes data;
};

// Reads `standard` (matched case-insensitively). Missing: present false.
// A link or non-regular file: Error{unsafe_path}.
Read read_optional(const Postoffice& po, const std::string& standard, std::uint64_t limit) {
    Read r;
    r.relpath = standard;
    const auto path = po.find(standard);
    if (!path) return r;
    r.info = platform::stat_nofollow(*path);
    if (r.info.type == platform::EntryType::missing) return r;
    if (r.info.type == platform::EntryType::symlink)
        throw Error(Errc::unsafe_path, "is a symbolic link; not followed", *path);
    if (r.info.type != platform::EntryType::regular)
        throw Error(Errc::unsafe_path, "not a regular file", *path);
    r.relpath = po.relative(*path);
    r.data = platform::read_file(*path, limit);
    r.present = true;
    return r;
}

NmeFile load_nme(const Postoffice& po, const std::string& standard) {
    Read r = read_optional(po, standard, kNmeReadLimit);
    NmeFile f;
    f.relpath = r.relpath;
    f.present = r.present;
    f.size = r.data.size();
    f.mtime_ns = r.info.mtime_ns;
    f.table = decode_nme(r.data);
    return f;
}

GrpFile load_grp(const Postoffice& po, const std::string& standard) {
    Read r = read_optional(po, standard, kGrpReadLimit);
    GrpFile f;
    f.relpath = r.relpath;
    f.present = r.present;
    f.size = r.data.size();
    f.mtime_ns = r.info.mtime_ns;
    f.table = decode_grp(r.data);
    return f;
}

std::vector<std::uint32_t> mem_numbers(const Postoffice& po) {
    std::vector<std::uint32_t> out;
    for (const auto& [upper, name] : po.list("MEM"))
        if (auto n = file_number(upper, "MEM")) out.push_back(*n);
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace

AddressBook load_address_book(const Postoffice& po, const PalSelection& pals) {
    AddressBook book;
    book.accounts = load_accounts(po);
    book.pol = load_nme(po, "NME/ADMIN.NME");
    book.pol_shadow = load_nme(po, "NME/ADMINSHD.NME");
    book.grp = load_grp(po, "GRP/ADMIN.GRP");
    book.grp_shadow = load_grp(po, "GRP/ADMINSHD.GRP");
    book.groups = decode_group(read_optional(po, "GLB/GROUP.GLB", kGlbReadLimit).data);
    book.netpo = decode_netpo(read_optional(po, "GLB/NETPO.GLB", kGlbReadLimit).data);
    book.mem_numbers = mem_numbers(po);
    std::vector<std::uint32_t> group_tids;
    for (const auto& r : book.pol.table.records)
        if (r.type() == NmeType::group) group_tids.push_back(r.tid());
    for (const auto& g : book.groups.records)
        if (!g.deleted()) group_tids.push_back(g.tid());
    for (auto tid : group_tids) {
        if (book.mem_members.count(tid) ||
            !std::binary_search(book.mem_numbers.begin(), book.mem_numbers.end(), tid))
            continue;
        try {
            const Read r = read_optional(po, "MEM/" + format_hex8(tid) + ".MEM", kMemReadLimit);
            if (r.present) book.mem_members[tid] = mem_mailbags(decode_mem(r.data));
        } catch (const Error&) {  // evidence only: an unreadable MEM file names no member
        }
    }
    if (pals.none) return book;
    std::vector<std::string> names;
    for (const auto& a : book.accounts.accounts) {
        if (a.deleted || !a.mailbag) continue;
        if (pals.only && *pals.only != *a.mailbag) continue;
        names.push_back("NME/" + format_hex8(*a.mailbag) + ".NME");
    }
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
    if (pals.only && names.empty()) names.push_back("NME/" + format_hex8(*pals.only) + ".NME");
    for (const auto& name : names) {
        NmeFile f = load_nme(po, name);
        if (f.present || pals.only) book.pals.push_back(std::move(f));
    }
    return book;
}

}  // namespace mspo
