// load_address_book and check_address_book: a fresh pogen postoffice is
// clean and fits the model; each kind of damage, made byte by byte here,
// gives exactly its finding (file, record, offset) and its verdict; a file
// of garbage contradicts the model, a one-record list with one bad alias
// does not.
#include <catch2/catch.hpp>

#include <set>

#include "mspo/checks/address_lists.hpp"
#include "mspo/format/access.hpp"
#include "pogen_fixture.hpp"

using namespace mspo;
using pogen_fixture::TempPostoffice;
using Status = EntryVerdict::Status;

namespace {

// POL: 0 ADMIN, 1 ALICE, 2 BOB, 3 CAROL (DAVE, account 4, is deleted),
// 4 group STAFF (chain at 8: ALICE, BOB, CAROL), 5 and 6 the externals
// (NETPO.GLB records 0 and 1, bytes 4 and 47).
constexpr std::string_view kSpec = R"(
user ADMIN "Administrator"
user ALICE "Alice Smith"
user BOB "Bob Jones"
user CAROL "Carol White"
user DAVE "Dave Brown" deleted
group STAFF ALICE BOB CAROL
external NET1/PO2 users=2
)";

// The same, with PALs: ADMIN's (NME/00000000.NME) copies POL entries 0..4.
constexpr std::string_view kPalSpec = R"(
user ADMIN "Administrator" pal=5
user ALICE "Alice Smith"
user BOB "Bob Jones"
user CAROL "Carol White"
user DAVE "Dave Brown" deleted
group STAFF ALICE BOB CAROL
external NET1/PO2 users=2
)";

constexpr std::string_view kBigSpec = R"(
users 50
user ADMIN "Administrator" pal=3
user ALICE "Alice Smith" pal=4
user BOB "Bob Jones" pal=1
user CAROL "Carol White"
user DAVE "Dave Brown" deleted
group STAFF ALICE BOB CAROL
group ADMINS ADMIN
external NET1/PO2 users=3
external NET2/PO3 users=2
)";

pogen::Tree tree_of(std::string_view spec) { return TempPostoffice::build(spec, {}); }

AddressReport check(const pogen::Tree& tree, const PalSelection& pals = {}) {
    TempPostoffice po(tree);
    return check_address_book(load_address_book(po.po(), pals));
}

// Applies `fn` to a main file and its shadow alike (so the pair still matches).
template <class Fn>
void both(pogen::Tree& tree, const std::string& main, const std::string& shadow, Fn fn) {
    fn(tree.at(main).data);
    fn(tree.at(shadow).data);
}
template <class Fn>
void pol(pogen::Tree& tree, Fn fn) {
    both(tree, "NME/ADMIN.NME", "NME/ADMINSHD.NME", fn);
}
template <class Fn>
void grp(pogen::Tree& tree, Fn fn) {
    both(tree, "GRP/ADMIN.GRP", "GRP/ADMINSHD.GRP", fn);
}

// Record `i` of an NME image, edited through the codec.
template <class Fn>
void edit_record(Bytes& data, std::size_t i, Fn fn) {
    NmeRecord r;
    std::copy_n(data.begin() + static_cast<std::ptrdiff_t>(i * NmeRecord::size), NmeRecord::size,
                r.raw.begin());
    fn(r);
    std::copy(r.raw.begin(), r.raw.end(), data.begin() + static_cast<std::ptrdiff_t>(i * NmeRecord::size));
}

std::uint32_t u32(const Bytes& b, std::size_t off) { return get_u32(b, off); }

// The one finding of `report`; fails unless there is exactly one.
const Finding& only_finding(const AddressReport& report) {
    INFO("findings: " << report.findings.size());
    for (const auto& f : report.findings) UNSCOPED_INFO(f.check << " " << f.file << ": " << f.message);
    REQUIRE(report.findings.size() == 1);
    return report.findings[0];
}

void require_clean(const AddressReport& r) {
    for (const auto& f : r.findings) UNSCOPED_INFO(f.check << " " << f.file << ": " << f.message);
    CHECK(r.findings.empty());
    CHECK_FALSE(r.pol.fit.contradicts);
    CHECK(r.pol.fit.fitting == r.pol.fit.records);
    CHECK(r.grp_fit.fitting == r.grp_fit.records);
    CHECK_FALSE(r.pol_shadow);
    CHECK_FALSE(r.grp_shadow_fit);
    CHECK(r.missing_accounts.empty());
    for (const auto& v : r.pol.verdicts) CHECK(v.status == Status::ok);
    for (const auto& pal : r.pals) {
        CHECK(pal.fit.fitting == pal.fit.records);
        for (const auto& v : pal.verdicts) {
            CHECK(v.status == Status::ok);
            CHECK(v.pol_entry.has_value());
        }
    }
    for (const auto& c : r.chains) CHECK(c.walk.status == ChainStatus::ok);
}

}  // namespace

