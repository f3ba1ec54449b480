#include <catch2/catch.hpp>

#include "mspo/base/check_table.hpp"
#include "mspo/format/control.hpp"
#include "mspo/format/grp.hpp"
#include "mspo/format/netpo.hpp"
#include "mspo/format/nme.hpp"
#include "mspo/base/error.hpp"
#include "mspo/pogen/damage.hpp"
#include "pogen_fixture.hpp"

using namespace mspo;
using namespace mspo::pogen;

namespace {
Tree damaged(std::string_view spec, const std::string& damage) {
    BuildOptions o;
    o.damages.push_back(parse_damage_option(damage));
    return build(parse_spec(spec), o);
}
}  // namespace

TEST_CASE("pogen_damage: every kind is documented and unique", "[pogen]") {
    std::set<std::string_view> names;
    for (const auto& k : damage_kinds()) {
        CHECK(names.insert(k.name).second);
        CHECK_FALSE(k.description.empty());
        CHECK(is_damage_kind(k.name));
    }
    CHECK_FALSE(is_damage_kind("explode"));
}

TEST_CASE("pogen_damage: every kind names check table ids", "[pogen]") {
    for (const auto& k : damage_kinds()) {
        INFO(k.name);
        if (!k.finds.empty()) CHECK(find_check_row(k.finds) != nullptr);
        for (const auto& id : k.also) CHECK(find_check_row(id) != nullptr);
    }
}

TEST_CASE("pogen_damage: bad arguments name the spec line", "[pogen]") {
    CHECK_THROWS_WITH(build(parse_spec("user A\ndamage bad-chars NOBODY\n")),
                      "spec line 2: damage bad-chars: no active account NOBODY");
    CHECK_THROWS_WITH(build(parse_spec("damage truncate GLB/NOPE.GLB\n")),
                      "spec line 1: damage truncate: the postoffice has no GLB/NOPE.GLB");
    CHECK_THROWS_WITH(build(parse_spec("damage truncate GLB/MASTER.GLB x\n")),
                      "spec line 1: damage truncate: 'x' is not a number");
    CHECK_THROWS_WITH(build(parse_spec("damage nme-shadow sideways\n")),
                      "spec line 1: damage nme-shadow: expected bytes, size, mtime, truncated, main or both");
    CHECK_THROWS_WITH(build(parse_spec("damage dup-filenum external\n")),
                      "spec line 1: damage dup-filenum: needs an external postoffice");
    CHECK_THROWS_WITH(damaged("", "p1-stale:X.P1,soon"), "damage p1-stale: 'soon' is not a duration");
}

TEST_CASE("pogen_damage: fresh numbers move CONTROL.GLB on", "[pogen]") {
    const Tree clean = build(parse_spec("user A\n"));
    const Tree t = damaged("user A\n", "key-orphan");
    const auto before = ControlFile::from_bytes(clean.at("GLB/CONTROL.GLB").data);
    const auto after = ControlFile::from_bytes(t.at("GLB/CONTROL.GLB").data);
    CHECK(after->next_mailbag() == before->next_mailbag() + 1);
    CHECK(t.has("KEY/" + format_hex8(before->next_mailbag()) + ".KEY"));
}

TEST_CASE("pogen_damage: truncate and size-rule change only the file named", "[pogen]") {
    const Tree clean = build(parse_spec("user A\n"));
    const Tree t = damaged("user A\n", "truncate:GLB/ACCESS2.GLB,3");
    CHECK(t.at("GLB/ACCESS2.GLB").data.size() == clean.at("GLB/ACCESS2.GLB").data.size() - 3);
    CHECK(t.at("GLB/ACCESS.GLB").data == clean.at("GLB/ACCESS.GLB").data);
    const Tree g = damaged("user A\n", "size-rule:glb/tid.glb,2");
    CHECK(g.at("GLB/TID.GLB").data.size() == 6);
}

