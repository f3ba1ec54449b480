// common/checks/pol_repair.cpp: the repair plan of the address lists, from
// address books and judgements built by hand (check_address_book's own
// tests judge real files; here the verdicts are given).
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

#include "mspo/checks/pol_repair.hpp"
#include "mspo/format/access.hpp"

using namespace mspo;
using Status = EntryVerdict::Status;

namespace {

constexpr std::int64_t kNow = 1'700'000'000'000'000'000;
constexpr std::int64_t kThen = 1'600'000'000'000'000'000;

Account account(std::uint64_t index, const std::string& mailbox, const std::string& full, std::uint32_t tid,
                bool deleted = false) {
    Account a;
    a.index = index;
    a.mailbox = mailbox;
    a.full_name = full;
    a.mailbag = static_cast<std::uint32_t>(index);
    a.tid = tid;
    a.deleted = deleted;
    a.status = deleted ? 1 : 0;
    a.access2_offset = index * Access2Record::size;
    return a;
}

NmeRecord entry(const std::string& alias, std::uint32_t tid, std::uint8_t type, std::uint32_t pointer) {
    NmeRecord r;
    r.set_alias(alias);
    r.set_tid(tid);
    r.set_type_code(type);
    r.set_pointer(pointer);
    r.raw[NmeRecord::kUnknown] = 0x5A;  // a byte we do not understand: must be kept
    return r;
}

// ADMIN, ALICE, BOB (deleted), CAROL; a POL of ADMIN, ALICE, group STAFF
// (ADMIN, ALICE), external JANE (NETPO record 0); both copies identical.
struct Fixture {
    AddressBook book;
    AddressReport report;
    Findings findings;

    Fixture() {
        auto& list = book.accounts.accounts;
        list = {account(0, "ADMIN", "Administrator", 0x10000), account(1, "ALICE", "Alice Smith", 0x10001),
                account(2, "BOB", "Bob Jones", 0x10002, true), account(3, "CAROL", "Carol King", 0x10003)};
        NmeTable pol;
        pol.records = {entry("Administrator", 0x10000, 1, 0), entry("Alice Smith", 0x10001, 1, 69),
                       entry("Staff", 0x20000, 4, 8), entry("Jane Far", 0x30000, 2, 4),
                       entry("Carol King", 0x10003, 1, 3 * 69)};
        book.pol = {"NME/ADMIN.NME", true, 0, kThen, pol};
        book.pol_shadow = {"NME/ADMINSHD.NME", true, 0, kThen, pol};
        GrpTable grp;
        grp.header.assign(8, 0);
        grp.records.resize(2);
        grp.records[0].set_tid(0x10000);
        grp.records[0].set_next(16);
        grp.records[1].set_tid(0x10001);
        grp.records[1].set_next(0);
        book.grp = {"GRP/ADMIN.GRP", true, 24, kThen, grp};
        book.grp_shadow = {"GRP/ADMINSHD.GRP", true, 24, kThen, grp};
        book.groups.header.assign(4, 0);
        book.groups.records.resize(1);
        book.groups.records[0].set_alias("Staff");
        book.groups.records[0].set_tid(0x20000);
        book.groups.records[0].set_grp_offset(8);
        book.netpo.header.assign(4, 0);
        book.netpo.records.resize(1);
        book.netpo.records[0].set_network("NET1");
        book.netpo.records[0].set_postoffice("PO2");
        book.netpo.records[0].set_mailbox("JANE");
        book.netpo.records[0].set_tid(0x30000);

        report.pol.fit = {"NME/ADMIN.NME", 5, 5, false};
        report.pol.verdicts.resize(5);
        report.grp_fit = {"GRP/ADMIN.GRP", 2, 2, false};
        ChainReport chain;
        chain.group_record = 2;
        chain.walk = walk_chain(grp, 8);
        report.chains = {chain};
    }