TEST_CASE("address_lists: a fresh postoffice of 1 account is clean", "[address_lists]") {
    const auto r = check(tree_of("user ADMIN \"Administrator\" pal=1\n"));
    require_clean(r);
    CHECK(r.pol.verdicts.size() == 1);
    CHECK(r.pol.verdicts[0].account == 0u);
    REQUIRE(r.pals.size() == 1);
    CHECK(r.pals[0].fit.relpath == "NME/00000000.NME");
}

TEST_CASE("address_lists: a fresh postoffice of 50 accounts, groups, externals, PALs is clean",
          "[address_lists]") {
    const auto r = check(tree_of(kBigSpec));
    require_clean(r);
    CHECK(r.pol.fit.records > 50u);
    CHECK(r.pals.size() >= 3u);
    CHECK(r.chains.size() == 2u);
    CHECK(r.grp_fit.records == 4u);
    std::size_t externals = 0, groups = 0;
    for (const auto& v : r.pol.verdicts) {
        externals += v.netpo.has_value();
        groups += v.group.has_value();
    }
    CHECK(externals == 5u);
    CHECK(groups == 2u);
}

TEST_CASE("address_lists: load_address_book selects PALs and reads what is there",
          "[address_lists][makes-links]") {
    auto tree = tree_of(kPalSpec);
    TempPostoffice po(tree);
    CHECK(load_address_book(po.po()).pals.size() == 1);
    CHECK(load_address_book(po.po(), {true, std::nullopt}).pals.empty());
    const auto one = load_address_book(po.po(), {false, 0u});
    REQUIRE(one.pals.size() == 1);
    CHECK(one.pals[0].present);
    CHECK(one.pals[0].table.records.size() == 5);
    const auto missing = load_address_book(po.po(), {false, 0x1234u});
    REQUIRE(missing.pals.size() == 1);
    CHECK_FALSE(missing.pals[0].present);
    CHECK(missing.pals[0].relpath == "NME/00001234.NME");
    const auto book = load_address_book(po.po());
    CHECK(book.pol.present);
    CHECK(book.pol.size == 7 * NmeRecord::size);
    CHECK(book.groups.records.size() == 1);
    CHECK(book.netpo.records.size() == 2);
    CHECK(book.mem_numbers.size() == 1);

    SECTION("a missing shadow reads as absent") {
        std::filesystem::remove(po.path("NME/ADMINSHD.NME"));
        CHECK_FALSE(load_address_book(po.po()).pol_shadow.present);
    }
    SECTION("a link where the POL belongs is refused") {
        pogen_fixture::make_not_regular(po.path("NME/ADMIN.NME"), "symlink-out");
        CHECK(mspo::test::code_of([&] { load_address_book(po.po()); }) == Errc::unsafe_path);
    }
}

TEST_CASE("address_lists: alias_problem", "[address_lists]") {
    NmeRecord r;
    CHECK(alias_problem(r) == std::string("is empty"));
    r.set_alias("Alice");
    CHECK_FALSE(alias_problem(r));
    r.raw[2] = 0x07;
    CHECK(alias_problem(r) == std::string("has control byte 0x07 at character 3"));
    r.raw[2] = 0x7F;
    CHECK(alias_problem(r).has_value());
    r.raw[2] = 0x82;  // CP850 e-acute: fine
    CHECK_FALSE(alias_problem(r));
    std::fill_n(r.raw.begin(), NmeRecord::kAliasWidth, std::uint8_t{'A'});
    CHECK(alias_problem(r) == std::string("has no NUL in its 31 bytes"));
}

