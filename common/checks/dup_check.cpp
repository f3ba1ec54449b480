// filenum.duplicate outside the account tables: an external postoffice
// (NETPO.GLB) or gateway (NETWORK.GLB) whose mailbag number another object
// already uses, or two networks naming one XTN file (KB Q117738).
#include <functional>

#include "mspo/checks/check.hpp"
#include "mspo/base/codepage.hpp"
#include "mspo/format/netpo.hpp"
#include "mspo/format/network.hpp"
#include "mspo/base/platform.hpp"

namespace mspo {

namespace {

constexpr std::uint64_t kGlbReadLimit = 64ull * 1024 * 1024;

std::optional<Bytes> read_glb(const Postoffice& po, const char* rel, std::string& shown) {
    auto p = po.find(rel);
    if (!p || platform::stat_nofollow(*p).type != platform::EntryType::regular) return std::nullopt;
    shown = po.relative(*p);
    return platform::read_file(*p, kGlbReadLimit);
}

struct Owners {
    std::map<std::uint32_t, std::string> first;  // number -> who used it first
    Findings* out;

    // Records `who` as a user of `n`; reports it if another object came first.
    void claim(std::uint32_t n, const std::string& who, const std::string& file, std::uint64_t record,
               std::uint64_t offset) {
        auto [it, fresh] = first.emplace(n, who);
        if (fresh) return;
        out->push_back(
            make_finding(CheckId::filenum_duplicate, file, record, offset,
                         who + " uses file number " + format_hex8(n) + ", already used by " + it->second));
    }
};

}  // namespace

Findings check_external_filenums(const Postoffice& po, const Accounts* accounts) {
    Findings out;
    Owners mailbags{{}, &out};
    if (accounts)
        for (const auto& a : accounts->accounts)
            if (a.mailbag)
                mailbags.first.emplace(*a.mailbag,
                                       "account " + std::to_string(a.index) + " (" + a.mailbox_utf8 + ")");

    std::string shown;
    if (auto bytes = read_glb(po, "GLB/NETPO.GLB", shown)) {
        const auto table = decode_netpo(*bytes);
        std::map<std::string, std::uint32_t> seen;  // "NET/PO" -> its mailbag: one claim per postoffice
        for (std::size_t i = 0; i < table.records.size(); ++i) {
            const auto& r = table.records[i];
            if (r.deleted()) continue;
            const std::string name = cp850_to_utf8(to_upper(r.network()) + "/" + to_upper(r.postoffice()));
            auto [it, fresh] = seen.emplace(name, r.mailbag());
            if (!fresh && it->second == r.mailbag()) continue;
            mailbags.claim(
                r.mailbag(),
                "external postoffice " + name + " (" + shown + " record " + std::to_string(i) + ")", shown, i,
                record_offset(rules::netpo, i, NetpoRecord::size) + NetpoRecord::kMailbag);
        }
    }
    if (auto bytes = read_glb(po, "GLB/NETWORK.GLB", shown)) {
        const auto table = decode_network(*bytes);
        Owners xtns{{}, &out};
        for (std::size_t i = 0; i < table.records.size(); ++i) {
            const auto& r = table.records[i];
            const auto n = r.hexid();
            if (!n) continue;
            const std::uint64_t offset =
                record_offset(rules::network, i, NetworkRecord::size) + NetworkRecord::kHexid;
            const std::string who = std::string(r.is_gateway() ? "gateway " : "network ") +
                                    cp850_to_utf8(r.name()) + " (" + shown + " record " + std::to_string(i) +
                                    ")";
            if (r.is_gateway())
                mailbags.claim(*n, who, shown, i, offset);
            else if (r.is_network())
                xtns.claim(*n, who, shown, i, offset);
        }
    }
    return out;
}

}  // namespace mspo