    std::size_t find(CheckId id, const std::string& file, std::optional<std::uint64_t> record) {
        findings.push_back(make_finding(id, file, record, std::nullopt, "test"));
        return findings.size() - 1;
    }
    void mark(std::size_t record, Status s) {
        report.pol.verdicts[record].status = s;
        find(id_of(s), "NME/ADMIN.NME", record);
    }
    static CheckId id_of(Status s) {
        switch (s) {
            case Status::bad_alias:
                return CheckId::nme_bad_alias;
            case Status::account_gone:
                return CheckId::nme_account_gone;
            case Status::local_stale:
                return CheckId::nme_local_stale;
            case Status::group_pointer:
                return CheckId::nme_group_pointer;
            case Status::external_pointer:
                return CheckId::nme_external_pointer;
            case Status::duplicate_tid:
                return CheckId::nme_duplicate_tid;
            default:
                return CheckId::nme_unknown_type;
        }
    }
    AddressRepair plan(bool rebuild = false, bool pals = true) {
        RepairOptions o;
        o.now_ns = kNow;
        o.rebuild_pol = rebuild;
        o.pals = pals;
        return plan_address_repair(book, report, findings, o);
    }
};

const PlannedWrite* write_of(const AddressRepair& r, const std::string& relpath) {
    for (const auto& w : r.writes)
        if (w.relpath == relpath) return &w;
    return nullptr;
}

NmeTable table_of(const PlannedWrite& w) { return decode_nme(w.contents); }

bool has(const Findings& f, CheckId id) {
    return std::any_of(f.begin(), f.end(), [&](const Finding& x) { return x.code == id; });
}

}  // namespace

TEST_CASE("pol_repair: a clean address book plans nothing", "[pol_repair]") {
    Fixture fx;
    const auto r = fx.plan();
    CHECK(r.writes.empty());
    CHECK(r.quarantine.empty());
    CHECK_FALSE(r.refused);
    CHECK_FALSE(r.pol_changed);
    CHECK_FALSE(has(r.findings, CheckId::pol_rebuilt));
}

TEST_CASE("pol_repair: a good ADMIN.NME is copied over a differing shadow, with its date", "[pol_repair]") {
    Fixture fx;
    fx.book.pol_shadow.table.records[1].raw[40] ^= 0x04;  // shadow differs
    fx.book.pol_shadow.mtime_ns = kThen - 60'000'000'000;
    const auto shadow = fx.find(CheckId::shadow_nme_mismatch, "NME/ADMINSHD.NME", 1);
    const auto r = fx.plan();
    REQUIRE(r.writes.size() == 1);
    const PlannedWrite& w = r.writes[0];
    CHECK(w.relpath == "NME/ADMINSHD.NME");
    CHECK(w.contents == encode_nme(fx.book.pol.table));
    CHECK(w.mtime_ns == kThen);
    CHECK_FALSE(w.create);
    CHECK(w.repairs == std::vector<std::size_t>{shadow});
    CHECK(r.findings[shadow].action == "copy NME/ADMIN.NME over NME/ADMINSHD.NME");
    CHECK(r.counts.pairs_copied == 1);
    CHECK(r.quarantine.empty());
    CHECK_FALSE(has(r.findings, CheckId::pol_rebuilt));  // ADMIN.NME, the POL itself, is unchanged
}

TEST_CASE("pol_repair: a good shadow is copied over a damaged ADMIN.NME", "[pol_repair]") {
    Fixture fx;
    fx.book.pol.table.records[1].set_alias("Al\x01ice");
    fx.mark(1, Status::bad_alias);
    fx.report.pol_shadow = ListReport{{"NME/ADMINSHD.NME", 5, 5, false}, std::vector<EntryVerdict>(5)};
    const auto shadow = fx.find(CheckId::shadow_nme_mismatch, "NME/ADMINSHD.NME", 1);
    const auto r = fx.plan();
    REQUIRE(r.writes.size() == 1);
    CHECK(r.writes[0].relpath == "NME/ADMIN.NME");
    CHECK(r.writes[0].contents == encode_nme(fx.book.pol_shadow.table));
    CHECK(r.writes[0].mtime_ns == kThen);
    auto repairs = r.writes[0].repairs;
    std::sort(repairs.begin(), repairs.end());
    CHECK(repairs == std::vector<std::size_t>{0, shadow});
    CHECK(has(r.findings, CheckId::pol_rebuilt));
}