TEST_CASE("pogen_damage: P1 kinds add files with their ages", "[pogen]") {
    const Tree t = damaged("", "lock-stale:00000000.0LK,2h");
    CHECK(t.at("P1/00000000.0LK").mtime == kDefaultNow - 7200);
    const Tree q = damaged("", "queued:0000ABCD");
    CHECK(q.has("P1/0000ABCD.P1"));
    CHECK(q.has("MAI/MAD/0000ABCD.MAI"));
    CHECK(q.at("MBG/INQUEUE3.MBG").data.size() == 116);
    CHECK(ControlFile::from_bytes(q.at("GLB/CONTROL.GLB").data)->next_letter() == 0xABCEu);
}

namespace {
std::string usage_error_of(std::string_view spec, const std::string& damage) {
    try {
        if (damage.empty())
            build(parse_spec(spec));
        else
            damaged(spec, damage);
    } catch (const Error& e) {
        if (e.code() == Errc::usage) return e.what();
        return std::string("not a usage error: ") + e.what();
    }
    return "no error";
}
}  // namespace

TEST_CASE("pogen_damage: names that become file names stay inside OUTDIR", "[pogen]") {
    // issue 8 item 18: a damage argument with '..', '/' or '\' is refused,
    // naming the value, before anything is written.
    for (const std::string kind : {"p1-stale", "p1-fresh", "lock-stale", "lock-fresh"}) {
        for (const std::string name :
             {"../../ESCAPE.P1", "..", ".", "../X", "A/B.P1", "/tmp/ABS.P1", "A\\B.P1"}) {
            INFO(kind << ":" << name);
            const std::string what = usage_error_of("", kind + ":" + name);
            CHECK(what.find("damage " + kind + ": '" + name + "' is not a file name") != std::string::npos);
        }
    }
    CHECK(usage_error_of("", "lock-stale:,2h").find("'' is not a file name") != std::string::npos);
    // A name with dots inside is one file name, and stays in P1.
    const Tree t = damaged("", "p1-stale:A..B.P1");
    CHECK(t.has("P1/A..B.P1"));
}

TEST_CASE("pogen_damage: FILE and DIR arguments stay inside the postoffice", "[pogen]") {
    const std::vector<std::string> bad = {"truncate:../GLB/MASTER.GLB",
                                          "size-rule:/etc/passwd,1",
                                          "glb-missing:GLB/../GLB/TID.GLB",
                                          "missing-dir:..",
                                          "not-dir:../HLP",
                                          "access-count:GLB/./ACCESS3.GLB",
                                          "truncate:GLB//MASTER.GLB",
                                          "not-dir:/tmp",
                                          "missing-dir:MAI\\MA0"};
    for (const auto& d : bad) {
        INFO(d);
        const std::string value = d.substr(d.find(':') + 1, d.find(',') - d.find(':') - 1);
        const std::string what = usage_error_of("user A\n", d);
        CHECK(what.find("'" + value + "' is not a path inside the postoffice") != std::string::npos);
    }
}

TEST_CASE("pogen_damage: spec lines with '..' or '/' are refused", "[pogen]") {
    CHECK(usage_error_of("damage p1-stale ../../ESCAPE\n", "") ==
          "spec line 1: damage p1-stale: '../../ESCAPE' is not a file name: pogen writes only inside OUTDIR "
          "(no '/', '\\', '..' or empty name)");
    CHECK(
        usage_error_of("user A\ndamage truncate ../X 1\n", "").find("spec line 2: damage truncate: '../X'") ==
        0);
    CHECK(usage_error_of("lock ../X.0LK\n", "").find("is not an 8.3 file name") != std::string::npos);
    CHECK(usage_error_of("p1 A/B\n", "").find("is not an 8.3 file name") != std::string::npos);
    CHECK(usage_error_of("p1 ..\n", "").find("is not an 8.3 file name") != std::string::npos);
}

TEST_CASE("pogen_damage: an MBG that is not a regular file", "[pogen]") {
    constexpr std::string_view kSpec = "user ADMIN\nuser B\n";  // B's mailbag is 00000001
    const Tree folder = damaged(kSpec, "mbg-folder:B");
    CHECK_FALSE(folder.has("MBG/00000001.MBG"));
    CHECK(folder.dirs.count("MBG/00000001.MBG") == 1);
    const Tree fifo = damaged(kSpec, "mbg-fifo");
    CHECK(fifo.at("MBG/00000001.MBG").kind == TreeFile::Kind::fifo);
    const Tree out = damaged(kSpec, "mbg-symlink-out");
    CHECK(out.at("MBG/00000001.MBG").kind == TreeFile::Kind::symlink);
    CHECK(out.at("MBG/00000001.MBG").target == "/dev/null");
    const Tree dangling = damaged(kSpec, "mbg-dangling:B");
    CHECK(dangling.at("MBG/00000001.MBG").kind == TreeFile::Kind::symlink);
    CHECK(dangling.at("MBG/00000001.MBG").target == "NO-SUCH.MBG");
    CHECK(usage_error_of(kSpec, "mbg-fifo:NOBODY") == "damage mbg-fifo: no active account NOBODY");
}