TEST_CASE("address_lists: a garbled alias in the POL", "[address_lists]") {
    auto tree = tree_of(kSpec);
    pol(tree, [](Bytes& b) { b[2 * 45 + 1] = 0x01; });  // BOB
    const auto r = check(tree);
    const Finding& f = only_finding(r);
    CHECK(f.check == "nme.bad-alias");
    CHECK(f.file == "NME/ADMIN.NME");
    CHECK(f.record == 2u);
    CHECK(f.offset == 90u);
    CHECK(r.pol.verdicts[2].status == Status::bad_alias);
    CHECK(r.pol.verdicts[2].fix_alias == std::string("Bob Jones"));
    CHECK(r.pol.verdicts[2].account == 2u);
    CHECK(r.pol.verdicts[1].status == Status::ok);
    CHECK_FALSE(r.pol.verdicts[1].fix_alias);
}

TEST_CASE("address_lists: a group entry's garbled alias is rewritable from GROUP.GLB", "[address_lists]") {
    auto tree = tree_of(kSpec);
    pol(tree, [](Bytes& b) { std::fill_n(b.begin() + 4 * 45, 31, std::uint8_t{'X'}); });
    const auto r = check(tree);
    CHECK(only_finding(r).check == "nme.bad-alias");
    CHECK(only_finding(r).message.find("no NUL") != std::string::npos);
    CHECK(r.pol.verdicts[4].fix_alias == std::string("STAFF"));
    CHECK(r.pol.verdicts[4].group == 0u);
}

TEST_CASE("address_lists: an unknown type is a warning, kept", "[address_lists]") {
    auto tree = tree_of(kSpec);
    pol(tree, [](Bytes& b) { b[1 * 45 + NmeRecord::kType] = 7; });
    const auto r = check(tree);
    // The entry held an active account's TID: that account has no type-1 entry now.
    REQUIRE(r.findings.size() == 2);
    const Finding& f = r.findings[0];
    CHECK(f.check == "nme.unknown-type");
    CHECK(f.severity == Severity::warning);
    CHECK(f.record == 1u);
    CHECK(f.offset == 45u + NmeRecord::kType);
    CHECK(f.message.find("unknown (7)") != std::string::npos);
    CHECK(r.pol.verdicts[1].status == Status::unknown_type);
    CHECK(r.findings[1].check == "pol.missing-account");
    CHECK(r.findings[1].message.find("a type we do not know") != std::string::npos);
    REQUIRE(r.missing_accounts.size() == 1);
}

TEST_CASE("address_lists: a local entry whose account is deleted", "[address_lists]") {
    auto tree = tree_of(kSpec);
    // CAROL's account deleted; her POL entry (3) stays. She is also in STAFF's chain (still a known TID).
    tree.at("GLB/ACCESS2.GLB").data[3 * 69 + Access2Record::kStatus] = 1;
    const auto r = check(tree);
    const Finding& f = only_finding(r);
    CHECK(f.check == "nme.account-gone");
    CHECK(f.record == 3u);
    CHECK(f.offset == 3u * 45 + NmeRecord::kPointer);
    CHECK(f.message.find("(deleted)") != std::string::npos);
    CHECK(r.pol.verdicts[3].status == Status::account_gone);
    CHECK_FALSE(r.pol.verdicts[3].account);
}

TEST_CASE("address_lists: a local entry with a stale pointer or TID", "[address_lists]") {
    auto tree = tree_of(kSpec);
    SECTION("pointer at another account: found by TID") {
        pol(tree, [](Bytes& b) { edit_record(b, 2, [](NmeRecord& r) { r.set_pointer(3 * 69); }); });
        const auto r = check(tree);
        const Finding& f = only_finding(r);
        CHECK(f.check == "nme.local-stale");
        CHECK(f.record == 2u);
        CHECK(f.message.find("found by TID") != std::string::npos);
        const auto& v = r.pol.verdicts[2];
        CHECK(v.status == Status::local_stale);
        CHECK(v.account == 2u);
        CHECK(v.fix_pointer == 2u * 69);
    }
    SECTION("TID and pointer garbled: found by name") {
        std::uint32_t tid = 0;
        pol(tree, [&](Bytes& b) {
            tid = u32(b, 2 * 45 + NmeRecord::kTid);
            edit_record(b, 2, [](NmeRecord& r) {
                r.set_pointer(5);
                r.set_tid(0xDEAD);
            });
        });
        const auto r = check(tree);
        const Finding& f = only_finding(r);
        CHECK(f.check == "nme.local-stale");
        CHECK(f.message.find("found by name") != std::string::npos);
        CHECK(r.pol.verdicts[2].fix_tid == tid);
        CHECK(r.pol.verdicts[2].fix_pointer == 2u * 69);
        CHECK(
            r.missing_accounts.empty());  // BOB's TID is not in the POL, but the stale entry resolves to him
    }
}

