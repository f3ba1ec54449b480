#include <catch2/catch.hpp>

#include "mspo/base/error.hpp"
#include "mspo/pogen/damage.hpp"
#include "mspo/pogen/spec.hpp"

using namespace mspo;
using namespace mspo::pogen;

namespace {
// The message of the Error that parsing `text` throws ("" if none).
std::string error_of(std::string_view text) {
    try {
        parse_spec(text, "t.spec");
    } catch (const Error& e) {
        CHECK(e.code() == Errc::usage);
        return e.what();
    }
    return "";
}
}  // namespace

TEST_CASE("pogen_spec: a full spec parses", "[pogen]") {
    const Spec s = parse_spec(R"(# comment line
seed 42
now 2001-02-03T04:05:06Z
users 10
user admin "Administrator" mail=2 pal=1   # trailing comment
user ALICE "Alice Smith" mail=3 freed=1
user DAVE deleted
group STAFF ALICE admin
message ALICE ADMIN DAVE "Hello there"
external NET1/PO2 users=5 mail=1
p1 0000ab12.P1 age=3d
lock LOCKP1ID.PBB age=1m
queued 00000200 age=90
damage truncate GLB/ACCESS2.GLB 3
)");
    CHECK(s.seed == 42u);
    CHECK(s.now == 981173106);
    CHECK(s.users == 10u);
    REQUIRE(s.accounts.size() == 3);
    CHECK(s.accounts[0].name == "ADMIN");
    CHECK(s.accounts[0].full_name == "Administrator");
    CHECK(s.accounts[0].mail == 2);
    CHECK(s.accounts[0].pal == 1);
    CHECK(s.accounts[0].line == 5);
    CHECK(s.accounts[1].freed == 1);
    CHECK(s.accounts[2].deleted);
    CHECK(s.accounts[2].full_name == "DAVE");
    REQUIRE(s.groups.size() == 1);
    CHECK(s.groups[0].members == std::vector<std::string>{"ALICE", "ADMIN"});
    REQUIRE(s.messages.size() == 1);
    CHECK(s.messages[0].from == "ALICE");
    CHECK(s.messages[0].to == std::vector<std::string>{"ADMIN", "DAVE"});
    CHECK(s.messages[0].subject == "Hello there");
    REQUIRE(s.externals.size() == 1);
    CHECK(s.externals[0].network == "NET1");
    CHECK(s.externals[0].postoffice == "PO2");
    CHECK(s.externals[0].users == 5);
    REQUIRE(s.p1.size() == 3);
    CHECK(s.p1[0].name == "0000AB12.P1");
    CHECK(s.p1[0].age_s == 3 * 86400);
    CHECK(s.p1[1].kind == P1Spec::Kind::lock);
    CHECK(s.p1[1].age_s == 60);
    CHECK(s.p1[2].kind == P1Spec::Kind::queued);
    CHECK(s.p1[2].age_s == 90);
    REQUIRE(s.damages.size() == 1);
    CHECK(s.damages[0].kind == "truncate");
    CHECK(s.damages[0].args == std::vector<std::string>{"GLB/ACCESS2.GLB", "3"});
    CHECK(s.damages[0].line == 14);
}

TEST_CASE("pogen_spec: an empty spec is valid", "[pogen]") {
    const Spec s = parse_spec("\n  # nothing\n\n");
    CHECK(s.accounts.empty());
    CHECK_FALSE(s.seed);
}

TEST_CASE("pogen_spec: bad lines name their line number", "[pogen]") {
    CHECK(error_of("user A\nfrobnicate 3\n") == "t.spec:2: unknown keyword 'frobnicate'");
    CHECK(error_of("user A mial=3") == "t.spec:1: unknown option mial=");
    CHECK(error_of("user A mail=x") == "t.spec:1: mail needs a whole number, not 'x'");
    CHECK(error_of("user A mail=1 mail=2") == "t.spec:1: option mail= given twice");
    CHECK(error_of("\n\nuser TOOLONGNAME1") ==
          "t.spec:3: mailbox name 'TOOLONGNAME1' must be 1 to 10 characters");
    CHECK(error_of("user A.B") == "t.spec:1: mailbox name 'A.B' may hold only letters and digits");
    CHECK(error_of("user A \"unterminated") == "t.spec:1: unterminated quoted text");
    CHECK(error_of("user A\nuser a") == "t.spec:2: user A is defined twice");
    CHECK(error_of("group G NOBODY") == "t.spec:1: group member NOBODY is not a user above");
    CHECK(error_of("user A\nmessage A") == "t.spec:2: usage: message FROM TO... [\"subject\"]");
    CHECK(error_of("external NET1") == "t.spec:1: usage: external NET/PO [users=N] [mail=N]");
    CHECK(error_of("p1 X.P1 age=3x") == "t.spec:1: age '3x' is not a duration like 90s, 5m, 3h, 2d");
    CHECK(error_of("p1 TOOLONGNAME.P1") == "t.spec:1: 'TOOLONGNAME.P1' is not an 8.3 file name");
    CHECK(error_of("queued NOTHEX00") == "t.spec:1: queued takes an 8-hex file number, not 'NOTHEX00'");
    CHECK(error_of("damage explode") == "t.spec:1: unknown damage kind 'explode'");
    CHECK(error_of("now yesterday") == "t.spec:1: bad time 'yesterday'");
    CHECK(error_of("seed 1 2") == "t.spec:1: seed takes one number");
    CHECK(error_of("user A mail=999950 freed=100") == "t.spec:1: mail + freed is over 1000000");
    CHECK(error_of("user A freed=4097") ==
          "t.spec:1: freed=4097 is over 4096: freed slots lie below slot 4096, the last one with a KEY bit");
    CHECK(error_of("user A freed=1 freed-at=middle") ==
          "t.spec:1: freed-at must be alternate, end, spread or start, not 'middle'");
    CHECK(error_of("user A \"a full name that is far too long for it\"").find("over 30 characters") !=
          std::string::npos);
}