TEST_CASE("pol_repair: a missing shadow is created from a good ADMIN.NME, with a finding", "[pol_repair]") {
    Fixture fx;
    fx.book.pol_shadow = {"NME/ADMINSHD.NME", false, 0, 0, {}};
    const auto r = fx.plan();
    REQUIRE(r.writes.size() == 1);
    CHECK(r.writes[0].create);
    REQUIRE(r.writes[0].repairs.size() == 1);
    const Finding& f = r.findings[r.writes[0].repairs[0]];
    CHECK(f.code == CheckId::shadow_nme_mismatch);
    CHECK(f.file == "NME/ADMINSHD.NME");
}

TEST_CASE("pol_repair: both copies damaged: repaired in place, good records byte for byte", "[pol_repair]") {
    Fixture fx;
    // ALICE's alias garbled in both copies; fixable from her account
    fx.book.pol.table.records[1].set_alias("Al\x01ice");
    fx.book.pol_shadow.table.records[1].set_alias("Al\x01ice");
    fx.mark(1, Status::bad_alias);
    fx.report.pol.verdicts[1].fix_alias = "Alice Smith";
    // CAROL's entry points at the wrong record
    fx.book.pol.table.records[4].set_pointer(7);
    fx.book.pol_shadow.table.records[4].set_pointer(7);
    fx.mark(4, Status::local_stale);
    fx.report.pol.verdicts[4].account = 3;
    // an entry of a deleted account, appended at the end
    fx.book.pol.table.records.push_back(entry("Bob Jones", 0x10002, 1, 2 * 69));
    fx.book.pol_shadow.table.records = fx.book.pol.table.records;
    fx.report.pol.verdicts.emplace_back();
    fx.mark(5, Status::account_gone);
    // a partial record
    fx.book.pol.table.trailing = {1, 2, 3};
    const auto partial = fx.find(CheckId::nme_partial_record, "NME/ADMIN.NME", std::nullopt);
    // ADMIN missing from... no: a new account DAVE with no entry
    fx.book.accounts.accounts.push_back(account(4, "DAVE", "Dave \x01", 0x10004));
    fx.report.missing_accounts = {4};
    const auto missing = fx.find(CheckId::pol_missing_account, "NME/ADMIN.NME", std::nullopt);

    const auto r = fx.plan();
    REQUIRE_FALSE(r.refused);
    REQUIRE(r.writes.size() == 2);
    const PlannedWrite* main = write_of(r, "NME/ADMIN.NME");
    const PlannedWrite* shadow = write_of(r, "NME/ADMINSHD.NME");
    REQUIRE(main);
    REQUIRE(shadow);
    CHECK(main->contents == shadow->contents);
    CHECK(main->mtime_ns == kNow);
    CHECK(shadow->mtime_ns == kNow);
    const NmeTable t = table_of(*main);
    CHECK(t.trailing.empty());
    REQUIRE(t.records.size() == 6);                               // 5 kept (BOB removed) + DAVE
    CHECK(t.records[0].raw == fx.book.pol.table.records[0].raw);  // untouched, unknown byte kept
    CHECK(t.records[1].alias() == "Alice Smith");
    CHECK(t.records[1].raw[NmeRecord::kUnknown] == 0x5A);
    CHECK(t.records[2].raw == fx.book.pol.table.records[2].raw);
    CHECK(t.records[4].pointer() == 3 * 69);
    CHECK(t.records[4].tid() == 0x10003);
    CHECK(t.records[5].alias() == "DAVE");  // the full name is not printable: the mailbox name
    CHECK(t.records[5].tid() == 0x10004);
    CHECK(t.records[5].type_code() == 1);
    CHECK(t.records[5].pointer() == 4 * 69);
    // every finding is linked, with its action
    for (std::size_t i : {std::size_t{0}, std::size_t{1}, std::size_t{2}, partial, missing})
        CHECK(std::count(main->repairs.begin(), main->repairs.end(), i) == 1);
    CHECK(r.findings[2].action == "remove and quarantine");
    CHECK(r.findings[partial].action == "drop and quarantine");
    // two quarantined: BOB's entry and the partial record
    REQUIRE(r.quarantine.size() == 2);
    CHECK(r.quarantine[0].record == 5);
    CHECK(r.quarantine[0].alias == "Bob Jones");
    CHECK(r.quarantine[1].raw == Bytes{1, 2, 3});
    CHECK(r.counts.entries_removed == 1);
    CHECK(r.counts.entries_repaired == 2);
    CHECK(r.counts.entries_added == 1);
    CHECK(has(r.findings, CheckId::pol_rebuilt));
}