TEST_CASE("pogen_damage: docs/POGEN.md lists every damage kind", "[pogen][docs]") {
    const auto doc = std::filesystem::path(MSPO_TEST_DATA).parent_path().parent_path() / "docs" / "POGEN.md";
    const auto bytes = pogen_fixture::read_bytes(doc);
    const std::string text(bytes.begin(), bytes.end());
    std::set<std::string> documented;
    const std::string row = "\n| `";
    for (auto at = text.find(row, text.find("## Damage kinds")); at != std::string::npos;
         at = text.find(row, at + 1)) {
        const auto start = at + row.size();
        documented.insert(text.substr(start, text.find('`', start) - start));
    }
    std::set<std::string> kinds;
    for (const auto& k : damage_kinds()) kinds.emplace(k.name);
    CHECK(documented == kinds);
}

// ---- address-list kinds (generator/damage_lists.cpp) ----
//
// The sample postoffice: accounts ADMIN ALICE BOB CAROL DAVE (deleted) ERIN
// (ACCESS2 records 0-5, TIDs 0x10000-0x10005); POL records 0-4 are the active
// accounts (ERIN, the default USER, is record 4), 5-6 the groups STAFF (4
// members: GRP nodes 0-3) and ADMINS (node 4), 7-12 the external users. PALs:
// ADMIN's NME/00000000.NME (3 entries), ALICE's NME/00000001.NME (2).

namespace {

const Tree& sample() {
    static const Tree t = build(parse_spec(sample_spec_text()));
    return t;
}

Tree sample_with(const std::string& damage) { return damaged(sample_spec_text(), damage); }

// Every path whose bytes or time differ, or that only one tree has.
std::set<std::string> changed(const Tree& a, const Tree& b) {
    std::set<std::string> out;
    for (const auto& [rel, f] : a.files)
        if (!b.has(rel) || b.at(rel).data != f.data || b.at(rel).mtime != f.mtime) out.insert(rel);
    for (const auto& [rel, f] : b.files)
        if (!a.has(rel)) out.insert(rel);
    return out;
}

// Offsets where two byte strings differ (a length difference counts from the shorter end).
std::vector<std::size_t> diff(const Bytes& a, const Bytes& b) {
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i < std::max(a.size(), b.size()); ++i)
        if (i >= a.size() || i >= b.size() || a[i] != b[i]) out.push_back(i);
    return out;
}

const Bytes& bytes_of(const Tree& t, const std::string& rel) { return t.at(rel).data; }

using Offsets = std::vector<std::size_t>;
using Paths = std::set<std::string>;
const Paths kBothPol = {"NME/ADMIN.NME", "NME/ADMINSHD.NME"};
const Paths kBothGrp = {"GRP/ADMIN.GRP", "GRP/ADMINSHD.GRP"};

// The damage changed both POL copies alike at exactly `offsets`.
void check_pol_bytes(const Tree& t, const Offsets& offsets) {
    CHECK(changed(sample(), t) == kBothPol);
    CHECK(bytes_of(t, "NME/ADMINSHD.NME") == bytes_of(t, "NME/ADMIN.NME"));
    CHECK(diff(bytes_of(sample(), "NME/ADMIN.NME"), bytes_of(t, "NME/ADMIN.NME")) == offsets);
}

constexpr std::size_t kRec = NmeRecord::size;

}  // namespace

