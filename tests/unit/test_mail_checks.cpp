#include <catch2/catch.hpp>

#include "mspo/format/key.hpp"
#include "mspo/format/mai.hpp"
#include "mspo/format/mbg.hpp"
#include "pogen_fixture.hpp"

using namespace mspo;
using pogen_fixture::ids;
using pogen_fixture::TempPostoffice;
namespace fs = std::filesystem;

namespace {
// ADMIN: 1 own message; ALICE: 2 own + 2 freed slots; the shared message goes to ADMIN, ALICE, BOB.
constexpr std::string_view kSpec = R"(
user ADMIN mail=1
user ALICE mail=2 freed=2
user BOB
message ALICE ADMIN ALICE BOB "Shared"
)";

void append_record(const fs::path& mbg, const MbgRecord& r) {
    auto b = pogen_fixture::read_bytes(mbg);
    b.insert(b.end(), r.raw.begin(), r.raw.end());
    pogen_fixture::write_bytes(mbg, b);
}
}  // namespace

TEST_CASE("mail_checks: true counters, freed slots ignored", "[checks][mail]") {
    TempPostoffice po(kSpec);
    const MailScan scan = scan_mailbags(po.po());
    CHECK(scan.findings.empty());
    std::uint32_t shared = 0, total = 0;
    for (const auto& [n, refs] : scan.refs) {
        total += refs;
        if (refs == 3) ++shared;
    }
    CHECK(shared == 1);
    CHECK(total == 1 + 2 + 3);
    CHECK(check_mail(po.po()).empty());
}

TEST_CASE("mail_checks: a missing MAI named by live headers", "[checks][mail]") {
    TempPostoffice po(kSpec);
    // The shared message is the one whose counter is 3.
    const MailScan scan = scan_mailbags(po.po());
    std::uint32_t shared = 0;
    for (const auto& [n, refs] : scan.refs)
        if (refs == 3) shared = n;
    fs::remove(po.path(mai_relpath(shared)));
    const auto f = check_mail(po.po());
    REQUIRE(f.size() == 3);  // one per mailbag naming it; no refcount finding for a missing file
    for (const auto& x : f) {
        CHECK(x.check == "mbg.mai-missing");
        REQUIRE(x.offset);
        CHECK((*x.offset - MbgRecord::kMai) % MbgRecord::size == 0);
        CHECK(*x.offset == *x.record * MbgRecord::size + MbgRecord::kMai);
    }
}

TEST_CASE("mail_checks: a mailbag without its KEY counts every slot live", "[checks][mail]") {
    TempPostoffice po(kSpec);
    fs::remove(po.path("KEY/00000001.KEY"));  // ALICE's: her freed slots name MAIs long gone
    const auto f = check_mail(po.po());
    CHECK(ids(f) == std::set<std::string>{"mbg.mai-missing"});
    CHECK(f.size() == 2);
}

TEST_CASE("mail_checks: reference counters", "[checks][mail]") {
    TempPostoffice po(kSpec);
    const auto mai = po.path(mai_relpath(1));
    REQUIRE(fs::exists(mai));
    SECTION("too high") {
        auto b = pogen_fixture::read_bytes(mai);
        set_refcount(b, static_cast<std::uint16_t>(get_refcount(b) + 1));
        pogen_fixture::write_bytes(mai, b);
        const auto f = check_mail(po.po());
        REQUIRE(f.size() == 1);
        CHECK(f[0].check == "mai.refcount");
        CHECK(f[0].file == "MAI/MA1/00000001.MAI");
        CHECK(f[0].offset == 0x0Bu);
    }
    SECTION("a stranded MAI that nothing names") {
        pogen_fixture::write_bytes(po.path(mai_relpath(0x777)), pogen::make_mai(1, 0x777, 2));
        const auto f = check_mail(po.po());
        REQUIRE(f.size() == 1);
        CHECK(f[0].message == "reference counter is 2 but 0 live mailbag headers name it");
    }
    SECTION("a file too short to hold the counter") {
        pogen_fixture::write_bytes(mai, Bytes(12));
        const auto f = check_mail(po.po());
        REQUIRE(f.size() == 1);
        CHECK(f[0].check == "mai.refcount");
        CHECK(f[0].offset == 12u);
    }
    SECTION("a MAI in the wrong subfolder is not this check's business") {
        pogen_fixture::write_bytes(po.path("MAI/MA0/00000777.MAI"), pogen::make_mai(1, 0x777, 5));
        pogen_fixture::write_bytes(po.path("MAI/MA0/NOTES.TXT"), Bytes(3));
        CHECK(check_mail(po.po()).empty());
    }
}

TEST_CASE("mail_checks: a live header naming no number", "[checks][mail]") {
    TempPostoffice po(kSpec);
    MbgRecord r;
    r.set_sender("BOB");
    put_cstr(r.raw, MbgRecord::kMai, MbgRecord::kMaiWidth, "NOTAHEX!");
    append_record(po.path("MBG/00000002.MBG"), r);
    const auto f = check_mail(po.po());
    REQUIRE(f.size() == 1);
    CHECK(f[0].check == "mbg.mai-missing");
    CHECK(f[0].file == "MBG/00000002.MBG");
    CHECK(f[0].record == 1u);
    CHECK(f[0].message.find("not 8 hex digits") != std::string::npos);
}