TEST_CASE("pol_repair: a removed group is quarantined with its members and deleted in GROUP.GLB",
          "[pol_repair]") {
    Fixture fx;
    fx.book.pol.table.records[2].set_pointer(1000);  // past the end, both copies
    fx.book.pol_shadow.table.records[2].set_pointer(1000);
    fx.mark(2, Status::group_pointer);
    fx.report.chains.clear();
    fx.book.groups.records[0].set_grp_offset(1000);  // GROUP.GLB has lost the chain too
    const auto r = fx.plan();
    REQUIRE(r.quarantine.size() == 1);
    const auto& q = r.quarantine[0];
    CHECK(q.kind == QuarantineEntry::Kind::group);
    CHECK(q.alias == "Staff");
    const PlannedWrite* groups = write_of(r, "GLB/GROUP.GLB");
    REQUIRE(groups);
    CHECK(decode_group(groups->contents).records[0].deleted());
    CHECK(groups->repairs == std::vector<std::size_t>{0});
    CHECK(r.counts.groups_deleted == 1);
    CHECK(table_of(*write_of(r, "NME/ADMIN.NME")).records.size() == 4);
}

TEST_CASE("pol_repair: a group whose pointer is fixable keeps its members", "[pol_repair]") {
    Fixture fx;
    fx.book.pol.table.records[2].set_pointer(1000);
    fx.book.pol_shadow.table.records[2].set_pointer(1000);
    fx.mark(2, Status::group_pointer);
    fx.report.pol.verdicts[2].fix_pointer = 8;
    const auto r = fx.plan();
    CHECK(r.quarantine.empty());
    CHECK(table_of(*write_of(r, "NME/ADMIN.NME")).records[2].pointer() == 8);
    CHECK_FALSE(write_of(r, "GLB/GROUP.GLB"));
}

TEST_CASE("pol_repair: an external entry is quarantined as an A line while NETPO reads", "[pol_repair]") {
    Fixture fx;
    fx.mark(3, Status::duplicate_tid);
    fx.book.pol_shadow.table.records[0].raw[44] = 1;  // make the pair differ, so both are damaged
    auto r = fx.plan();
    REQUIRE(r.quarantine.size() == 1);
    CHECK(r.quarantine[0].kind == QuarantineEntry::Kind::external);
    CHECK(r.quarantine[0].address == "PCM:NET1/PO2/JANE");
    fx.book.netpo.records[0].set_deleted(true);
    r = fx.plan();
    REQUIRE(r.quarantine.size() == 1);
    CHECK(r.quarantine[0].kind == QuarantineEntry::Kind::comment);
}

TEST_CASE("pol_repair: a POL that contradicts the model refuses everything", "[pol_repair]") {
    Fixture fx;
    fx.report.pol.fit = {"NME/ADMIN.NME", 44, 3, true};
    fx.mark(1, Status::account_gone);
    fx.find(CheckId::nme_model_mismatch, "NME/ADMIN.NME", std::nullopt);
    const auto r = fx.plan();
    REQUIRE(r.refused);
    CHECK(r.writes.empty());
    CHECK(r.quarantine.empty());
    CHECK(r.refusal ==
          "NME/ADMIN.NME: 41 of 44 records do not fit our NME model; nothing changed; --rebuild-pol rebuilds "
          "it "
          "from the ACCESS files anyway");
}