TEST_CASE("pogen_damage: the sample's address lists are as the tests below assume", "[pogen]") {
    const auto pol = decode_nme(bytes_of(sample(), "NME/ADMIN.NME"));
    REQUIRE(pol.records.size() == 13);
    CHECK(pol.records[4].alias() == "Erin Green");
    CHECK(pol.records[4].pointer() == 5 * 69);
    CHECK(pol.records[5].alias() == "STAFF");
    CHECK(pol.records[5].pointer() == 8);
    CHECK(pol.records[7].type() == NmeType::external);
    CHECK(decode_grp(bytes_of(sample(), "GRP/ADMIN.GRP")).records.size() == 5);
    CHECK(decode_nme(bytes_of(sample(), "NME/00000000.NME")).records.size() == 3);
    CHECK(decode_nme(bytes_of(sample(), "NME/00000001.NME")).records.size() == 2);
    CHECK(bytes_of(sample(), "GLB/NETPO.GLB").size() == 4 + 6 * 43);
}

TEST_CASE("pogen_damage: nme-bad-alias garbles one alias and nothing else", "[pogen]") {
    SECTION("the POL, both copies (default USER: ERIN, record 4)") {
        const Tree t = sample_with("nme-bad-alias");
        check_pol_bytes(t, {4 * kRec + 1, 4 * kRec + 2});
        CHECK(bytes_of(t, "NME/ADMIN.NME")[4 * kRec + 1] == 0x01);
        CHECK(bytes_of(t, "NME/ADMIN.NME")[4 * kRec + 2] == 0x1B);
        check_pol_bytes(sample_with("nme-bad-alias:pol,BOB"), {2 * kRec + 1, 2 * kRec + 2});
    }
    SECTION("a PAL: the first with one (ADMIN's), entry 0; or ALICE's entry 1") {
        const Tree t = sample_with("nme-bad-alias:pal");
        CHECK(changed(sample(), t) == Paths{"NME/00000000.NME"});
        CHECK(diff(bytes_of(sample(), "NME/00000000.NME"), bytes_of(t, "NME/00000000.NME")) == Offsets{1, 2});
        const Tree a = sample_with("nme-bad-alias:pal,ALICE,1");
        CHECK(changed(sample(), a) == Paths{"NME/00000001.NME"});
        CHECK(diff(bytes_of(sample(), "NME/00000001.NME"), bytes_of(a, "NME/00000001.NME")) ==
              Offsets{kRec + 1, kRec + 2});
    }
}

TEST_CASE("pogen_damage: pal-account-gone appends one entry to one PAL", "[pogen]") {
    const auto& before = bytes_of(sample(), "NME/00000000.NME");
    SECTION("an entry for the deleted DAVE, as the POL held it") {
        const Tree t = sample_with("pal-account-gone");
        CHECK(changed(sample(), t) == Paths{"NME/00000000.NME"});
        const auto pal = decode_nme(bytes_of(t, "NME/00000000.NME"));
        REQUIRE(pal.records.size() == 4);
        CHECK(Bytes(bytes_of(t, "NME/00000000.NME").begin(),
                    bytes_of(t, "NME/00000000.NME").begin() + 3 * kRec) == before);
        CHECK(pal.records[3].alias() == "Dave Brown");
        CHECK(pal.records[3].tid() == 0x10004u);
        CHECK(pal.records[3].type() == NmeType::local);
        CHECK(pal.records[3].pointer() == 4 * 69);
    }
    SECTION("an entry that names nobody, in ALICE's PAL") {
        const Tree t = sample_with("pal-account-gone:nobody,ALICE");
        CHECK(changed(sample(), t) == Paths{"NME/00000001.NME"});
        const auto pal = decode_nme(bytes_of(t, "NME/00000001.NME"));
        REQUIRE(pal.records.size() == 3);
        CHECK(pal.records[2].alias() == "Gone Away");
        CHECK(pal.records[2].tid() == 0x1000Eu + 0x100u);
        CHECK(pal.records[2].pointer() == 6 * 69);
    }
}