TEST_CASE("mail_checks: a mailbag gives at most 4096 mbg.mai-missing findings and one that counts the rest",
          "[checks][mail]") {
    // Found by tests/reliability/badpo: a 2 GB sparse mailbag (18 million
    // zero headers) cost a finding each, gigabytes and minutes.
    TempPostoffice po(kSpec);
    pogen_fixture::write_bytes(po.path("MBG/00000002.MBG"), Bytes(5000 * MbgRecord::size, 0));
    fs::remove(po.path("KEY/00000002.KEY"));
    std::size_t missing = 0;
    const Findings all = check_mail(po.po());
    const Finding* last = nullptr;
    for (const auto& x : all)
        if (x.check == "mbg.mai-missing" && x.file == "MBG/00000002.MBG") {
            ++missing;
            last = &x;
        }
    CHECK(missing == 4097);
    REQUIRE(last);
    CHECK(last->record == 4096u);
    CHECK(last->message.find("904 more live headers from record 4096 on") != std::string::npos);
}

TEST_CASE("mail_checks: the 4096-record limit", "[checks][mail]") {
    SECTION("exactly 4096 records, freed slots past the live ones") {
        TempPostoffice po(kSpec, {"over-limit"});
        const auto f = check_mail(po.po());
        REQUIRE(f.size() == 1);
        CHECK(f[0].check == "mbg.over-limit");
        CHECK(f[0].file == "MBG/00000000.MBG");
        CHECK(f[0].record == 4095u);
    }
    SECTION("records past 4096 have no KEY bit, so nothing marks them deleted: they are live") {
        TempPostoffice po(kSpec, {"over-limit:ADMIN,4100"});
        const auto f = check_mail(po.po());
        REQUIRE(f.size() == 5);
        CHECK(f[0].check == "mbg.over-limit");
        CHECK(f[0].message.find("holds 4100 records") != std::string::npos);
        for (std::size_t i = 1; i < 5; ++i) {  // pogen's garbage in slots 4096..4099 is read as headers
            CHECK(f[i].check == "mbg.mai-missing");
            CHECK(f[i].record == 4095u + i);
        }
    }
    SECTION("4095 records is under the limit") {
        TempPostoffice po(kSpec, {"over-limit:ADMIN,4095"});
        CHECK(check_mail(po.po()).empty());
    }
}

TEST_CASE("mail_checks: a partial last record is size.rule's, not read as a header", "[checks][mail]") {
    TempPostoffice po(kSpec);
    auto b = pogen_fixture::read_bytes(po.path("MBG/00000000.MBG"));
    b.resize(b.size() + 50, 0x33);
    pogen_fixture::write_bytes(po.path("MBG/00000000.MBG"), b);
    CHECK(check_mail(po.po()).empty());
}

TEST_CASE("mail_checks: an MBG that is not a regular file is reported, never opened",
          "[checks][mail][makes-links][makes-fifos]") {
    // A FIFO must not be opened (a read would block); a link is never followed.
    for (const auto& kind : pogen_fixture::not_regular_kinds()) {
        DYNAMIC_SECTION(kind) {
            TempPostoffice po(kSpec);
            pogen_fixture::make_not_regular(po.path("MBG/00000002.MBG"),
                                            kind);  // BOB's, with the shared message
            const MailScan scan = scan_mailbags(po.po());
            REQUIRE(scan.findings.size() == 1);
            CHECK(scan.findings[0].check == "layout.not-regular");
            CHECK(scan.findings[0].file == "MBG/00000002.MBG");
            // Its headers are not counted: the shared MAI's counter now differs.
            CHECK(ids(check_mai_refcounts(po.po(), scan)) == std::set<std::string>{"mai.refcount"});
        }
    }
}

TEST_CASE("mail_checks: a KEY or MAI that is not a regular file is reported",
          "[checks][mail][makes-links][makes-fifos]") {
    for (const auto& kind : pogen_fixture::not_regular_kinds()) {
        DYNAMIC_SECTION(kind) {
            TempPostoffice po(kSpec);
            pogen_fixture::make_not_regular(po.path("KEY/00000001.KEY"), kind);  // ALICE's: freed slots
            std::string mai;
            for (const auto& e : fs::recursive_directory_iterator(po.path("MAI")))
                if (e.is_regular_file()) mai = po.po().relative(e.path());
            REQUIRE_FALSE(mai.empty());
            pogen_fixture::make_not_regular(po.path(mai), kind);
            const Findings f = check_mail(po.po());
            const Findings bad = pogen_fixture::only(f, "layout.not-regular");
            REQUIRE(bad.size() == 2);
            CHECK(bad[0].file == "KEY/00000001.KEY");
            CHECK(bad[1].file == mai);
        }
    }
}
