#include <algorithm>
#include <charconv>
#include <functional>

#include "mspo/format/access.hpp"
#include "mspo/format/control.hpp"
#include "mspo/base/error.hpp"
#include "mspo/format/key.hpp"
#include "mspo/format/layout.hpp"
#include "mspo/format/mai.hpp"
#include "mspo/format/mbg.hpp"
#include "mspo/format/netpo.hpp"
#include "mspo/pogen/builder.hpp"
#include "mspo/pogen/damage.hpp"
#include "damage_support.hpp"

namespace mspo::pogen {

namespace {

class Damager : public DamageContext {
public:
    using DamageContext::DamageContext;

    std::int64_t age_arg(std::size_t i, std::int64_t def) const {
        if (i >= d_.args.size()) return def;
        auto v = parse_duration(d_.args[i]);
        if (!v) fail("'" + d_.args[i] + "' is not a duration");
        return *v;
    }

    std::string mailbag_of(std::size_t i) const { return format_hex8(m_.accounts[i].mailbag); }

    ControlFile control() {
        auto c = ControlFile::from_bytes(file("GLB/CONTROL.GLB").data);
        if (!c) fail("GLB/CONTROL.GLB is already damaged");
        return *c;
    }
    std::uint32_t fresh_mailbag() {
        auto c = control();
        const std::uint32_t n = c.next_mailbag();
        c.set_next_mailbag(n + 1);
        file("GLB/CONTROL.GLB").data = c.to_bytes();
        return n;
    }
    std::uint32_t fresh_letter() {
        auto c = control();
        const std::uint32_t n = c.next_letter();
        c.set_next_letter(n + 1);
        file("GLB/CONTROL.GLB").data = c.to_bytes();
        return n;
    }

    // The highest letter number a file of the tree uses (MAI, ATT, P1 envelopes
    // and locks), as control.counter-low counts them: freed slots may name
    // higher numbers whose MAIs are gone, so the counter's own value minus one
    // is not always in use.
    std::uint32_t highest_letter_in_use() const {
        std::uint32_t high = 0;
        for (const auto& [path, f] : t_.files) {
            const auto slash = path.rfind('/');
            const std::string name = path.substr(slash == std::string::npos ? 0 : slash + 1);
            const bool letter = path.starts_with("MAI/") || path.starts_with("ATT/") ||
                                (path.starts_with("P1/") && name.size() > 9 && name[9] == 'P');
            std::uint32_t n = 0;
            if (letter && name.size() > 8 && name[8] == '.' && parse_hex8(name.substr(0, 8), n))
                high = std::max(high, n);
        }
        for (const auto& [n, refs] : m_.mai_refs) high = std::max(high, n);
        return high;
    }

    // A message that an account's mailbag holds live (the first in number order).
    std::uint32_t live_mai() const {
        if (!d_.args.empty()) {
            std::uint32_t n = 0;
            if (!parse_hex8(d_.args[0], n) || !m_.mai_refs.count(n)) fail("no message " + d_.args[0]);
            return n;
        }
        for (const auto& [n, refs] : m_.mai_refs)
            if (refs > 0) return n;
        fail("the postoffice holds no message");
    }

    void remove_dir(const std::string& dir) {
        require_inside(dir);
        const std::string up = to_upper(dir);
        if (!t_.dirs.count(up)) fail("no folder " + up);
        std::erase_if(t_.dirs, [&](const std::string& d) { return d == up || d.starts_with(up + "/"); });
        std::erase_if(t_.files, [&](const auto& f) { return f.first.starts_with(up + "/"); });
    }

    void access2(std::size_t idx, const std::function<void(Access2Record&)>& f) {
        auto& bytes = file("GLB/ACCESS2.GLB").data;
        auto table = decode_table<Access2Record>(bytes, rules::access2);
        f(table.records.at(idx));
        bytes = encode_table(table);
    }

    void add_p1(const std::string& name, std::int64_t age, std::size_t size) {
        if (!is_safe_file_name(name))
            fail("'" + name +
                 "' is not a file name: pogen writes only inside OUTDIR (no '/', '\\', '..' or "
                 "empty name)");
        Bytes data(size);
        Rng rng(m_.seed ^ name.size() ^ static_cast<std::uint64_t>(age));
        for (auto& b : data) b = static_cast<std::uint8_t>(rng.next() >> 56);
        t_.files["P1/" + to_upper(name)] = TreeFile{std::move(data), m_.now - age, false};
    }

