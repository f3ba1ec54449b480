// The address-list damage kinds: the POL (both copies alike unless the kind
// is a shadow kind), the PALs, the group chains in ADMIN.GRP and NETPO.GLB.
// Every change goes through the format codecs (nme, grp, group, netpo).
#include <algorithm>
#include <functional>

#include "damage_support.hpp"
#include "mspo/base/error.hpp"
#include "mspo/format/access.hpp"
#include "mspo/format/group.hpp"
#include "mspo/format/grp.hpp"
#include "mspo/format/layout.hpp"
#include "mspo/format/netpo.hpp"
#include "mspo/format/nme.hpp"
#include "mspo/pogen/builder.hpp"

namespace mspo::pogen {

namespace {

constexpr const char* kPol = "NME/ADMIN.NME";
constexpr const char* kPolShadow = "NME/ADMINSHD.NME";
constexpr const char* kGrp = "GRP/ADMIN.GRP";
constexpr const char* kGrpShadow = "GRP/ADMINSHD.GRP";
constexpr std::uint64_t kPastEnd = 0x100;  // how far past ADMIN.GRP's end a chain is sent

// Control bytes at alias bytes 1 and 2: what step 5 of KB Q237695 calls a damaged entry.
void garble_alias(NmeRecord& r) {
    r.raw[NmeRecord::kAlias + 1] = 0x01;
    r.raw[NmeRecord::kAlias + 2] = 0x1B;
}

class ListDamager : public DamageContext {
public:
    using DamageContext::DamageContext;

    bool run() {
        const std::string& k = d_.kind;
        if (k == "nme-shadow")
            nme_shadow();
        else if (k == "grp-shadow")
            grp_shadow();
        else if (k == "nme-bad-alias")
            bad_alias();
        else if (k == "pal-account-gone")
            pal_account_gone();
        else if (k == "nme-local-stale")
            local_stale();
        else if (k == "pol-missing")
            edit_pol([&](NmeTable& t) { erase_at(t, pol_index(t, account(0))); });
        else if (k == "pol-missing-group")
            missing_group();
        else if (k == "grp-chain")
            grp_chain();
        else if (k == "nme-group-pointer")
            group_pointer();
        else if (k == "nme-external-pointer")
            external_pointer();
        else if (k == "nme-duplicate-tid") {
            const std::size_t a = account(0);
            edit_pol([&](NmeTable& t) { t.records.push_back(t.records[pol_index(t, a)]); });
        } else if (k == "nme-unknown-type")
            unknown_type();
        else if (k == "nme-partial")
            partial();
        else if (k == "pol-garbled")
            garbled();
        else if (k == "pol-noise")
            noise();
        else if (k == "grp-zero")
            grp_zero();
        else
            return false;
        return true;
    }

private:
    // Applies `f` to each copy of the POL, decoded and encoded on its own (so
    // earlier damage to one copy stays).
    void edit_pol(const std::function<void(NmeTable&)>& f) {
        for (const char* rel : {kPol, kPolShadow}) edit_nme(rel, f);
    }
    void edit_nme(const std::string& rel, const std::function<void(NmeTable&)>& f) {
        auto& bytes = file(rel).data;
        auto table = decode_nme(bytes);
        f(table);
        bytes = encode_nme(table);
    }
    void edit_grp(const std::string& rel, const std::function<void(GrpTable&)>& f) {
        auto& bytes = file(rel).data;
        auto table = decode_grp(bytes);
        f(table);
        bytes = encode_grp(table);
    }
    static void erase_at(NmeTable& t, std::size_t i) {
        t.records.erase(t.records.begin() + static_cast<std::ptrdiff_t>(i));
    }

    // The POL record of account `a` (by TID, a local entry).
    std::size_t pol_index(const NmeTable& t, std::size_t a) const {
        for (std::size_t i = 0; i < t.records.size(); ++i)
            if (t.records[i].tid() == m_.accounts[a].tid && t.records[i].type() == NmeType::local) return i;
        fail("the POL has no entry for " + m_.accounts[a].name);
    }