TEST_CASE("pol_repair: --rebuild-pol rebuilds as ACCTONME, keeping groups and externals", "[pol_repair]") {
    Fixture fx;
    fx.report.pol.fit = {"NME/ADMIN.NME", 6, 1, true};
    const auto fit = fx.find(CheckId::nme_model_mismatch, "NME/ADMIN.NME", std::nullopt);
    fx.book.pol.table.records.insert(fx.book.pol.table.records.begin(), entry("Odd", 0x40000, 9, 0));
    fx.book.pol_shadow.table = fx.book.pol.table;
    fx.report.pol.verdicts.insert(fx.report.pol.verdicts.begin(), EntryVerdict{});
    fx.report.pol.verdicts[0].status = Status::unknown_type;
    fx.report.chains[0].group_record = 3;
    const auto r = fx.plan(true);
    REQUIRE_FALSE(r.refused);
    const NmeTable t = table_of(*write_of(r, "NME/ADMIN.NME"));
    REQUIRE(t.records.size() == 5);  // ADMIN, ALICE, CAROL (BOB deleted), STAFF, JANE
    CHECK(t.records[0].alias() == "Administrator");
    CHECK(t.records[1].alias() == "Alice Smith");
    CHECK(t.records[2].alias() == "Carol King");
    CHECK(t.records[2].pointer() == 3 * 69);
    CHECK(t.records[3].raw == fx.book.pol.table.records[3].raw);  // the group, byte for byte
    CHECK(t.records[4].raw == fx.book.pol.table.records[4].raw);
    REQUIRE(r.quarantine.size() == 1);  // the entry of unknown type
    CHECK(r.quarantine[0].alias == "Odd");
    CHECK(std::count(write_of(r, "NME/ADMIN.NME")->repairs.begin(),
                     write_of(r, "NME/ADMIN.NME")->repairs.end(), fit) == 1);
    // the quarantined entry had no finding of its own: the rebuild adds one
    const auto noted = std::count_if(r.findings.begin(), r.findings.end(), [](const Finding& f) {
        return f.code == CheckId::pol_rebuilt && f.record == 0u;
    });
    CHECK(noted == 1);
}

TEST_CASE("pol_repair: a broken chain is cut at the node holding the bad pointer", "[pol_repair]") {
    Fixture fx;
    fx.book.grp.table.records[1].set_next(8);  // ALICE's node loops back to ADMIN's
    fx.book.grp_shadow.table = fx.book.grp.table;
    fx.report.chains[0].walk = walk_chain(fx.book.grp.table, 8);
    REQUIRE(fx.report.chains[0].walk.status == ChainStatus::cycle);
    const auto broken = fx.find(CheckId::grp_chain_broken, "GRP/ADMIN.GRP", 1);
    const auto r = fx.plan();
    const PlannedWrite* main = write_of(r, "GRP/ADMIN.GRP");
    const PlannedWrite* shadow = write_of(r, "GRP/ADMINSHD.GRP");
    REQUIRE(main);
    REQUIRE(shadow);
    CHECK(main->contents == shadow->contents);
    CHECK(main->mtime_ns == shadow->mtime_ns);
    const GrpTable t = decode_grp(main->contents);
    CHECK(t.records[1].next() == 0);
    CHECK(t.records[0].next() == 16);
    CHECK(walk_chain(t, 8).status == ChainStatus::ok);
    CHECK(main->repairs == std::vector<std::size_t>{broken});
    REQUIRE(r.quarantine.size() == 1);
    CHECK(r.quarantine[0].file == "GRP/ADMIN.GRP");
    CHECK(r.counts.chains_cut == 1);
    CHECK_FALSE(r.pol_changed);
}

TEST_CASE("pol_repair: a good GRP shadow is copied over a broken ADMIN.GRP", "[pol_repair]") {
    Fixture fx;
    fx.book.grp.table.records[1].set_next(8);
    fx.report.chains[0].walk = walk_chain(fx.book.grp.table, 8);
    fx.report.grp_shadow_fit = ModelFit{"GRP/ADMINSHD.GRP", 2, 2, false};
    fx.report.grp_shadow_chains = {ChainReport{2, walk_chain(fx.book.grp_shadow.table, 8)}};
    const auto broken = fx.find(CheckId::grp_chain_broken, "GRP/ADMIN.GRP", 1);
    const auto r = fx.plan();
    REQUIRE(r.writes.size() == 1);
    CHECK(r.writes[0].relpath == "GRP/ADMIN.GRP");
    CHECK(r.writes[0].contents == encode_grp(fx.book.grp_shadow.table));
    CHECK(r.writes[0].repairs == std::vector<std::size_t>{broken});
    CHECK(r.quarantine.empty());
}