TEST_CASE("address_lists: a group entry whose pointer does not land", "[address_lists]") {
    auto tree = tree_of(kSpec);
    SECTION("misaligned: GROUP.GLB gives the chain") {
        pol(tree, [](Bytes& b) { edit_record(b, 4, [](NmeRecord& r) { r.set_pointer(13); }); });
        const auto r = check(tree);
        const Finding& f = only_finding(r);
        CHECK(f.check == "nme.group-pointer");
        CHECK(f.record == 4u);
        CHECK(f.offset == 4u * 45 + NmeRecord::kPointer);
        CHECK(r.pol.verdicts[4].status == Status::group_pointer);
        CHECK(r.pol.verdicts[4].fix_pointer == 8u);
        // Its chain is walked where GROUP.GLB puts it (the pointer the repair gives it).
        REQUIRE(r.chains.size() == 1);
        CHECK(r.chains[0].group_record == 4u);
        CHECK(r.chains[0].walk.status == ChainStatus::ok);
        CHECK(r.chains[0].walk.tids.size() == 3);
    }
    SECTION("not in GROUP.GLB: no fix") {
        tree.at("GLB/GROUP.GLB").data[4 + GroupRecord::kDeleteFlag] = 1;
        const auto r = check(tree);
        CHECK(only_finding(r).check == "nme.group-pointer");
        CHECK(only_finding(r).message.find("not in GROUP.GLB") != std::string::npos);
        CHECK_FALSE(r.pol.verdicts[4].fix_pointer);
    }
}

TEST_CASE("address_lists: a broken group chain", "[address_lists]") {
    auto tree = tree_of(kSpec);
    grp(tree, [](Bytes& b) { put_u32(b, 16 + GrpNode::kNext, 16); });  // BOB's node points at itself
    const auto r = check(tree);
    const Finding& f = only_finding(r);
    CHECK(f.check == "grp.chain-broken");
    CHECK(f.file == "GRP/ADMIN.GRP");
    CHECK(f.record == 1u);
    CHECK(f.offset == 16u);
    CHECK(f.message.find("the chain loops") != std::string::npos);
    REQUIRE(r.chains.size() == 1);
    CHECK(r.chains[0].group_record == 4u);
    CHECK(r.chains[0].walk.status == ChainStatus::cycle);
    CHECK(r.chains[0].walk.tids.size() == 2);
}

TEST_CASE("address_lists: an external entry whose pointer does not land", "[address_lists]") {
    auto tree = tree_of(kSpec);
    SECTION("past the end of NETPO.GLB: found by TID") {
        pol(tree, [](Bytes& b) { edit_record(b, 6, [](NmeRecord& r) { r.set_pointer(4 + 43 * 9); }); });
        const auto r = check(tree);
        const Finding& f = only_finding(r);
        CHECK(f.check == "nme.external-pointer");
        CHECK(f.record == 6u);
        CHECK(r.pol.verdicts[6].status == Status::external_pointer);
        CHECK(r.pol.verdicts[6].fix_pointer == 47u);
        CHECK(r.pol.verdicts[6].netpo == 1u);
    }
    SECTION("its record deleted: no fix") {
        tree.at("GLB/NETPO.GLB").data[4 + 43] = 1;
        const auto r = check(tree);
        CHECK(only_finding(r).check == "nme.external-pointer");
        CHECK(only_finding(r).message.find("(deleted)") != std::string::npos);
        CHECK_FALSE(r.pol.verdicts[6].fix_pointer);
    }
}

TEST_CASE("address_lists: duplicate TIDs, a partial record, a missing account", "[address_lists]") {
    auto tree = tree_of(kSpec);
    SECTION("duplicate: the later one names the first") {
        pol(tree, [](Bytes& b) { b.insert(b.end(), b.begin() + 45, b.begin() + 90); });
        const auto r = check(tree);
        const Finding& f = only_finding(r);
        CHECK(f.check == "nme.duplicate-tid");
        CHECK(f.record == 7u);
        CHECK(f.offset == 7u * 45 + NmeRecord::kTid);
        CHECK(r.pol.verdicts[7].status == Status::duplicate_tid);
        CHECK(r.pol.verdicts[7].duplicate_of == 1u);
        CHECK(r.pol.verdicts[1].status == Status::ok);
    }
    SECTION("partial record") {
        pol(tree, [](Bytes& b) { b.resize(b.size() + 10, 0x41); });
        const auto r = check(tree);
        const Finding& f = only_finding(r);
        CHECK(f.check == "nme.partial-record");
        CHECK(f.record == 7u);
        CHECK(f.offset == 7u * 45);
        CHECK(r.pol.verdicts.size() == 7);
    }
    SECTION("missing account") {
        pol(tree, [](Bytes& b) { b.erase(b.begin() + 45, b.begin() + 90); });  // ALICE
        const auto r = check(tree);
        const Finding& f = only_finding(r);
        CHECK(f.check == "pol.missing-account");
        CHECK(f.file == "NME/ADMIN.NME");
        CHECK(f.message.find("ALICE") != std::string::npos);
        CHECK(r.missing_accounts == std::vector<std::uint64_t>{1});
    }
}