TEST_CASE("pogen_damage: nme-local-stale changes one field of one POL entry", "[pogen]") {
    SECTION("pointer: ERIN's entry points at CAROL's record (the nearest active one before it)") {
        const Tree t = sample_with("nme-local-stale");
        CHECK(changed(sample(), t) == kBothPol);
        const auto pol = decode_nme(bytes_of(t, "NME/ADMIN.NME"));
        CHECK(pol.records[4].pointer() == 3 * 69);
        for (auto off : diff(bytes_of(sample(), "NME/ADMIN.NME"), bytes_of(t, "NME/ADMIN.NME")))
            CHECK((off >= 4 * kRec + NmeRecord::kPointer && off < 4 * kRec + NmeRecord::kPointer + 4));
        CHECK(bytes_of(t, "NME/ADMINSHD.NME") == bytes_of(t, "NME/ADMIN.NME"));
    }
    SECTION("tid: ALICE's entry gets a TID nobody has") {
        const Tree t = sample_with("nme-local-stale:tid,ALICE");
        CHECK(decode_nme(bytes_of(t, "NME/ADMIN.NME")).records[1].tid() == 0x1010Eu);
        for (auto off : diff(bytes_of(sample(), "NME/ADMIN.NME"), bytes_of(t, "NME/ADMIN.NME")))
            CHECK((off >= kRec + NmeRecord::kTid && off < kRec + NmeRecord::kTid + 4));
        CHECK(bytes_of(t, "NME/ADMINSHD.NME") == bytes_of(t, "NME/ADMIN.NME"));
    }
}

TEST_CASE("pogen_damage: pol-missing and nme-duplicate-tid remove or copy one entry", "[pogen]") {
    const auto& clean = bytes_of(sample(), "NME/ADMIN.NME");
    Bytes without(clean);
    without.erase(without.begin() + 4 * kRec, without.begin() + 5 * kRec);
    const Tree m = sample_with("pol-missing");
    CHECK(changed(sample(), m) == kBothPol);
    CHECK(bytes_of(m, "NME/ADMIN.NME") == without);
    CHECK(bytes_of(m, "NME/ADMINSHD.NME") == without);

    Bytes twice(clean);
    twice.insert(twice.end(), clean.begin() + 2 * kRec, clean.begin() + 3 * kRec);
    const Tree d = sample_with("nme-duplicate-tid:BOB");
    CHECK(changed(sample(), d) == kBothPol);
    CHECK(bytes_of(d, "NME/ADMIN.NME") == twice);
    CHECK(bytes_of(d, "NME/ADMINSHD.NME") == twice);
}

TEST_CASE("pogen_damage: grp-chain changes the next field of STAFF's last node", "[pogen]") {
    // STAFF's last node is node 3, at offset 8 + 3 * 8 = 32; its next field is at 36.
    const std::vector<std::pair<std::string, std::uint32_t>> cases = {
        {"grp-chain", 8}, {"grp-chain:past-end", 8 + 5 * 8 + 0x100}, {"grp-chain:misaligned", 36}};
    for (const auto& [damage, next] : cases) {
        INFO(damage);
        const Tree t = sample_with(damage);
        CHECK(changed(sample(), t) == kBothGrp);
        CHECK(bytes_of(t, "GRP/ADMINSHD.GRP") == bytes_of(t, "GRP/ADMIN.GRP"));
        const auto grp = decode_grp(bytes_of(t, "GRP/ADMIN.GRP"));
        CHECK(grp.records[3].next() == next);
        for (auto off : diff(bytes_of(sample(), "GRP/ADMIN.GRP"), bytes_of(t, "GRP/ADMIN.GRP")))
            CHECK((off >= 36 && off < 40));
        CHECK(walk_chain(grp, 8).status != ChainStatus::ok);
    }
    // ADMINS (one node, 4 at offset 40): a cycle onto itself.
    const Tree a = sample_with("grp-chain:cycle,ADMINS");
    CHECK(decode_grp(bytes_of(a, "GRP/ADMIN.GRP")).records[4].next() == 40);
    CHECK(walk_chain(decode_grp(bytes_of(a, "GRP/ADMIN.GRP")), 40).status == ChainStatus::cycle);
}

TEST_CASE("pogen_damage: nme-group-pointer and nme-unknown-type change one POL field", "[pogen]") {
    const Tree g = sample_with("nme-group-pointer");
    check_pol_bytes(g, {5 * kRec + NmeRecord::kPointer});
    CHECK(decode_nme(bytes_of(g, "NME/ADMIN.NME")).records[5].pointer() == 12);
    const Tree u = sample_with("nme-unknown-type");
    check_pol_bytes(u, {12 * kRec + NmeRecord::kType});
    CHECK(decode_nme(bytes_of(u, "NME/ADMIN.NME")).records[12].type_code() == 7);
    check_pol_bytes(sample_with("nme-unknown-type:9,0"), {NmeRecord::kType});
}

