#include <set>

#include "mspo/format/access.hpp"
#include "mspo/format/control.hpp"
#include "mspo/format/glb_fixed.hpp"
#include "mspo/format/group.hpp"
#include "mspo/format/grp.hpp"
#include "mspo/format/grpmem.hpp"
#include "mspo/format/layout.hpp"
#include "mspo/format/mem.hpp"
#include "mspo/format/netpo.hpp"
#include "mspo/format/network.hpp"
#include "mspo/format/nme.hpp"
#include "mspo/format/opaque_records.hpp"
#include "mspo/pogen/builder.hpp"
#include "mspo/pogen/damage.hpp"

namespace mspo::pogen {

namespace {

void put(Tree& tree, const std::string& rel, Bytes data, std::int64_t mtime) {
    tree.files[rel] = TreeFile{std::move(data), mtime, false};
}

template <class Record>
Table<Record> empty_table(std::size_t header_size) {
    Table<Record> t;
    t.header.assign(header_size, 0);
    return t;
}

void accounts(const Model& m, Tree& tree, std::int64_t mtime) {
    AccessTable a;
    Access2Table a2;
    Access3Table a3;
    for (const auto& acc : m.accounts) {
        AccessRecord r;
        r.set_full_name(acc.full_name);
        a.records.push_back(r);
        Access2Record r2;
        r2.set_mailbox(acc.name);
        r2.set_mailbag(acc.mailbag);
        r2.set_tid(acc.tid);
        r2.set_deleted(acc.deleted);
        a2.records.push_back(r2);
        a3.records.push_back(Access3Record{});
    }
    put(tree, "GLB/ACCESS.GLB", encode_table(a), mtime);
    put(tree, "GLB/ACCESS2.GLB", encode_table(a2), mtime);
    put(tree, "GLB/ACCESS3.GLB", encode_table(a3), mtime);
}

void fixed_glb(const Model& m, Tree& tree, std::int64_t mtime) {
    ControlFile control;
    control.set_next_mailbag(m.next_mailbag);
    control.set_next_letter(m.next_letter);
    put(tree, "GLB/CONTROL.GLB", control.to_bytes(), mtime);
    MasterFile master;
    master.set_enhanced_security(false);
    put(tree, "GLB/MASTER.GLB", master.to_bytes(), mtime);
    TidFile tid;
    tid.set_tid(m.next_tid);
    put(tree, "GLB/TID.GLB", tid.to_bytes(), mtime);
    put(tree, "GLB/FLAG.GLB", FlagFile{}.to_bytes(), mtime);
    put(tree, "GLB/RNETSEM.GLB", RnetsemFile{}.to_bytes(), mtime);
    put(tree, "GLB/MODEM.GLB", ModemFile{}.to_bytes(), mtime);
    put(tree, "GLB/GLOBAL.GLB", GlobalFile{}.to_bytes(), mtime);
    put(tree, "GLB/REQCONF.GLB", ReqconfFile{}.to_bytes(), mtime);
    put(tree, "GLB/PROCESS.GLB", encode_table(empty_table<ProcessRecord>(rules::process.header)), mtime);
}

// ADMIN.GRP and its shadow, GROUP.GLB, GRPMEM.GLB and one MEM file per group.
// Returns each group's first node offset in ADMIN.GRP (0 = no members).
std::vector<std::uint32_t> groups(const Model& m, Tree& tree, std::int64_t mtime) {
    GrpTable grp = empty_table<GrpNode>(kGrpHeaderSize);
    auto group = empty_table<GroupRecord>(rules::group.header);
    std::vector<std::uint32_t> first;
    std::set<std::uint32_t> in_group;
    for (const auto& g : m.groups) {
        first.push_back(g.members.empty() ? 0
                                          : static_cast<std::uint32_t>(grp_node_offset(grp.records.size())));
        std::vector<std::uint32_t> bags;
        for (std::size_t i = 0; i < g.members.size(); ++i) {
            GrpNode node;
            node.set_tid(m.accounts[g.members[i]].tid);
            const bool last = i + 1 == g.members.size();
            node.set_next(last ? 0 : static_cast<std::uint32_t>(grp_node_offset(grp.records.size() + 1)));
            grp.records.push_back(node);
            bags.push_back(m.accounts[g.members[i]].mailbag);
            in_group.insert(g.members[i]);
        }
        GroupRecord rec;
        rec.set_alias(g.name);
        rec.set_tid(g.tid);
        rec.set_type(static_cast<std::uint8_t>(NmeType::group));
        rec.set_grp_offset(first.back());
        group.records.push_back(rec);
        put(tree, "MEM/" + rec.mem_filename(), build_mem(bags), mtime);
    }
    put(tree, "GRP/ADMIN.GRP", encode_grp(grp), mtime);
    put(tree, "GRP/ADMINSHD.GRP", encode_grp(grp), mtime);
    put(tree, "GLB/GROUP.GLB", encode_group(group), mtime);
    auto grpmem = empty_table<GrpmemRecord>(rules::grpmem.header);
    for (auto idx : in_group) {
        GrpmemRecord r;
        r.set_mailbag(m.accounts[idx].mailbag);
        grpmem.records.push_back(r);
    }
    put(tree, "GLB/GRPMEM.GLB", encode_grpmem(grpmem), mtime);
    return first;
}

// NETWORK.GLB, NETPO.GLB, the XTN and USR files. Returns the NME entries of
// the external users (type 2, pointing into NETPO.GLB).
std::vector<NmeRecord> externals(const Model& m, Tree& tree, std::int64_t mtime) {
    NetworkTable network;
    for (const auto& net : m.networks) {
        NetworkRecord r;
        r.set_kind(NetworkRecord::kKindNetwork);
        r.set_name(net.name);
        r.set_hexid(net.xtn);
        network.records.push_back(r);
        XtnTable xtn;
        xtn.records.resize(net.externals.size());
        put(tree, "XTN/" + format_hex8(net.xtn) + ".XTN", encode_table(xtn), mtime);
    }
    put(tree, "GLB/NETWORK.GLB", encode_network(network), mtime);
    auto netpo = empty_table<NetpoRecord>(rules::netpo.header);
    std::vector<NmeRecord> entries;
    for (const auto& x : m.externals) {
        UsrTable usr;
        usr.records.resize(x.users.size());
        put(tree, "USR/" + format_hex8(x.mailbag) + ".USR", encode_table(usr), mtime);
        for (std::size_t i = 0; i < x.users.size(); ++i) {
            NmeRecord e;
            e.set_alias(x.postoffice + " " + x.users[i]);
            e.set_tid(x.user_tids[i]);
            e.set_type(NmeType::external);
            e.set_pointer(static_cast<std::uint32_t>(
                record_offset(rules::netpo, netpo.records.size(), NetpoRecord::size)));
            entries.push_back(e);
            NetpoRecord r;
            r.set_network(x.network);
            r.set_postoffice(x.postoffice);
            r.set_mailbox(x.users[i]);
            r.set_mailbag(x.mailbag);
            r.set_tid(x.user_tids[i]);
            netpo.records.push_back(r);
        }
    }
    put(tree, "GLB/NETPO.GLB", encode_netpo(netpo), mtime);
    return entries;
}

// ADMIN.NME (the POL) and its shadow, and each user's PAL.
void address_lists(const Model& m, Tree& tree, std::int64_t mtime,
                   const std::vector<std::uint32_t>& group_first,
                   const std::vector<NmeRecord>& external_entries) {
    NmeTable pol;
    for (std::size_t i = 0; i < m.accounts.size(); ++i) {
        const auto& a = m.accounts[i];
        if (a.deleted) continue;
        NmeRecord r;
        r.set_alias(a.full_name);
        r.set_tid(a.tid);
        r.set_type(NmeType::local);
        r.set_pointer(static_cast<std::uint32_t>(i * Access2Record::size));
        pol.records.push_back(r);
    }
    for (std::size_t i = 0; i < m.groups.size(); ++i) {
        NmeRecord r;
        r.set_alias(m.groups[i].name);
        r.set_tid(m.groups[i].tid);
        r.set_type(NmeType::group);
        r.set_pointer(group_first[i]);
        pol.records.push_back(r);
    }
    pol.records.insert(pol.records.end(), external_entries.begin(), external_entries.end());
    put(tree, "NME/ADMIN.NME", encode_nme(pol), mtime);
    put(tree, "NME/ADMINSHD.NME", encode_nme(pol), mtime);
    for (const auto& a : m.accounts) {
        if (a.pal == 0 || a.deleted) continue;
        NmeTable pal;
        for (std::uint32_t k = 0; k < a.pal; ++k) pal.records.push_back(pol.records[k % pol.records.size()]);
        put(tree, "NME/" + format_hex8(a.mailbag) + ".NME", encode_nme(pal), mtime);
    }
}

}  // namespace

void render_directory(const Model& m, Tree& tree) {
    const std::int64_t mtime = m.now - 3600;
    for (const auto& d : standard_dirs()) tree.dirs.insert(d);
    fixed_glb(m, tree, mtime);
    accounts(m, tree, mtime);
    const auto first = groups(m, tree, mtime);
    const auto ext = externals(m, tree, mtime);
    address_lists(m, tree, mtime, first, ext);
}

Tree render(const Model& model) {
    Tree tree;
    render_directory(model, tree);
    render_mail(model, tree);
    return tree;
}

Model plan_spec(const Spec& spec, const BuildOptions& options) {
    Spec s = spec;
    if (options.users) s.users = options.users;
    return plan(s, options.seed.value_or(spec.seed.value_or(1)),
                options.now.value_or(spec.now.value_or(kDefaultNow)));
}

Tree build(const Spec& spec, const BuildOptions& options) {
    const Model model = plan_spec(spec, options);
    Tree tree = render(model);
    for (const auto& d : spec.damages) apply_damage(tree, model, d);
    for (const auto& d : options.damages) apply_damage(tree, model, d);
    return tree;
}

}  // namespace mspo::pogen