TEST_CASE("address_lists: shadows that differ are reported and judged", "[address_lists]") {
    auto tree = tree_of(kSpec);
    SECTION("NME shadow with a garbled alias: only the mismatch, the shadow's verdict shows it") {
        tree.at("NME/ADMINSHD.NME").data[45 + 2] = 0x1B;
        const auto r = check(tree);
        const Finding& f = only_finding(r);
        CHECK(f.check == "shadow.nme-mismatch");
        CHECK(f.file == "NME/ADMINSHD.NME");
        CHECK(f.record == 1u);
        CHECK(f.offset == 47u);
        REQUIRE(r.pol_shadow);
        CHECK(r.pol_shadow->verdicts[1].status == Status::bad_alias);
        CHECK(r.pol.verdicts[1].status == Status::ok);
    }
    SECTION("NME shadow of another date") {
        tree.at("NME/ADMINSHD.NME").mtime -= 60;
        const auto r = check(tree);
        CHECK(only_finding(r).message.find("differ in date") != std::string::npos);
        REQUIRE(r.pol_shadow);
        CHECK(r.pol_shadow->fit.fitting == 7u);
    }
    SECTION("GRP shadow truncated") {
        tree.at("GRP/ADMINSHD.GRP").data.resize(20);
        const auto r = check(tree);
        const Finding& f = only_finding(r);
        CHECK(f.check == "shadow.grp-mismatch");
        CHECK(f.message.find("differ in size") != std::string::npos);
        REQUIRE(r.grp_shadow_fit);
        CHECK(r.grp_shadow_fit->records == 1u);
        REQUIRE(r.grp_shadow_chains.size() == 1);  // the chain's start (8) is a node; its link (16) is not
        CHECK(r.grp_shadow_chains[0].walk.status == ChainStatus::past_end);
        CHECK(r.chains[0].walk.status == ChainStatus::ok);
    }
}

TEST_CASE("address_lists: an NME file of garbage contradicts the model", "[address_lists]") {
    auto tree = tree_of(kSpec);
    pol(tree, [](Bytes& b) { b = mspo::test::random_bytes(44 * 45, 7); });
    const auto r = check(tree);
    CHECK(r.pol.fit.contradicts);
    CHECK(r.pol.fit.records == 44u);
    CHECK(r.pol.fit.fitting <= 2u);
    const Finding& f = only_finding(r);  // no per-record findings, no missing accounts
    CHECK(f.check == "nme.model-mismatch");
    CHECK(f.file == "NME/ADMIN.NME");
    CHECK(f.message == std::to_string(44 - r.pol.fit.fitting) + " of 44 records do not fit our NME model");
    CHECK(r.missing_accounts.size() == 4);
}

TEST_CASE("address_lists: a 1-record POL with a garbled alias does not contradict", "[address_lists]") {
    auto tree = tree_of("user ADMIN \"Administrator\"\n");
    pol(tree, [](Bytes& b) { b[0] = 0x02; });
    const auto r = check(tree);
    CHECK_FALSE(r.pol.fit.contradicts);
    CHECK(r.pol.fit.fitting == 0u);
    CHECK(only_finding(r).check == "nme.bad-alias");
    CHECK(r.pol.verdicts[0].fix_alias == std::string("Administrator"));
}