TEST_CASE("pogen_damage: nme-external-pointer", "[pogen]") {
    SECTION("past-end: the first external entry points at the end of NETPO.GLB") {
        const Tree t = sample_with("nme-external-pointer");
        CHECK(changed(sample(), t) == kBothPol);
        CHECK(decode_nme(bytes_of(t, "NME/ADMIN.NME")).records[7].pointer() == 4 + 6 * 43);
        for (auto off : diff(bytes_of(sample(), "NME/ADMIN.NME"), bytes_of(t, "NME/ADMIN.NME")))
            CHECK((off >= 7 * kRec + NmeRecord::kPointer && off < 7 * kRec + NmeRecord::kPointer + 4));
        CHECK(bytes_of(t, "NME/ADMINSHD.NME") == bytes_of(t, "NME/ADMIN.NME"));
    }
    SECTION("deleted: the NETPO.GLB record of external entry 2 is marked deleted") {
        const Tree t = sample_with("nme-external-pointer:deleted,2");
        CHECK(changed(sample(), t) == Paths{"GLB/NETPO.GLB"});
        CHECK(diff(bytes_of(sample(), "GLB/NETPO.GLB"), bytes_of(t, "GLB/NETPO.GLB")) ==
              Offsets{4 + 2 * 43 + NetpoRecord::kDeleteFlag});
        CHECK(decode_netpo(bytes_of(t, "GLB/NETPO.GLB")).records[2].deleted());
    }
}

TEST_CASE("pogen_damage: nme-partial appends part of the last record", "[pogen]") {
    const auto& clean = bytes_of(sample(), "NME/ADMIN.NME");
    Bytes longer(clean);
    longer.insert(longer.end(), clean.end() - kRec, clean.end() - kRec + 20);
    const Tree t = sample_with("nme-partial");
    CHECK(changed(sample(), t) == kBothPol);
    CHECK(bytes_of(t, "NME/ADMIN.NME") == longer);
    CHECK(bytes_of(t, "NME/ADMINSHD.NME") == longer);
    const Tree p = sample_with("nme-partial:nme/00000001.nme,7");
    CHECK(changed(sample(), p) == Paths{"NME/00000001.NME"});
    const auto& pal = bytes_of(sample(), "NME/00000001.NME");
    Bytes pal7(pal);
    pal7.insert(pal7.end(), pal.end() - kRec, pal.end() - kRec + 7);
    CHECK(bytes_of(p, "NME/00000001.NME") == pal7);
}

TEST_CASE("pogen_damage: the shadow kinds' new variants", "[pogen]") {
    SECTION("truncated: the shadow loses its last record") {
        const Tree n = sample_with("nme-shadow:truncated");
        CHECK(changed(sample(), n) == Paths{"NME/ADMINSHD.NME"});
        const auto& pol = bytes_of(sample(), "NME/ADMIN.NME");
        CHECK(bytes_of(n, "NME/ADMINSHD.NME") == Bytes(pol.begin(), pol.end() - kRec));
        const Tree g = sample_with("grp-shadow:truncated");
        CHECK(changed(sample(), g) == Paths{"GRP/ADMINSHD.GRP"});
        CHECK(bytes_of(g, "GRP/ADMINSHD.GRP").size() == 8 + 4 * 8);
    }
    SECTION("main: ADMIN.NME or ADMIN.GRP is damaged, the shadow stays as built") {
        const Tree n = sample_with("nme-shadow:main");
        CHECK(changed(sample(), n) == Paths{"NME/ADMIN.NME"});
        CHECK(diff(bytes_of(sample(), "NME/ADMIN.NME"), bytes_of(n, "NME/ADMIN.NME")) == Offsets{1, 2});
        const Tree g = sample_with("grp-shadow:main");
        CHECK(changed(sample(), g) == Paths{"GRP/ADMIN.GRP"});
        const auto grp = decode_grp(bytes_of(g, "GRP/ADMIN.GRP"));
        CHECK(grp.records[4].next() == 8 + 5 * 8 + 0x100);
        CHECK(walk_chain(grp, 40).status == ChainStatus::past_end);
    }
}