    // The account named by argument `argi` that has a PAL, or the first that has one.
    std::string pal_of(std::size_t argi) const {
        if (argi < d_.args.size()) {
            const std::size_t a = account(argi);
            if (m_.accounts[a].pal == 0) fail(m_.accounts[a].name + " has no PAL");
            return "NME/" + format_hex8(m_.accounts[a].mailbag) + ".NME";
        }
        for (const auto& a : m_.accounts)
            if (a.pal > 0 && !a.deleted) return "NME/" + format_hex8(a.mailbag) + ".NME";
        fail("needs a PAL (a user with pal=N)");
    }

    // A TID that no account, group or external user has.
    std::uint32_t unused_tid() const { return m_.next_tid + 0x100; }

    const Group& group(std::size_t argi, bool with_members) const {
        if (argi < d_.args.size()) {
            for (const auto& g : m_.groups)
                if (g.name == to_upper(d_.args[argi])) {
                    if (with_members && g.members.empty()) fail("group " + g.name + " has no members");
                    return g;
                }
            fail("no group " + d_.args[argi]);
        }
        for (const auto& g : m_.groups)
            if (!with_members || !g.members.empty()) return g;
        fail(with_members ? "needs a group with members (a `group NAME MEMBER...` line)"
                          : "needs a group (a `group NAME MEMBER...` line)");
    }

    void nme_shadow() {
        const std::string how = arg(0, "bytes");
        if (how == "both") return nme_both();
        if (how == "main") {
            edit_nme(kPol, [&](NmeTable& t) {
                if (t.records.empty()) fail(std::string(kPol) + " has no record");
                garble_alias(t.records[0]);
            });
            return;
        }
        if (how != "bytes" && how != "size" && how != "mtime" && how != "truncated")
            fail("expected bytes, size, mtime, truncated, main or both");
        shadow(kPol, kPolShadow, 0, NmeRecord::size, how);
    }

    // Both POL copies damaged, differently, and the shadow alone holds an
    // entry: ADMIN.NME gets control bytes in its first alias and loses its
    // first external entry; ADMINSHD.NME gets control bytes in its second
    // alias and keeps that external entry (a repair must not lose it).
    void nme_both() {
        edit_nme(kPol, [&](NmeTable& t) {
            if (t.records.size() < 2) fail(std::string(kPol) + " needs two entries");
            garble_alias(t.records[0]);
            const auto ext = std::find_if(t.records.begin(), t.records.end(),
                                          [](const NmeRecord& r) { return r.type() == NmeType::external; });
            if (ext == t.records.end()) fail("needs an external user (an `external NET/PO users=N` line)");
            t.records.erase(ext);
        });
        edit_nme(kPolShadow, [&](NmeTable& t) { garble_alias(t.records[1]); });
    }

    void grp_shadow() {
        const std::string how = arg(0, "bytes");
        if (how == "main") {
            edit_grp(kGrp, [&](GrpTable& t) {
                if (t.records.empty()) fail(std::string(kGrp) + " has no node: needs a group with members");
                t.records.back().set_next(
                    static_cast<std::uint32_t>(grp_node_offset(t.records.size()) + kPastEnd));
            });
            return;
        }
        shadow(kGrp, kGrpShadow, kGrpHeaderSize, GrpNode::size, how);
    }

    // Both GRP copies become zero bytes of their own size, dates kept: what a
    // disk or a copy that failed can leave.
    void grp_zero() {
        for (const char* rel : {kGrp, kGrpShadow}) {
            auto& data = file(rel).data;
            if (data.size() <= kGrpHeaderSize)
                fail(std::string(rel) + " has no node: needs a group with members");
            std::fill(data.begin(), data.end(), std::uint8_t{0});
        }
    }

