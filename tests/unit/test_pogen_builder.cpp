#include <catch2/catch.hpp>

#include <set>
#include <tuple>

#include "mspo/format/access.hpp"
#include "mspo/format/control.hpp"
#include "mspo/format/glb_fixed.hpp"
#include "mspo/format/group.hpp"
#include "mspo/format/grp.hpp"
#include "mspo/format/key.hpp"
#include "mspo/format/layout.hpp"
#include "mspo/format/mai.hpp"
#include "mspo/format/mbg.hpp"
#include "mspo/format/mem.hpp"
#include "mspo/format/netpo.hpp"
#include "mspo/format/network.hpp"
#include "mspo/format/nme.hpp"
#include "pogen_fixture.hpp"

using namespace mspo;
using namespace mspo::pogen;
using pogen_fixture::kSmallSpec;

namespace {
// Options as plain values: copying a BuildOptions trips GCC 12's -Wnull-dereference false positive.
Tree small(std::optional<std::uint32_t> users = {}, std::optional<std::uint64_t> seed = {},
           std::optional<std::int64_t> now = {}) {
    BuildOptions o;
    o.users = users;
    o.seed = seed;
    o.now = now;
    return build(parse_spec(kSmallSpec), o);
}
}  // namespace

TEST_CASE("pogen_builder: same spec and seed give the same bytes", "[pogen]") {
    const std::string digest = tree_digest(small(60));
    CHECK(digest == tree_digest(small(60)));
    CHECK(digest != tree_digest(small(60, 2)));
    CHECK(digest != tree_digest(small(60, {}, kDefaultNow + 1)));
}

TEST_CASE("pogen_builder: all 51 folders and the core files", "[pogen]") {
    const Tree t = small();
    CHECK(t.dirs.size() == 51);
    for (const char* f :
         {"GLB/CONTROL.GLB", "GLB/MASTER.GLB",   "GLB/ACCESS.GLB",   "GLB/ACCESS2.GLB",  "GLB/ACCESS3.GLB",
          "GLB/TID.GLB",     "GLB/GROUP.GLB",    "GLB/GRPMEM.GLB",   "GLB/NETPO.GLB",    "GLB/NETWORK.GLB",
          "GLB/PROCESS.GLB", "GLB/GLOBAL.GLB",   "GLB/REQCONF.GLB",  "NME/ADMIN.NME",    "NME/ADMINSHD.NME",
          "GRP/ADMIN.GRP",   "GRP/ADMINSHD.GRP", "MBG/INQUEUE3.MBG", "KEY/INQUEUE3.KEY", "P1/POPULATE.MSM"}) {
        INFO(f);
        CHECK(t.has(f));
    }
    CHECK(t.at("P1/POPULATE.MSM").read_only);
    CHECK(t.at("GLB/MASTER.GLB").data.size() == 176);
    CHECK(t.at("GLB/PROCESS.GLB").data.size() == 512);
}

TEST_CASE("pogen_builder: accounts read back through the codecs", "[pogen]") {
    const Tree t = small();
    const auto a2 = decode_table<Access2Record>(t.at("GLB/ACCESS2.GLB").data, rules::access2);
    const auto a1 = decode_table<AccessRecord>(t.at("GLB/ACCESS.GLB").data, rules::access);
    REQUIRE(a2.records.size() == 5);
    CHECK(a1.records.size() == 5);
    CHECK(t.at("GLB/ACCESS3.GLB").data.size() == 5 * 512);
    CHECK(a2.records[0].mailbox() == "ADMIN");
    CHECK(a2.records[0].mailbag() == 0u);
    CHECK(a1.records[1].full_name() == "Alice Smith");
    CHECK(a2.records[4].deleted());
    CHECK_FALSE(t.has("MBG/00000004.MBG"));  // a deleted account keeps no mailbag
    CHECK(t.has("KEY/00000003.KEY"));
    const auto tid = TidFile::from_bytes(t.at("GLB/TID.GLB").data);
    for (const auto& r : a2.records) CHECK(r.tid() < tid->tid());
}

TEST_CASE("pogen_builder: the POL, its shadow, groups and PALs agree", "[pogen]") {
    const Tree t = small();
    CHECK(t.at("NME/ADMIN.NME").data == t.at("NME/ADMINSHD.NME").data);
    CHECK(t.at("NME/ADMIN.NME").mtime == t.at("NME/ADMINSHD.NME").mtime);
    CHECK(t.at("GRP/ADMIN.GRP").data == t.at("GRP/ADMINSHD.GRP").data);
    const auto pol = decode_nme(t.at("NME/ADMIN.NME").data);
    std::map<std::uint8_t, int> types;
    for (const auto& r : pol.records) ++types[r.type_code()];
    CHECK(types[1] == 4);  // the active local accounts
    CHECK(types[4] == 1);  // STAFF
    CHECK(types[2] == 2);  // NET1/PO2's users
    const auto group = decode_group(t.at("GLB/GROUP.GLB").data);
    REQUIRE(group.records.size() == 1);
    CHECK(group.records[0].alias() == "STAFF");
    const auto chain = walk_chain(decode_grp(t.at("GRP/ADMIN.GRP").data), group.records[0].grp_offset());
    CHECK(chain.status == ChainStatus::ok);
    const auto staff = find_tid(pol, group.records[0].tid());
    REQUIRE(staff);
    CHECK(pol.records[*staff].pointer() == group.records[0].grp_offset());
    std::vector<std::string> members;
    for (auto tid : chain.tids) members.push_back(pol.records[*find_tid(pol, tid)].alias());
    CHECK(members == std::vector<std::string>{"Alice Smith", "Bob Jones", "Carol White"});
    const auto mem = mem_mailbags(decode_mem(t.at("MEM/" + group.records[0].mem_filename()).data));
    CHECK(mem == std::vector<std::uint32_t>{1, 2, 3});
    CHECK(decode_nme(t.at("NME/00000000.NME").data).records.size() == 2);  // ADMIN's PAL
}