TEST_CASE("address_lists: the fit thresholds", "[address_lists]") {
    auto tree = tree_of(kSpec);  // 7 records
    auto misfit = [&](std::size_t n) {
        auto t = tree;
        pol(t, [&](Bytes& b) {
            for (std::size_t i = 0; i < n; ++i) b[i * 45 + NmeRecord::kType] = 9;
        });
        return check(t).pol.fit;
    };
    CHECK_FALSE(misfit(3).contradicts);  // 3 of 7: not more than half
    CHECK(misfit(4).contradicts);        // 4 of 7
    CHECK(misfit(4).summary() == "4 of 7 records do not fit our NME model");
    auto one = tree_of("user ADMIN\nuser BOB\n");  // 2 records, both misfits: under kMinMisfits
    pol(one, [](Bytes& b) { b[NmeRecord::kType] = b[45 + NmeRecord::kType] = 9; });
    CHECK_FALSE(check(one).pol.fit.contradicts);
}

TEST_CASE("address_lists: a GRP file of garbage contradicts the model", "[address_lists]") {
    auto tree = tree_of(kSpec);
    grp(tree, [](Bytes& b) {
        b = Bytes(8, 0);
        const auto junk = mspo::test::random_bytes(8 * 20, 3);
        b.insert(b.end(), junk.begin(), junk.end());
    });
    const auto r = check(tree);
    CHECK(r.grp_fit.contradicts);
    // STAFF's pointer (8) still lands on a node, so only the GRP file is in question.
    const Finding& f = only_finding(r);
    CHECK(f.check == "nme.model-mismatch");
    CHECK(f.file == "GRP/ADMIN.GRP");
    CHECK(f.message.find("of 20 records do not fit our GRP model") != std::string::npos);
}

TEST_CASE("address_lists: PAL entries are judged against the POL and the accounts", "[address_lists]") {
    auto tree = tree_of(kPalSpec);
    const std::string pal = "NME/00000000.NME";
    SECTION("a stale pointer: repaired from its account, its POL entry named") {
        edit_record(tree.at(pal).data, 1, [](NmeRecord& r) { r.set_pointer(2 * 69); });
        const auto r = check(tree);
        const Finding& f = only_finding(r);
        CHECK(f.check == "nme.local-stale");
        CHECK(f.file == pal);
        CHECK(f.record == 1u);
        REQUIRE(r.pals.size() == 1);
        CHECK(r.pals[0].verdicts[1].fix_pointer == 69u);
        CHECK(r.pals[0].verdicts[1].pol_entry == 1u);
    }
    SECTION("an entry whose account is deleted") {
        tree.at("GLB/ACCESS2.GLB").data[3 * 69 + Access2Record::kStatus] = 1;
        const auto r = check(tree);
        REQUIRE(r.findings.size() == 2);  // the POL's entry and the PAL's copy
        CHECK(r.findings[0].file == "NME/ADMIN.NME");
        CHECK(r.findings[1].check == "nme.account-gone");
        CHECK(r.findings[1].file == pal);
        CHECK(r.findings[1].record == 3u);
        CHECK_FALSE(r.pals[0].verdicts[3].pol_entry);  // its POL entry is not ok either
    }
    SECTION("a garbled alias: rewritable from the POL entry") {
        tree.at(pal).data[4 * 45] = 0x03;
        const auto r = check(tree);
        CHECK(only_finding(r).check == "nme.bad-alias");
        CHECK(r.pals[0].verdicts[4].fix_alias == std::string("STAFF"));
    }
    SECTION("a damaged type byte: the POL entry can be copied whole") {
        tree.at(pal).data[1 * 45 + NmeRecord::kType] = 2;  // ALICE now reads as external
        const auto r = check(tree);
        CHECK(only_finding(r).check == "nme.external-pointer");
        CHECK(r.pals[0].verdicts[1].pol_entry == 1u);
    }
}