    // The shadow differs from its main file: a byte, an extra record, its
    // time, or its last record cut off.
    void shadow(const std::string& primary, const std::string& shd, std::size_t header, std::size_t record,
                const std::string& how) {
        TreeFile& s = file(shd);
        if (how == "mtime")
            s.mtime -= 60;
        else if (how == "size")
            s.data.insert(s.data.end(), record, 0);
        else if (how == "truncated") {
            if (s.data.size() < header + record) fail(shd + " has no record to cut");
            s.data.resize(s.data.size() - record);
        } else if (how == "bytes") {
            const std::size_t at = file(primary).data.size() > 8 ? 8 : 0;
            if (s.data.size() <= at) fail(shd + " is empty");
            s.data[at] ^= 0x20;
        } else
            fail("expected bytes, size, mtime, truncated or main");
    }

    void bad_alias() {
        const std::string where = arg(0, "pol");
        if (where == "pol") {
            const std::size_t a = account(1);
            edit_pol([&](NmeTable& t) { garble_alias(t.records[pol_index(t, a)]); });
        } else if (where == "pal") {
            const std::string rel = pal_of(1);
            const auto n = num_arg(2, 0);
            edit_nme(rel, [&](NmeTable& t) {
                if (n >= t.records.size())
                    fail(rel + " has " + std::to_string(t.records.size()) + " entries, no entry " +
                         std::to_string(n));
                garble_alias(t.records[n]);
            });
        } else
            fail("expected pol or pal");
    }

    // Appends to a PAL an entry for a deleted account (as the POL held it
    // before the deletion), or one whose TID, pointer and alias name nobody.
    void pal_account_gone() {
        const std::string how = arg(0, "deleted");
        const std::string rel = pal_of(1);
        NmeRecord r;
        r.set_type(NmeType::local);
        if (how == "deleted") {
            std::optional<std::size_t> gone;
            for (std::size_t i = 0; i < m_.accounts.size() && !gone; ++i)
                if (m_.accounts[i].deleted &&
                    (d_.args.size() < 3 || m_.accounts[i].name == to_upper(d_.args[2])))
                    gone = i;
            if (!gone)
                fail(d_.args.size() < 3 ? "needs a deleted account (a `user NAME deleted` line)"
                                        : "no deleted account " + d_.args[2]);
            const auto& a = m_.accounts[*gone];
            r.set_alias(a.full_name);
            r.set_tid(a.tid);
            r.set_pointer(static_cast<std::uint32_t>(*gone * Access2Record::size));
        } else if (how == "nobody") {
            std::string alias = "Gone Away";
            for (int n = 2; std::any_of(m_.accounts.begin(), m_.accounts.end(),
                                        [&](const PlannedAccount& a) {
                                            return to_upper(a.full_name) == to_upper(alias) ||
                                                   a.name == to_upper(alias);
                                        });
                 ++n)
                alias = "Gone Away " + std::to_string(n);
            r.set_alias(alias);
            r.set_tid(unused_tid());
            r.set_pointer(static_cast<std::uint32_t>(m_.accounts.size() * Access2Record::size));
        } else
            fail("expected deleted or nobody");
        edit_nme(rel, [&](NmeTable& t) { t.records.push_back(r); });
    }

    // A local entry whose account still exists: the pointer names another
    // active account's ACCESS2 record (the nearest before it, else after it;
    // with no other, the end of ACCESS2), or the TID is one nobody has.
    void local_stale() {
        const std::string how = arg(0, "pointer");
        if (how != "pointer" && how != "tid") fail("expected pointer or tid");
        const std::size_t a = account(1);
        std::size_t other = m_.accounts.size();
        for (std::size_t i = a; i-- > 0 && other == m_.accounts.size();)
            if (!m_.accounts[i].deleted) other = i;
        for (std::size_t i = a + 1; i < m_.accounts.size() && other == m_.accounts.size(); ++i)
            if (!m_.accounts[i].deleted) other = i;
        edit_pol([&](NmeTable& t) {
            NmeRecord& r = t.records[pol_index(t, a)];
            if (how == "tid")
                r.set_tid(unused_tid());
            else
                r.set_pointer(static_cast<std::uint32_t>(other * Access2Record::size));
        });
    }