TEST_CASE("pogen_damage: pol-garbled overwrites local entries, both copies alike", "[pogen]") {
    const Tree t = sample_with("pol-garbled");
    CHECK(changed(sample(), t) == kBothPol);
    CHECK(bytes_of(t, "NME/ADMINSHD.NME") == bytes_of(t, "NME/ADMIN.NME"));
    const auto before = decode_nme(bytes_of(sample(), "NME/ADMIN.NME"));
    const auto after = decode_nme(bytes_of(t, "NME/ADMIN.NME"));
    REQUIRE(after.records.size() == before.records.size());
    std::vector<std::size_t> garbled;
    for (std::size_t i = 0; i < after.records.size(); ++i)
        if (after.records[i].raw != before.records[i].raw) {
            garbled.push_back(i);
            CHECK(before.records[i].type() == NmeType::local);
            CHECK(after.records[i].raw[0] >= 0x01);
            CHECK(after.records[i].raw[0] < 0x20);
        }
    CHECK(garbled.size() == 3);
    CHECK(bytes_of(sample_with("pol-garbled"), "NME/ADMIN.NME") == bytes_of(t, "NME/ADMIN.NME"));
    const Tree one = sample_with("pol-garbled:1");
    CHECK(diff(bytes_of(sample(), "NME/ADMIN.NME"), bytes_of(one, "NME/ADMIN.NME")).size() <= kRec);
}

TEST_CASE("pogen_damage: pol-noise replaces both copies with whole random records", "[pogen]") {
    const Tree t = sample_with("pol-noise");
    CHECK(changed(sample(), t) == kBothPol);
    CHECK(bytes_of(t, "NME/ADMIN.NME").size() == 44 * kRec);
    CHECK(bytes_of(t, "NME/ADMINSHD.NME") == bytes_of(t, "NME/ADMIN.NME"));
    CHECK(bytes_of(sample_with("pol-noise"), "NME/ADMIN.NME") == bytes_of(t, "NME/ADMIN.NME"));
    const auto pol = decode_nme(bytes_of(t, "NME/ADMIN.NME"));
    std::size_t known = 0;
    for (const auto& r : pol.records) known += r.type() ? 1u : 0u;
    CHECK(known < 10);
    CHECK(bytes_of(sample_with("pol-noise:50"), "NME/ADMIN.NME").size() == 50 * kRec);
    BuildOptions o;
    o.seed = 2;
    o.damages.push_back(parse_damage_option("pol-noise"));
    CHECK(build(parse_spec(sample_spec_text()), o).at("NME/ADMIN.NME").data != bytes_of(t, "NME/ADMIN.NME"));
}

TEST_CASE("pogen_damage: nme-shadow:both damages both POL copies and only the shadow keeps an external entry",
          "[pogen]") {
    const Tree t = sample_with("nme-shadow:both");
    CHECK(changed(sample(), t) == kBothPol);
    const auto main = decode_nme(bytes_of(t, "NME/ADMIN.NME"));
    const auto shadow = decode_nme(bytes_of(t, "NME/ADMINSHD.NME"));
    const auto before = decode_nme(bytes_of(sample(), "NME/ADMIN.NME"));
    REQUIRE(main.records.size() == 12);
    REQUIRE(shadow.records.size() == 13);
    CHECK(main.records[0].raw[NmeRecord::kAlias + 1] == 0x01);
    CHECK(shadow.records[0].raw == before.records[0].raw);
    CHECK(shadow.records[1].raw[NmeRecord::kAlias + 1] == 0x01);
    CHECK(main.records[1].raw == before.records[1].raw);
    CHECK(main.records[7].raw == before.records[8].raw);  // the first external entry (7) is gone
    CHECK(shadow.records[7].raw == before.records[7].raw);
}