TEST_CASE("pol_repair: PAL entries are rewritten from the POL, or removed", "[pol_repair]") {
    Fixture fx;
    NmeTable pal;
    pal.records = {entry("Alice Smith", 0x10001, 1, 999), entry("Bob Jones", 0x10002, 1, 2 * 69),
                   entry("Jane Far", 0x30000, 2, 4)};
    fx.book.pals = {{"NME/00000001.NME", true, 0, kThen, pal}};
    ListReport judged{{"NME/00000001.NME", 3, 1, false}, std::vector<EntryVerdict>(3)};
    judged.verdicts[0].status = Status::local_stale;
    judged.verdicts[0].account = 1;
    judged.verdicts[1].status = Status::account_gone;
    fx.report.pals = {judged};
    const auto stale = fx.find(CheckId::nme_local_stale, "NME/00000001.NME", 0);
    const auto gone = fx.find(CheckId::nme_account_gone, "NME/00000001.NME", 1);
    auto r = fx.plan();
    const PlannedWrite* w = write_of(r, "NME/00000001.NME");
    REQUIRE(w);
    CHECK_FALSE(w->mtime_ns);
    const NmeTable t = table_of(*w);
    REQUIRE(t.records.size() == 2);
    CHECK(t.records[0].raw == fx.book.pol.table.records[1].raw);
    CHECK(t.records[1].raw == pal.records[2].raw);
    auto repairs = w->repairs;
    std::sort(repairs.begin(), repairs.end());
    CHECK(repairs == std::vector<std::size_t>{stale, gone});
    REQUIRE(r.quarantine.size() == 1);
    CHECK(r.quarantine[0].file == "NME/00000001.NME");
    CHECK_FALSE(r.pol_changed);
    CHECK_FALSE(has(r.findings, CheckId::pol_rebuilt));
    // --pol-only: no PAL is changed
    r = fx.plan(false, false);
    CHECK(r.writes.empty());
    // a PAL that contradicts the model refuses the run, naming --pol-only
    fx.report.pals[0].fit = {"NME/00000001.NME", 3, 0, true};
    r = fx.plan();
    REQUIRE(r.refused);
    CHECK(r.refusal.find("--pol-only") != std::string::npos);
}

TEST_CASE("pol_repair: local_entry is ACCTONME's entry", "[pol_repair]") {
    const NmeRecord r = local_entry(account(7, "ZED", "Zed Zebra", 0x1234));
    CHECK(r.alias() == "Zed Zebra");
    CHECK(r.tid() == 0x1234u);
    CHECK(r.type() == NmeType::local);
    CHECK(r.pointer() == 7u * 69);
    CHECK(local_entry(account(1, "ZED", "", 1)).alias() == "ZED");
}

TEST_CASE("pol_repair: ADMIN.GRP missing, its shadow good: group entries are kept for the copy",
          "[pol_repair]") {
    Fixture fx;
    fx.book.grp = {"GRP/ADMIN.GRP", false, 0, 0, {}};
    fx.book.pol_shadow = {"NME/ADMINSHD.NME", false, 0, 0, {}};
    fx.report.chains.clear();  // nothing walks in a missing ADMIN.GRP
    fx.report.grp_fit = {"GRP/ADMIN.GRP", 0, 0, false};
    fx.report.grp_shadow_fit = ModelFit{"GRP/ADMINSHD.GRP", 2, 2, false};
    fx.report.grp_shadow_chains = {ChainReport{2, walk_chain(fx.book.grp_shadow.table, 8)}};
    fx.mark(2, Status::group_pointer);  // its pointer lands on no node of the missing file
    const auto nme_missing = fx.find(CheckId::shadow_nme_mismatch, "NME/ADMINSHD.NME", std::nullopt);
    const auto grp_missing = fx.find(CheckId::shadow_grp_mismatch, "GRP/ADMIN.GRP", std::nullopt);
    const auto r = fx.plan();
    CHECK(r.quarantine.empty());
    CHECK_FALSE(write_of(r, "GLB/GROUP.GLB"));
    CHECK_FALSE(write_of(r, "NME/ADMIN.NME"));  // unchanged: only its shadow is written
    CHECK_FALSE(r.pol_changed);
    const PlannedWrite* shadow = write_of(r, "NME/ADMINSHD.NME");
    REQUIRE(shadow);
    CHECK(shadow->create);
    CHECK(shadow->contents == encode_nme(fx.book.pol.table));
    CHECK(shadow->mtime_ns == kThen);
    CHECK(std::count(shadow->repairs.begin(), shadow->repairs.end(), nme_missing) == 1);
    const PlannedWrite* grp = write_of(r, "GRP/ADMIN.GRP");
    REQUIRE(grp);
    CHECK(grp->create);
    CHECK(grp->contents == encode_grp(fx.book.grp_shadow.table));
    // the group entry's finding is repaired by the GRP copy; no finding is added for the missing copies
    CHECK(std::count(grp->repairs.begin(), grp->repairs.end(), std::size_t{0}) == 1);
    CHECK(std::count(grp->repairs.begin(), grp->repairs.end(), grp_missing) == 1);
    CHECK(r.findings.size() == fx.findings.size());
    CHECK(r.findings[0].action.rfind("keep", 0) == 0);
}