TEST_CASE("pogen_builder: external postoffices", "[pogen]") {
    const Tree t = small();
    const auto net = decode_network(t.at("GLB/NETWORK.GLB").data);
    REQUIRE(net.records.size() == 1);
    CHECK(net.records[0].name() == "NET1");
    const auto xtn = *net.records[0].target_relpath();
    CHECK(t.at(xtn).data.size() == 698);
    const auto netpo = decode_netpo(t.at("GLB/NETPO.GLB").data);
    REQUIRE(netpo.records.size() == 2);
    CHECK(netpo.records[1].postoffice() == "PO2");
    const std::string bag = format_hex8(netpo.records[0].mailbag());
    CHECK(t.at("USR/" + bag + ".USR").data.size() == 2 * 53);
    CHECK(t.at("MBG/" + bag + ".MBG").data.size() == 2 * 116);
    const auto pol = decode_nme(t.at("NME/ADMIN.NME").data);
    for (const auto& r : pol.records)
        if (r.type_code() == 2) {
            const auto idx = netpo_record_at(r.pointer());
            REQUIRE(idx);
            CHECK(netpo.records[*idx].tid() == r.tid());
        }
}

TEST_CASE("pogen_builder: mailbags, KEYs and true MAI counters", "[pogen]") {
    const Tree t = small();
    std::map<std::uint32_t, std::uint16_t> refs;
    std::uint32_t max_mai = 0;
    for (const auto& [rel, f] : t.files) {
        if (rel.rfind("MBG/", 0) != 0) continue;
        const auto mbg = decode_mbg(f.data);
        const auto key = KeyFile::from_bytes(t.at("KEY/" + rel.substr(4, rel.size() - 8) + ".KEY").data);
        for (std::size_t i = 0; i < mbg.records.size(); ++i) {
            max_mai = std::max(max_mai, *mbg.records[i].mai());
            if (!key.slot_deleted(i)) ++refs[*mbg.records[i].mai()];
        }
    }
    std::size_t mai_files = 0;
    for (const auto& [rel, f] : t.files) {
        if (rel.rfind("MAI/", 0) != 0) continue;
        ++mai_files;
        const auto n = file_number(rel.substr(8), "MAI");
        REQUIRE(n);
        CHECK(f.data.size() >= 64);
        CHECK(get_refcount(f.data) == refs[*n]);
    }
    CHECK(mai_files == refs.size());
    const auto alice = decode_mbg(t.at("MBG/00000001.MBG").data);
    CHECK(alice.records.size() == 3 + 2);  // own mail and two freed slots
    CHECK(KeyFile::from_bytes(t.at("KEY/00000001.KEY").data).live_slots(alice.records.size()) == 3);
    CHECK(decode_mbg(t.at("MBG/00000002.MBG").data).records.size() == 2);  // BOB: own mail and the meeting
    const auto c = ControlFile::from_bytes(t.at("GLB/CONTROL.GLB").data);
    CHECK(c->next_letter() > max_mai);
    CHECK(c->next_letter() > 0x100u);  // the P1 envelope's number
}

TEST_CASE("pogen_builder: P1 files get their ages", "[pogen]") {
    const Tree t = small();
    CHECK(t.at("P1/00000100.P1").mtime == kDefaultNow - 3 * 86400);
    CHECK(t.at("P1/00000001.0LK").mtime == kDefaultNow - 86400);
    CHECK(t.at("GLB/CONTROL.GLB").mtime == kDefaultNow - 3600);
}

TEST_CASE("pogen_builder: make_mai", "[pogen]") {
    const Bytes a = make_mai(1, 5, 3);
    CHECK(a.size() >= 64);
    CHECK(a.size() < 256);
    CHECK(get_refcount(a) == 3);
    CHECK(make_mai(1, 5, 3) == a);
    CHECK(make_mai(1, 6, 3) != a);
    CHECK(make_mai(2, 5, 3) != a);
}