TEST_CASE("pogen_damage: grp-zero zero-fills both GRP copies, sizes and dates kept", "[pogen]") {
    const Tree t = sample_with("grp-zero");
    CHECK(changed(sample(), t) == kBothGrp);
    for (const char* rel : {"GRP/ADMIN.GRP", "GRP/ADMINSHD.GRP"}) {
        CHECK(bytes_of(t, rel) == Bytes(bytes_of(sample(), rel).size(), 0));
        CHECK(t.at(rel).mtime == sample().at(rel).mtime);
    }
}

TEST_CASE("pogen_damage: address-list kinds refuse impossible arguments, naming the spec line", "[pogen]") {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"user A\ndamage grp-chain\n",
         "spec line 2: damage grp-chain: needs a group with members (a `group NAME MEMBER...` line)"},
        {"user A\ndamage nme-group-pointer\n",
         "spec line 2: damage nme-group-pointer: needs a group (a `group NAME MEMBER...` line)"},
        {"user A\ndamage grp-chain cycle NOPE\n", "spec line 2: damage grp-chain: no group NOPE"},
        {"user A\ndamage grp-chain loop\n",
         "spec line 2: damage grp-chain: expected cycle, past-end or misaligned"},
        {"user A\ndamage nme-external-pointer\n",
         "spec line 2: damage nme-external-pointer: needs an external user (an `external NET/PO users=N` "
         "line)"},
        {"user A\nexternal N/P users=1\ndamage nme-external-pointer deleted 1\n",
         "spec line 3: damage nme-external-pointer: the POL has 1 external entries, no entry 1"},
        {"user A\ndamage pal-account-gone\n",
         "spec line 2: damage pal-account-gone: needs a PAL (a user with pal=N)"},
        {"user A pal=1\ndamage pal-account-gone\n",
         "spec line 2: damage pal-account-gone: needs a deleted account (a `user NAME deleted` line)"},
        {"user A pal=1\nuser B\ndamage pal-account-gone nobody B\n",
         "spec line 3: damage pal-account-gone: B has no PAL"},
        {"user A\ndamage nme-bad-alias pol NOBODY\n",
         "spec line 2: damage nme-bad-alias: no active account NOBODY"},
        {"user A pal=1\ndamage nme-bad-alias pal A 1\n",
         "spec line 2: damage nme-bad-alias: NME/00000001.NME has 1 entries, no entry 1"},
        {"user A\ndamage nme-bad-alias gal\n", "spec line 2: damage nme-bad-alias: expected pol or pal"},
        {"user A\ndamage nme-local-stale both\n",
         "spec line 2: damage nme-local-stale: expected pointer or tid"},
        {"user A\ndamage nme-unknown-type 4\n",
         "spec line 2: damage nme-unknown-type: TYPE must be a byte value other than 1, 2 and 4"},
        {"user A\ndamage nme-unknown-type 7 2\n",
         "spec line 2: damage nme-unknown-type: the POL has 2 records, no record 2"},
        {"user A\ndamage nme-partial GLB/MASTER.GLB\n",
         "spec line 2: damage nme-partial: 'GLB/MASTER.GLB' is not an NME/*.NME file"},
        {"user A\ndamage nme-partial NME/ADMIN.NME 45\n",
         "spec line 2: damage nme-partial: BYTES must be 1 to 44"},
        {"user A\ndamage pol-noise 39\n",
         "spec line 2: damage pol-noise: RECORDS must be 40 to 100000 (fewer could pass for damage to a list "
         "that fits the model)"},
        {"user A\ndamage pol-garbled 2\n",
         "spec line 2: damage pol-garbled: COUNT must be 1 to 1 (the POL's local entries, at most half its "
         "records: more would not fit the model; see pol-noise)"},
        {"user A\ndamage grp-shadow truncated\n",
         "spec line 2: damage grp-shadow: GRP/ADMINSHD.GRP has no record to cut"},
        {"user A\ndamage grp-shadow main\n",
         "spec line 2: damage grp-shadow: GRP/ADMIN.GRP has no node: needs a group with members"},
        {"user A\ndamage pol-missing DAVE\n", "spec line 2: damage pol-missing: no active account DAVE"},
        {"user A\ndamage grp-zero\n",
         "spec line 2: damage grp-zero: GRP/ADMIN.GRP has no node: needs a group with members"},
    };
    for (const auto& [spec, what] : cases) {
        INFO(spec);
        CHECK(usage_error_of(spec, "") == what);
    }
}