// The pogen damage kinds made for palfix (docs/POGEN.md): each is found by
// its id, and by no address-list id it does not list.
TEST_CASE("address_lists: every pogen address-list damage kind is found", "[address_lists][pogen]") {
    struct Case {
        std::string damage;
        std::set<std::string> must, may;
    };
    const std::vector<Case> cases = {
        {"nme-bad-alias", {"nme.bad-alias"}, {}},
        {"nme-bad-alias:pal", {"nme.bad-alias"}, {}},
        {"pal-account-gone", {"nme.account-gone"}, {}},
        {"pal-account-gone:nobody", {"nme.account-gone"}, {}},
        {"nme-local-stale", {"nme.local-stale"}, {}},
        {"nme-local-stale:tid", {"nme.local-stale"}, {}},
        {"pol-missing", {"pol.missing-account"}, {}},
        {"pol-missing-group", {"pol.missing-group"}, {}},
        {"grp-chain", {"grp.chain-broken"}, {}},
        {"grp-chain:past-end", {"grp.chain-broken"}, {}},
        {"grp-chain:misaligned", {"grp.chain-broken"}, {}},
        {"nme-group-pointer", {"nme.group-pointer"}, {}},
        {"nme-external-pointer", {"nme.external-pointer"}, {}},
        {"nme-external-pointer:deleted", {"nme.external-pointer"}, {}},
        {"nme-duplicate-tid", {"nme.duplicate-tid"}, {}},
        {"nme-unknown-type", {"nme.unknown-type"}, {}},
        {"nme-partial", {"nme.partial-record"}, {}},
        {"pol-garbled",
         {"nme.bad-alias"},
         {"pol.missing-account", "nme.unknown-type", "nme.account-gone", "nme.local-stale",
          "nme.group-pointer", "nme.external-pointer", "nme.duplicate-tid"}},
        {"pol-noise", {"nme.model-mismatch"}, {}},
        {"nme-shadow", {"shadow.nme-mismatch"}, {}},
        {"nme-shadow:truncated", {"shadow.nme-mismatch"}, {}},
        {"nme-shadow:main", {"shadow.nme-mismatch", "nme.bad-alias"}, {}},
        {"grp-shadow:truncated", {"shadow.grp-mismatch"}, {}},
        {"grp-shadow:main", {"shadow.grp-mismatch", "grp.chain-broken"}, {}},
    };
    for (const auto& c : cases) {
        DYNAMIC_SECTION(c.damage) {
            const auto r = check(TempPostoffice::build(kPalSpec, {c.damage}));
            for (const auto& f : r.findings) UNSCOPED_INFO(f.check << " " << f.file << ": " << f.message);
            const auto got = pogen_fixture::ids(r.findings);
            for (const auto& id : c.must) CHECK(got.count(id) == 1);
            for (const auto& id : got) CHECK((c.must.count(id) + c.may.count(id)) == 1);
        }
    }
}

TEST_CASE("address_lists: a damaged main copy, good shadow: the shadow's judgement says so",
          "[address_lists]") {
    const auto r = check(TempPostoffice::build(kPalSpec, {"nme-shadow:main"}));
    REQUIRE(r.pol_shadow);
    CHECK(r.pol.verdicts[0].status == Status::bad_alias);
    for (const auto& v : r.pol_shadow->verdicts) CHECK(v.status == Status::ok);
    CHECK(r.pol_shadow->fit.fitting == r.pol_shadow->fit.records);
}

TEST_CASE("address_lists: a group entry whose pointer was zeroed gets GROUP.GLB's chain back",
          "[address_lists]") {
    auto tree = tree_of(kSpec);
    pol(tree, [](Bytes& b) { edit_record(b, 4, [](NmeRecord& r) { r.set_pointer(0); }); });
    const auto r = check(tree);
    const Finding& f = only_finding(r);
    CHECK(f.check == "nme.group-pointer");
    CHECK(f.message.find("empty chain") != std::string::npos);
    CHECK(r.pol.verdicts[4].fix_pointer == 8u);
    CHECK(r.pol.fit.fitting == 7u);  // 0 is a pointer the model allows
}

TEST_CASE("address_lists: one copy of a pair missing", "[address_lists]") {
    auto tree = tree_of(kSpec);
    SECTION("ADMIN.NME missing, the shadow good") {
        tree.files.erase("NME/ADMIN.NME");
        const auto r = check(tree);
        REQUIRE_FALSE(r.findings.empty());
        CHECK(r.findings[0].check == "shadow.nme-mismatch");
        CHECK(r.findings[0].file == "NME/ADMIN.NME");
        REQUIRE(r.pol_shadow);
        CHECK(r.pol_shadow->verdicts.size() == 7);
        CHECK(r.pol_shadow->fit.fitting == 7u);
        CHECK(r.missing_accounts.size() == 4);
    }
    SECTION("ADMINSHD.GRP missing") {
        tree.files.erase("GRP/ADMINSHD.GRP");
        const auto r = check(tree);
        const Finding& f = only_finding(r);
        CHECK(f.check == "shadow.grp-mismatch");
        CHECK(f.file == "GRP/ADMINSHD.GRP");
        REQUIRE(r.grp_shadow_fit);
        CHECK(r.grp_shadow_fit->records == 0u);
    }
}