TEST_CASE("pogen_builder: P1 sizes, a freed queued slot, p1-many", "[pogen]") {
    const Tree t =
        build(parse_spec("user ADMIN\np1 00000003.P1 age=5d size=3007\nqueued 0000AB12 freed\n"
                         "queued 0000AB13\np1-many 3\n"));
    CHECK(t.at("P1/00000003.P1").data.size() == 3007);
    CHECK(t.at("P1/00000003.P1").mtime == kDefaultNow - 5 * 86400);
    // The freed slot's header stays in INQUEUE3.MBG; its KEY bit is set and its MAI is gone.
    CHECK(t.at("MBG/INQUEUE3.MBG").data.size() == 2 * MbgRecord::size);
    const KeyFile key = KeyFile::from_bytes(t.at("KEY/INQUEUE3.KEY").data);
    CHECK(key.slot_deleted(0));
    CHECK_FALSE(key.slot_deleted(1));
    CHECK(t.has("P1/0000AB12.P1"));
    CHECK_FALSE(t.has(mai_relpath(0xAB12)));
    CHECK(t.has(mai_relpath(0xAB13)));
    CHECK(t.at("P1/00000000.P1").data.size() == 64);
    CHECK(t.at("P1/00000000.P1").mtime == kDefaultNow - 3 * 86400);
    CHECK(t.at("P1/00000001.P1").data.size() == 65);
    CHECK(t.at("P1/00000001.P1").mtime == kDefaultNow - 3600);
    CHECK(t.at("P1/00000002.P1").data.size() == 66);
}

TEST_CASE("pogen_builder: a mailbag past 4096 slots with spread freed slots", "[pogen]") {
    const Tree t = build(parse_spec("user ADMIN\nuser BIG mail=5000 freed=100 freed-at=spread\n"));
    const Bytes& mbg = t.at("MBG/00000001.MBG").data;
    REQUIRE(mbg.size() == 116u * 5100);
    const auto key = KeyFile::from_bytes(t.at("KEY/00000001.KEY").data);
    std::size_t bits = 0;
    for (std::size_t i = 0; i < kMailbagLimit; ++i) bits += key.slot_deleted(i) ? 1u : 0u;
    CHECK(bits == 100);
    CHECK(key.slot_deleted(20));
    CHECK(key.slot_deleted(4075));
    CHECK(key.live_slots(5100) == 4096 - 100);  // records past 4095 have no bit
    CHECK(key.bits_beyond(5100) == 0);
    CHECK(key.unread() == 5000);
    // Deleted slots keep old, non-zero bytes: a sender, a subject, a date, a MAI number.
    const auto records = decode_mbg(mbg);
    CHECK(records.records[20].sender() != "");
    CHECK(records.records[20].mai().has_value());
    CHECK_FALSE(t.has(mai_relpath(*records.records[20].mai())));
    // Live headers: each its own MAI with counter 1.
    CHECK(get_refcount(t.at(mai_relpath(*records.records[5099].mai())).data) == 1);
    CHECK(get_refcount(t.at(mai_relpath(*records.records[0].mai())).data) == 1);
}

namespace {
bool valid(const MbgDate& d) {
    static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (d.year % 4 == 0 && d.year % 100 != 0) || d.year % 400 == 0;
    if (d.month < 1 || d.month > 12 || d.day < 1) return false;
    return d.minute < 60 && d.hour < 24 && d.day <= kDays[d.month - 1] + (d.month == 2 && leap ? 1 : 0);
}
auto order(const MbgDate& d) { return std::tuple(d.year, d.month, d.day, d.hour, d.minute); }
}  // namespace

TEST_CASE("pogen_builder: header dates stay valid over 1,000,000 minutes", "[pogen]") {
    // The span 1,000,000 messages cover, sampled every 7 minutes, across a
    // leap day (2000-02-29) and a year end: every date is a calendar date and
    // they rise with the slot.
    Model m;
    m.now = 978307200 + 86400 * 59;  // 2001-03-01T00:00:00Z
    auto& bag = m.mailbags["00000000"];
    for (std::int64_t k = 1'000'000; k > 0; k -= 7)
        bag.slots.push_back({Header{"ADMIN", "Old", static_cast<std::uint32_t>(k), m.now - 60 * k}, false});
    Tree t;
    render_mail(m, t);
    const auto records = decode_mbg(t.at("MBG/00000000.MBG").data);
    REQUIRE(records.records.size() == bag.slots.size());
    std::set<int> years;
    for (std::size_t i = 0; i < records.records.size(); ++i) {
        const MbgDate d = records.records[i].date();
        INFO(i << ": " << d.year << "-" << d.month << "-" << d.day << " " << d.hour << ":" << d.minute);
        CHECK(valid(d));
        if (i > 0) CHECK(order(records.records[i - 1].date()) < order(d));
        years.insert(d.year);
    }
    CHECK(years == std::set<int>{1999, 2000, 2001});
    const MbgDate last = records.records.back().date();
    CHECK(order(last) ==
          std::tuple<std::uint16_t, std::uint16_t, std::uint16_t, std::uint16_t, std::uint16_t>(
              2001, 2, 28, 23, 59));  // k = 1: a minute before now
}
