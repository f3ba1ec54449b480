// control.counter-low: GLB/CONTROL.GLB's counters must be above every number
// in use, or new files collide with old ones (KB Q117738, Q87388, Q122852).
#include <functional>

#include "mspo/checks/check.hpp"
#include "mspo/format/control.hpp"
#include "mspo/base/error.hpp"
#include "mspo/format/netpo.hpp"
#include "mspo/format/network.hpp"
#include "mspo/base/platform.hpp"
#include "mspo/base/os.hpp"

namespace mspo {

namespace {

constexpr std::uint64_t kGlbReadLimit = 64ull * 1024 * 1024;

using Highest = HighestInUse;

void see(Highest& h, std::uint32_t n, const std::function<std::string()>& what) {
    if (h.number && n <= *h.number) return;
    h.number = n;
    h.where = what();
}

std::string stem_of(const std::string& upper) { return upper.substr(0, upper.find('.')); }
std::string ext_of(const std::string& upper) {
    const auto dot = upper.find('.');
    return dot == std::string::npos ? std::string() : upper.substr(dot + 1);
}

// Files named <8hex>.<ext> in `dir` (ext "" = any extension for which `accept` holds).
void file_names(const Postoffice& po, const std::string& dir,
                const std::function<bool(const std::string&)>& accept, Highest& h) {
    for (const auto& [upper, name] : po.list(dir)) {
        std::uint32_t n = 0;
        if (!parse_hex8(stem_of(upper), n) || upper.size() <= 9 || upper[8] != '.' || !accept(ext_of(upper)))
            continue;
        see(h, n, [&, &name = name] { return po.relative(os::join(po.path_for(dir), name)); });
    }
}

template <class Table, class Decode>
std::optional<Table> read_glb(const Postoffice& po, const char* rel, Decode decode) {
    auto p = po.find(rel);
    if (!p || platform::stat_nofollow(*p).type != platform::EntryType::regular) return std::nullopt;
    return decode(platform::read_file(*p, kGlbReadLimit));
}

Highest mailbags_in_use(const Postoffice& po, const Accounts* accounts) {
    Highest h;
    if (accounts)
        for (const auto& a : accounts->accounts)
            if (a.mailbag)
                see(h, *a.mailbag,
                    [&] { return accounts->access2.relpath + " record " + std::to_string(a.index); });
    if (auto t = read_glb<NetpoTable>(po, "GLB/NETPO.GLB", [](const Bytes& b) { return decode_netpo(b); }))
        for (std::size_t i = 0; i < t->records.size(); ++i)
            if (!t->records[i].deleted())
                see(h, t->records[i].mailbag(), [&] { return "GLB/NETPO.GLB record " + std::to_string(i); });
    if (auto t =
            read_glb<NetworkTable>(po, "GLB/NETWORK.GLB", [](const Bytes& b) { return decode_network(b); }))
        for (std::size_t i = 0; i < t->records.size(); ++i)
            if (auto n = t->records[i].hexid())
                see(h, *n, [&] { return "GLB/NETWORK.GLB record " + std::to_string(i); });
    const auto is = [](const char* want) { return [want](const std::string& ext) { return ext == want; }; };
    file_names(po, "MBG", is("MBG"), h);
    file_names(po, "KEY", is("KEY"), h);
    file_names(po, "USR", is("USR"), h);
    file_names(po, "XTN", is("XTN"), h);
    file_names(po, "INF", is("INF"), h);
    file_names(po, "NME", is("NME"), h);
    file_names(po, "MMF", is("MMF"), h);
    file_names(po, "P1", is("0LK"), h);
    return h;
}

Highest letters_in_use(const Postoffice& po, const MailScan& scan) {
    Highest h;
    static const char* hex = "0123456789ABCDEF";
    for (int d = 0; d < 16; ++d) {
        file_names(
            po, std::string("MAI/MA") + hex[d], [](const std::string& e) { return e == "MAI"; }, h);
        file_names(
            po, std::string("ATT/AT") + hex[d], [](const std::string& e) { return e == "ATT"; }, h);
    }
    file_names(
        po, "P1", [](const std::string& e) { return !e.empty() && e[0] == 'P'; }, h);
    if (!scan.refs.empty()) {
        const std::uint32_t n = scan.refs.rbegin()->first;
        see(h, n, [&] { return "a live mailbag header (MAI " + format_hex8(n) + ")"; });
    }
    return h;
}

}  // namespace

NumbersInUse numbers_in_use(const Postoffice& po, const Accounts* accounts, const MailScan& scan) {
    return {mailbags_in_use(po, accounts), letters_in_use(po, scan)};
}

Findings check_control(const Postoffice& po, const Accounts* accounts, const MailScan& scan) {
    Findings out;
    auto p = po.find("GLB/CONTROL.GLB");
    if (!p) return out;  // glb.missing reports it
    const auto info = platform::stat_nofollow(*p);
    if (info.type != platform::EntryType::regular || info.size != ControlFile::size)
        return out;  // size.rule's
    const auto control = ControlFile::from_bytes(platform::read_file(*p, ControlFile::size));
    if (!control) return out;
    const std::string rel = po.relative(*p);
    const auto judge = [&](const char* what, std::uint32_t next, std::size_t offset, const Highest& h) {
        if (!h.number || next > *h.number) return;
        out.push_back(make_finding(CheckId::control_counter_low, rel, std::nullopt, offset,
                                   std::string("next ") + what + " number " + format_hex8(next) +
                                       " is not above " + format_hex8(*h.number) + ", in use by " + h.where +
                                       "; new files would reuse numbers"));
    };
    const NumbersInUse used = numbers_in_use(po, accounts, scan);
    judge("mailbag", control->next_mailbag(), ControlFile::kNextMailbag, used.mailbag);
    judge("letter", control->next_letter(), ControlFile::kNextLetter, used.letter);
    return out;
}

Findings check_control(const Postoffice& po) {
    std::optional<Accounts> accounts;
    try {
        accounts = load_accounts(po);
    } catch (const Error& e) {
        if (e.code() != Errc::not_found) throw;
    }
    return check_control(po, accounts ? &*accounts : nullptr, scan_mailbags(po));
}

}  // namespace mspo
