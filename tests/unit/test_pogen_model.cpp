#include <catch2/catch.hpp>

#include "mspo/base/error.hpp"
#include "mspo/pogen/model.hpp"

using namespace mspo;
using namespace mspo::pogen;

namespace {
Model plan_text(std::string_view text, std::uint64_t seed = 1) {
    return plan(parse_spec(text), seed, kDefaultNow);
}
}  // namespace

TEST_CASE("pogen_model: ADMIN comes first with mailbag 0", "[pogen]") {
    SECTION("added when the spec has none") {
        const Model m = plan_text("user BOB\n");
        REQUIRE(m.accounts.size() == 2);
        CHECK(m.accounts[0].name == "ADMIN");
        CHECK(m.accounts[0].mailbag == 0);
        CHECK(m.accounts[1].mailbag == 1);
    }
    SECTION("moved to the front when given later") {
        const Model m = plan_text("user BOB\nuser ADMIN \"Boss\"\n");
        CHECK(m.accounts[0].full_name == "Boss");
        CHECK(m.accounts[1].name == "BOB");
    }
}

TEST_CASE("pogen_model: users N pads with generated accounts", "[pogen]") {
    const Model m = plan_text("users 100\nuser BOB\n", 3);
    CHECK(m.accounts.size() == 100);
    int deleted = 0;
    for (const auto& a : m.accounts) deleted += a.deleted ? 1 : 0;
    CHECK(deleted > 0);
    CHECK(m.next_mailbag == 100);
    CHECK(plan_text("users 100\n", 3).accounts[50].full_name ==
          plan_text("users 100\n", 3).accounts[50].full_name);
    CHECK(m.accounts[2].name == "USER0001");
    bool shared = false;
    for (const auto& [n, refs] : m.mai_refs) shared = shared || refs > 1;
    CHECK(shared);
}

TEST_CASE("pogen_model: counters stay above explicit numbers", "[pogen]") {
    const Model m = plan_text("p1 0000AB12.P1 age=1d\nlock 00000040.0LK\nqueued 00000007\n");
    CHECK(m.next_letter == 0xAB13u);
    CHECK(m.next_mailbag == 0x41u);
    CHECK(m.mai_refs.at(7) == 1);
    CHECK(m.mailbags.at("INQUEUE3").slots.size() == 1);
}

TEST_CASE("pogen_model: specs that cannot be built", "[pogen]") {
    CHECK_THROWS_WITH(plan_text("user ADMIN deleted\n"), Catch::Contains("ADMIN cannot be deleted"));
    CHECK_THROWS_WITH(plan_text("user A deleted\ngroup G A\n"),
                      Catch::Contains("spec line 2: A is a deleted account"));
    CHECK_THROWS_WITH(plan_text("user A deleted\nuser B\nmessage B A\n"), Catch::Contains("deleted account"));
    CHECK_THROWS_WITH(plan_text("external N/P\nexternal N/P\n"), Catch::Contains("defined twice"));
    CHECK_THROWS_WITH(plan_text("user A mail=4096\nuser B\nmessage B A\n"), Catch::Contains("over 4096"));
    CHECK_THROWS_WITH(plan_text("user A pal=3\n"),
                      Catch::Contains("spec line 1: pal=3 is more than the 2 entries of the POL"));
}

TEST_CASE("pogen_model: a PAL lists each POL entry at most once", "[pogen]") {
    CHECK(plan_text("user A pal=2\n").accounts[1].pal == 2);
    CHECK(plan_text("user A pal=3\ngroup G A\n").accounts[1].pal == 3);
    // Generated accounts ask for up to 4 entries: cut to the POL's size.
    for (std::uint64_t seed = 1; seed < 40; ++seed) {
        const Model m = plan_text("users 2\n", seed);
        CHECK(m.accounts[1].pal <= 2);
    }
}

TEST_CASE("pogen_model: generated letters skip numbers the spec reserves", "[pogen]") {
    const Model m = plan_text("queued 00000001\nuser A mail=2\n");
    CHECK(m.mai_refs.size() == 3);
    CHECK(m.mailbags.at("INQUEUE3").slots.at(0).header.mai == 1);
    for (const auto& s : m.mailbags.at("00000001").slots) CHECK(s.header.mai != 1);
}

TEST_CASE("pogen_model: Rng is the same everywhere", "[pogen]") {
    Rng r(1);
    CHECK(r.next() == 0x910A2DEC89025CC1ull);  // splitmix64 from state 1
    Rng s(7);
    for (int i = 0; i < 1000; ++i) CHECK(s.below(10) < 10);
}