    void over_limit() {
        const std::string stem = mailbag_of(d_.args.empty() ? 0 : account(0));
        const auto records = num_arg(1, kMailbagLimit);
        auto& mbg = file("MBG/" + stem + ".MBG").data;
        auto& keyf = file("KEY/" + stem + ".KEY").data;
        KeyFile key = KeyFile::from_bytes(keyf);
        Rng rng(m_.seed);
        for (std::uint64_t slot = mbg.size() / MbgRecord::size; slot < records; ++slot) {
            MbgRecord r;
            for (auto& b : r.raw) b = static_cast<std::uint8_t>(rng.next() >> 56);
            mbg.insert(mbg.end(), r.raw.begin(), r.raw.end());
            if (slot < kMailbagLimit) key.set_slot_deleted(slot, true);
        }
        keyf = key.to_bytes();
    }

    void queued() {
        std::uint32_t n = 0;
        if (!d_.args.empty()) {
            if (!parse_hex8(d_.args[0], n)) fail("'" + d_.args[0] + "' is not 8 hex digits");
            auto c = control();
            if (n >= c.next_letter()) {
                c.set_next_letter(n + 1);
                file("GLB/CONTROL.GLB").data = c.to_bytes();
            }
        } else {
            n = fresh_letter();
        }
        const std::int64_t age = age_arg(1, 3 * 86400);
        MbgRecord r;
        r.set_sender("ADMIN");
        r.set_subject("Queued from another postoffice");
        r.set_mai(n);
        auto& mbg = file("MBG/INQUEUE3.MBG").data;
        mbg.insert(mbg.end(), r.raw.begin(), r.raw.end());
        t_.files[mai_relpath(n)] = TreeFile{make_mai(m_.seed, n, 1), m_.now - age, false};
        add_p1(format_hex8(n) + ".P1", age, 128);
    }

    void run() {
        const std::string& k = d_.kind;
        if (k == "missing-dir")
            remove_dir(arg(0, "HLP"));
        else if (k == "not-dir") {
            require_inside(arg(0, "HLP"));
            const std::string dir = to_upper(arg(0, "HLP"));
            remove_dir(dir);
            t_.files[dir] =
                TreeFile{Bytes{'n', 'o', 't', ' ', 'a', ' ', 'f', 'o', 'l', 'd', 'e', 'r'}, m_.now, false};
        } else if (k == "glb-missing") {
            file(arg(0, "GLB/REQCONF.GLB"));
            t_.files.erase(to_upper(arg(0, "GLB/REQCONF.GLB")));
        } else if (k == "truncate") {
            auto& data = file(arg(0, "GLB/MASTER.GLB")).data;
            data.resize(data.size() - std::min<std::size_t>(data.size(), num_arg(1, 1)));
        } else if (k == "size-rule") {
            auto& data = file(arg(0, "GLB/GLOBAL.GLB")).data;
            data.insert(data.end(), num_arg(1, 1), 0x5A);
        } else if (k == "bad-chars") {
            const std::string name = m_.accounts[account(0)].name;
            access2(account(0), [&](Access2Record& r) {
                r.set_mailbox(name.substr(0, 1) + "\x01\x1b" + name.substr(1, 7));
            });
        } else if (k == "bad-mailbag") {
            access2(account(0), [](Access2Record& r) {
                put_cstr(r.raw, Access2Record::kMailbag, Access2Record::kMailbagWidth, "0000XY!Z");
            });
        } else if (k == "access-count") {
            const std::string f = to_upper(arg(0, "GLB/ACCESS3.GLB"));
            const std::size_t size = f == "GLB/ACCESS.GLB" ? 586 : f == "GLB/ACCESS2.GLB" ? 69 : 512;
            auto& data = file(f).data;
            data.insert(data.end(), size, 0);
        } else if (k == "dup-filenum")
            dup_filenum();
        else if (k == "missing-mbg")
            t_.files.erase("MBG/" + mailbag_of(account(0)) + ".MBG");
        else if (k == "missing-key")
            t_.files.erase("KEY/" + mailbag_of(account(0)) + ".KEY");
        else if (k.starts_with("mbg-") && k != "mbg-orphan")
            mbg_not_regular(k);
        else if (k == "key-orphan")
            t_.files["KEY/" + format_hex8(fresh_mailbag()) + ".KEY"] = {Bytes(KeyFile::size), m_.now, false};
        else if (k == "mbg-orphan")
            t_.files["MBG/" + format_hex8(fresh_mailbag()) + ".MBG"] = {Bytes{}, m_.now, false};
        else if (k == "over-limit")
            over_limit();
        else if (k == "counter-low") {
            auto c = control();
            const std::string which = arg(0, "mailbag");
            if (which == "mailbag")
                c.set_next_mailbag(c.next_mailbag() - 1);
            else if (which == "letter")
                c.set_next_letter(highest_letter_in_use());
            else
                fail("expected mailbag or letter");
            file("GLB/CONTROL.GLB").data = c.to_bytes();
        } else if (k == "missing-mai")
            t_.files.erase(mai_relpath(live_mai()));
        else if (k == "mai-refcount") {
            const std::uint32_t n = live_mai();
            set_refcount(file(mai_relpath(n)).data,
                         static_cast<std::uint16_t>(num_arg(1, m_.mai_refs.at(n) + 1u)));
        } else if (k == "p1-stale" || k == "p1-fresh") {
            std::string name = arg(0, "");
            if (name.empty()) name = format_hex8(fresh_letter()) + ".P1";
            add_p1(name, age_arg(1, k == "p1-stale" ? 3 * 86400 : 60), 128);
        } else if (k == "lock-stale")
            add_p1(arg(0, "00000000.0LK"), age_arg(1, 86400), 8);
        else if (k == "lock-fresh")
            add_p1(arg(0, "LOCKP1ID.PBB"), age_arg(1, 10), 8);
        else if (k == "queued")
            queued();
        else
            fail("unknown damage kind");
    }