    // The last node of a group's chain (both GRP copies alike) points back to
    // the chain's first node, past the end of the file, or inside a node.
    void grp_chain() {
        const std::string how = arg(0, "cycle");
        if (how != "cycle" && how != "past-end" && how != "misaligned")
            fail("expected cycle, past-end or misaligned");
        const Group& g = group(1, true);
        const auto groups = decode_group(file("GLB/GROUP.GLB").data);
        std::optional<std::uint32_t> start;
        for (const auto& rec : groups.records)
            if (rec.tid() == g.tid) start = rec.grp_offset();
        if (!start) fail("GLB/GROUP.GLB has no record for group " + g.name);
        for (const char* rel : {kGrp, kGrpShadow})
            edit_grp(rel, [&](GrpTable& t) {
                const ChainResult walk = walk_chain(t, *start);
                if (walk.status != ChainStatus::ok || walk.offsets.empty())
                    fail(std::string(rel) + ": the chain of group " + g.name + " is already broken");
                const std::uint64_t last = walk.offsets.back();
                const std::uint64_t next = how == "cycle"      ? walk.offsets.front()
                                           : how == "past-end" ? grp_node_offset(t.records.size()) + kPastEnd
                                                               : last + 4;
                t.records[(last - kGrpHeaderSize) / GrpNode::size].set_next(static_cast<std::uint32_t>(next));
            });
    }

    // A group entry's pointer moved 4 bytes, off any node boundary.
    // Removes GROUP's entry (default: the first group) from both POL copies;
    // GROUP.GLB, ADMIN.GRP and the MEM file keep it.
    void missing_group() {
        const Group& g = group(0, false);
        edit_pol([&](NmeTable& t) {
            for (std::size_t i = 0; i < t.records.size(); ++i)
                if (t.records[i].tid() == g.tid && t.records[i].type() == NmeType::group) {
                    erase_at(t, i);
                    return;
                }
            fail("the POL has no entry for group " + g.name);
        });
    }

    void group_pointer() {
        const Group& g = group(0, false);
        edit_pol([&](NmeTable& t) {
            for (auto& r : t.records)
                if (r.tid() == g.tid && r.type() == NmeType::group) {
                    r.set_pointer(r.pointer() + 4);
                    return;
                }
            fail("the POL has no entry for group " + g.name);
        });
    }

    // The POL record of the n-th external entry.
    std::size_t external_index(const NmeTable& t, std::uint64_t n) const {
        std::uint64_t seen = 0;
        for (std::size_t i = 0; i < t.records.size(); ++i)
            if (t.records[i].type() == NmeType::external && seen++ == n) return i;
        if (seen == 0) fail("needs an external user (an `external NET/PO users=N` line)");
        fail("the POL has " + std::to_string(seen) + " external entries, no entry " + std::to_string(n));
    }

    void external_pointer() {
        const std::string how = arg(0, "past-end");
        const auto n = num_arg(1, 0);
        auto& netpo_bytes = file("GLB/NETPO.GLB").data;
        if (how == "past-end") {
            const auto end = static_cast<std::uint32_t>(netpo_bytes.size());
            edit_pol([&](NmeTable& t) { t.records[external_index(t, n)].set_pointer(end); });
        } else if (how == "deleted") {
            const auto pol = decode_nme(file(kPol).data);
            const auto at = netpo_record_at(pol.records[external_index(pol, n)].pointer());
            auto netpo = decode_netpo(netpo_bytes);
            if (!at || *at >= netpo.records.size())
                fail("that external entry does not point at a NETPO.GLB record");
            netpo.records[*at].set_deleted(true);
            netpo_bytes = encode_netpo(netpo);
        } else
            fail("expected past-end or deleted");
    }