TEST_CASE("pol_repair: no POL at all is rebuilt from the accounts", "[pol_repair]") {
    Fixture fx;
    fx.book.pol = {"NME/ADMIN.NME", false, 0, 0, {}};
    fx.book.pol_shadow = {"NME/ADMINSHD.NME", false, 0, 0, {}};
    fx.report.pol = ListReport{{"NME/ADMIN.NME", 0, 0, false}, {}};
    fx.report.chains.clear();
    fx.report.missing_accounts = {0, 1, 3};
    fx.find(CheckId::pol_missing_account, "NME/ADMIN.NME", std::nullopt);
    const auto r = fx.plan();
    const PlannedWrite* main = write_of(r, "NME/ADMIN.NME");
    const PlannedWrite* shadow = write_of(r, "NME/ADMINSHD.NME");
    REQUIRE(main);
    REQUIRE(shadow);
    CHECK(main->create);
    CHECK(shadow->create);
    CHECK(main->contents == shadow->contents);
    // The three accounts, then the one live NETPO.GLB record (nothing else names it).
    const auto table = table_of(*main);
    REQUIRE(table.records.size() == 4);
    for (std::size_t i = 0; i < 3; ++i) CHECK(table.records[i].type() == NmeType::local);
    CHECK(table.records[3].type() == NmeType::external);
    CHECK(r.pol_changed);
}

TEST_CASE("pol_repair: a shadow that holds the entry ADMIN.NME lacks is copied over it", "[pol_repair]") {
    Fixture fx;
    fx.book.pol.table.records.pop_back();  // CAROL's entry gone from ADMIN.NME only
    fx.report.pol.verdicts.pop_back();
    fx.report.missing_accounts = {3};
    const auto missing = fx.find(CheckId::pol_missing_account, "NME/ADMIN.NME", std::nullopt);
    fx.report.pol_shadow = ListReport{{"NME/ADMINSHD.NME", 5, 5, false}, std::vector<EntryVerdict>(5)};
    fx.find(CheckId::shadow_nme_mismatch, "NME/ADMINSHD.NME", std::nullopt);
    auto r = fx.plan();
    REQUIRE(r.writes.size() == 1);
    CHECK(r.writes[0].relpath == "NME/ADMIN.NME");
    CHECK(r.writes[0].contents == encode_nme(fx.book.pol_shadow.table));
    CHECK(std::count(r.writes[0].repairs.begin(), r.writes[0].repairs.end(), missing) == 1);
    // a shadow that lacks it too is no good copy: the entry is appended in place
    fx.book.pol_shadow.table.records.pop_back();
    fx.report.pol_shadow->verdicts.pop_back();
    r = fx.plan();
    REQUIRE(r.writes.size() == 2);
    CHECK(table_of(*write_of(r, "NME/ADMIN.NME")).records.size() == 5);
    CHECK(write_of(r, "NME/ADMIN.NME")->contents == write_of(r, "NME/ADMINSHD.NME")->contents);
}

TEST_CASE("pol_repair: a group entry with a garbled TID is pointed at its GROUP.GLB record by alias",
          "[pol_repair]") {
    Fixture fx;
    fx.book.pol.table.records[2].set_tid(0x77777);
    fx.book.pol.table.records[2].set_pointer(1000);
    fx.book.pol_shadow.table = fx.book.pol.table;
    fx.mark(2, Status::group_pointer);
    fx.report.chains.clear();
    const auto r = fx.plan();
    CHECK(r.quarantine.empty());
    CHECK_FALSE(write_of(r, "GLB/GROUP.GLB"));
    const NmeTable t = table_of(*write_of(r, "NME/ADMIN.NME"));
    CHECK(t.records[2].tid() == 0x20000u);
    CHECK(t.records[2].pointer() == 8u);
    CHECK(r.findings[0].action == "point it at its chain again (GROUP.GLB)");
}