    // The account's MBG becomes a folder, a FIFO or a link (out of the postoffice, or to nothing).
    void mbg_not_regular(const std::string& k) {
        const std::string rel = "MBG/" + mailbag_of(account(0)) + ".MBG";
        TreeFile& f = file(rel);
        f.data.clear();
        if (k == "mbg-folder") {
            t_.files.erase(rel);
            t_.dirs.insert(rel);
        } else if (k == "mbg-fifo") {
            f.kind = TreeFile::Kind::fifo;
        } else {
            f.kind = TreeFile::Kind::symlink;
            f.target = k == "mbg-symlink-out" ? "/dev/null" : "NO-SUCH.MBG";
        }
    }

    void dup_filenum() {
        const std::string how = arg(0, "account");
        if (how == "account") {
            const std::size_t b = account(1);
            if (b == 0) fail("needs two active accounts");
            access2(b, [&](Access2Record& r) { r.set_mailbag(m_.accounts[0].mailbag); });
        } else if (how == "external") {
            if (m_.externals.empty()) fail("needs an external postoffice");
            auto& bytes = file("GLB/NETPO.GLB").data;
            auto table = decode_netpo(bytes);
            if (table.records.empty()) fail("needs an external postoffice with users=1 or more");
            table.records[0].set_mailbag(m_.accounts[0].mailbag);
            bytes = encode_netpo(table);
        } else {
            fail("expected account or external");
        }
    }
};

}  // namespace

void DamageContext::fail(const std::string& what) const {
    std::string where = d_.line ? "spec line " + std::to_string(d_.line) + ": " : std::string();
    throw Error(Errc::usage, where + "damage " + d_.kind + ": " + what);
}

std::string DamageContext::arg(std::size_t i, const std::string& def) const {
    return i < d_.args.size() ? d_.args[i] : def;
}

std::uint64_t DamageContext::num_arg(std::size_t i, std::uint64_t def) const {
    if (i >= d_.args.size()) return def;
    std::uint64_t v = 0;
    const auto& s = d_.args[i];
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || end != s.data() + s.size()) fail("'" + s + "' is not a number");
    return v;
}

void DamageContext::require_inside(const std::string& rel) const {
    if (!is_inside_path(rel))
        fail("'" + rel +
             "' is not a path inside the postoffice: pogen writes only inside OUTDIR (no '..', "
             "'.', '\\', empty or absolute path)");
}

TreeFile& DamageContext::file(const std::string& rel) {
    require_inside(rel);
    const std::string up = to_upper(rel);
    if (!t_.has(up)) fail("the postoffice has no " + up);
    return t_.at(up);
}

std::size_t DamageContext::account(std::size_t argi) const {
    const auto& acc = m_.accounts;
    if (argi < d_.args.size()) {
        for (std::size_t i = 0; i < acc.size(); ++i)
            if (acc[i].name == to_upper(d_.args[argi]) && !acc[i].deleted) return i;
        fail("no active account " + d_.args[argi]);
    }
    std::optional<std::size_t> any;
    for (std::size_t i = acc.size(); i-- > 1;) {
        if (acc[i].deleted) continue;
        if (!any) any = i;
        if (m_.mailbags.at(format_hex8(acc[i].mailbag)).slots.empty()) return i;
    }
    return any.value_or(0);
}

void apply_damage(Tree& tree, const Model& model, const DamageSpec& damage) {
    if (!is_damage_kind(damage.kind)) throw Error(Errc::usage, "unknown damage kind '" + damage.kind + "'");
    if (apply_list_damage(tree, model, damage)) return;
    if (apply_mailbag_damage(tree, model, damage)) return;
    Damager(tree, model, damage).run();
}

}  // namespace mspo::pogen