    void unknown_type() {
        const auto type = num_arg(0, 7);
        if (type > 0xFF || nme_type(static_cast<std::uint8_t>(type)))
            fail("TYPE must be a byte value other than 1, 2 and 4");
        const auto size = decode_nme(file(kPol).data).records.size();
        if (size == 0) fail(std::string(kPol) + " has no record");
        const auto rec = num_arg(1, size - 1);
        edit_pol([&](NmeTable& t) {
            if (rec >= t.records.size())
                fail("the POL has " + std::to_string(t.records.size()) + " records, no record " +
                     std::to_string(rec));
            t.records[rec].set_type_code(static_cast<std::uint8_t>(type));
        });
    }

    // FILE (default the POL: both copies) gets the first BYTES of its last record again.
    void partial() {
        const std::string rel = to_upper(arg(0, kPol));
        require_inside(rel);
        if (!rel.starts_with("NME/") || !rel.ends_with(".NME"))
            fail("'" + rel + "' is not an NME/*.NME file");
        const auto bytes = num_arg(1, 20);
        if (bytes == 0 || bytes >= NmeRecord::size) fail("BYTES must be 1 to 44");
        auto cut = [&](NmeTable& t) {
            if (t.records.empty()) fail(rel + " has no record");
            if (!t.trailing.empty()) fail(rel + " already ends in a partial record");
            const auto& last = t.records.back().raw;
            t.trailing.assign(last.begin(), last.begin() + static_cast<std::ptrdiff_t>(bytes));
        };
        if (rel == kPol)
            edit_pol(cut);
        else
            edit_nme(rel, cut);
    }

    // COUNT local entries (chosen by the seed) become pseudo-random records
    // whose alias starts with a control byte, in both copies alike.
    void garbled() {
        const auto pol = decode_nme(file(kPol).data);
        std::vector<std::size_t> locals;
        for (std::size_t i = 0; i < pol.records.size(); ++i)
            if (pol.records[i].type() == NmeType::local) locals.push_back(i);
        const std::uint64_t most = std::min<std::uint64_t>(locals.size(), pol.records.size() / 2);
        const auto count = num_arg(0, std::min<std::uint64_t>(3, most));
        if (count == 0 || count > most)
            fail("COUNT must be 1 to " + std::to_string(most) +
                 " (the POL's local entries, at most half its records: more would not fit the model; see "
                 "pol-noise)");
        Rng rng(m_.seed ^ 0x90A1'6A2B'1ED0'0001ull);
        for (std::size_t i = 0; i < count; ++i)
            std::swap(locals[i], locals[i + rng.below(static_cast<std::uint32_t>(locals.size() - i))]);
        locals.resize(count);
        std::vector<NmeRecord> junk(count);
        for (auto& r : junk) {
            for (auto& b : r.raw) b = static_cast<std::uint8_t>(rng.next() >> 56);
            r.raw[NmeRecord::kAlias] = static_cast<std::uint8_t>(1 + rng.below(0x1F));
        }
        edit_pol([&](NmeTable& t) {
            for (std::size_t i = 0; i < count; ++i)
                if (locals[i] < t.records.size()) t.records[locals[i]] = junk[i];
        });
    }

    // Both copies become RECORDS pseudo-random records: a list our model does not describe.
    void noise() {
        const auto size = decode_nme(file(kPol).data).records.size();
        const auto records = num_arg(0, std::max<std::uint64_t>(44, size));
        if (records < 40 || records > 100000)
            fail("RECORDS must be 40 to 100000 (fewer could pass for damage to a list that fits the model)");
        Rng rng(m_.seed ^ 0x0015'E000'0000'0002ull);
        NmeTable t;
        t.records.resize(records);
        for (auto& r : t.records)
            for (auto& b : r.raw) b = static_cast<std::uint8_t>(rng.next() >> 56);
        const Bytes bytes = encode_nme(t);
        file(kPol).data = bytes;
        file(kPolShadow).data = bytes;
    }
};

}  // namespace

bool apply_list_damage(Tree& tree, const Model& model, const DamageSpec& damage) {
    return ListDamager(tree, model, damage).run();
}

}  // namespace mspo::pogen