TEST_CASE("pogen_spec: durations and times", "[pogen]") {
    CHECK(parse_duration("90") == 90);
    CHECK(parse_duration("90s") == 90);
    CHECK(parse_duration("5m") == 300);
    CHECK(parse_duration("3h") == 10800);
    CHECK(parse_duration("2d") == 172800);
    CHECK(parse_duration("1w") == 604800);
    CHECK_FALSE(parse_duration(""));
    CHECK_FALSE(parse_duration("d"));
    CHECK_FALSE(parse_duration("-5m"));
    CHECK_FALSE(parse_duration("99999999999999999999d"));
    CHECK(parse_time("0") == 0);
    CHECK(parse_time("1999-06-01T12:00:00Z") == kDefaultNow);
    CHECK(parse_time("2000-02-29T00:00:00Z") == 951782400);
    CHECK_FALSE(parse_time("1999-13-01T12:00:00Z"));
    CHECK_FALSE(parse_time("1999-06-01 12:00:00"));
    CHECK_FALSE(parse_time("-1"));
}

TEST_CASE("pogen_spec: command-line damage options", "[pogen]") {
    const DamageSpec d = parse_damage_option("truncate:GLB/ACCESS2.GLB,3");
    CHECK(d.kind == "truncate");
    CHECK(d.args == std::vector<std::string>{"GLB/ACCESS2.GLB", "3"});
    CHECK(d.line == 0);
    CHECK(parse_damage_option("nme-shadow").args.empty());
    CHECK_THROWS_AS(parse_damage_option("explode"), Error);
}

TEST_CASE("pogen_spec: the sample spec parses", "[pogen]") {
    const Spec s = parse_spec(sample_spec_text(), "sample");
    CHECK(s.accounts.size() >= 5);
    CHECK_FALSE(s.externals.empty());
    CHECK(s.damages.empty());
}

TEST_CASE("pogen_spec: P1 files with sizes, freed queued slots, p1-many", "[pogen]") {
    const Spec s = parse_spec(
        "p1 00000003.P1 age=5d size=3007\nlock 0000002A.0LK size=4\n"
        "queued 0000AB12 age=5d freed\np1-many 4 age=2d fresh=1m\n");
    REQUIRE(s.p1.size() == 7);
    CHECK(s.p1[0].size == 3007u);
    CHECK(s.p1[1].size == 4u);
    CHECK(s.p1[2].freed);
    CHECK_FALSE(s.p1[0].freed);
    CHECK(s.p1[3].name == "00000000.P1");
    CHECK(s.p1[3].age_s == 2 * 86400);
    CHECK(s.p1[3].size == 64u);
    CHECK(s.p1[4].name == "00000001.P1");
    CHECK(s.p1[4].age_s == 60);
    CHECK(s.p1[4].size == 65u);
    CHECK(parse_spec("p1-many 2\n").p1[0].age_s == 3 * 86400);
    CHECK(parse_spec("p1-many 2\n").p1[1].age_s == 3600);
    CHECK(error_of("p1 X.P1 freed") == "t.spec:1: p1 takes one file name, not also 'freed'");
    CHECK(error_of("p1 X.P1 size=big") == "t.spec:1: size needs a whole number, not 'big'");
    CHECK(error_of("p1 X.P1 size=16777217") == "t.spec:1: size is over 16777216 bytes");
    CHECK(error_of("p1-many") == "t.spec:1: usage: p1-many COUNT [age=D] [fresh=D]");
    CHECK(error_of("p1-many 2000000") == "t.spec:1: p1-many is over 1000000 files");
    CHECK(error_of("p1-many 2 fresh=soon") ==
          "t.spec:1: fresh 'soon' is not a duration like 90s, 5m, 3h, 2d");
}

TEST_CASE("pogen_spec: mailbags past the limit and freed-at", "[pogen]") {
    const Spec s = parse_spec(
        "user A mail=999000 freed=1000 freed-at=spread\nuser B freed=3 freed-at=start\n"
        "user C freed=1 freed-at=end\nuser D freed=1 freed-at=alternate\nuser E freed=2\n");
    CHECK(s.accounts[0].mail == 999000);
    CHECK(s.accounts[0].freed == 1000);
    CHECK(s.accounts[0].freed_at == FreedAt::spread);
    CHECK(s.accounts[1].freed_at == FreedAt::start);
    CHECK(s.accounts[2].freed_at == FreedAt::end);
    CHECK(s.accounts[3].freed_at == FreedAt::alternate);
    CHECK(s.accounts[4].freed_at == FreedAt::alternate);  // the default
    CHECK(parse_spec("user A mail=995904 freed=4096").accounts[0].freed == 4096);
}
