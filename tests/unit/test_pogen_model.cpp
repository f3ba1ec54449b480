#include <catch2/catch.hpp>

#include "mspo/base/error.hpp"
#include "mspo/base/bytes.hpp"
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
    CHECK_THROWS_WITH(plan_text("user A mail=1000000\nuser B\nmessage B A\n"),
                      Catch::Contains("spec line 3: mailbag 00000001 would be over 1000000 headers"));
    CHECK_THROWS_WITH(plan_text("user A\nuser B mail=5000 freed=10 freed-at=end\n"),
                      Catch::Contains("spec line 2: freed slot 5009 would lie at or past slot 4096"));
    CHECK_THROWS_WITH(plan_text("user B mail=5000 freed=3000\n"),
                      Catch::Contains("spec line 1: freed slot 5999 would lie at or past slot 4096"));
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

TEST_CASE("pogen_model: freed_positions", "[pogen]") {
    using V = std::vector<std::size_t>;
    CHECK(freed_positions(3, 2, FreedAt::alternate) == V{1, 3});  // L F L F L: as before freed-at
    CHECK(freed_positions(1, 3, FreedAt::alternate) == V{1, 2, 3});
    CHECK(freed_positions(0, 2, FreedAt::alternate) == V{0, 1});
    CHECK(freed_positions(3, 2, FreedAt::end) == V{3, 4});
    CHECK(freed_positions(3, 2, FreedAt::start) == V{0, 1});
    CHECK(freed_positions(8, 2, FreedAt::spread) == V{2, 7});
    CHECK(freed_positions(0, 3, FreedAt::spread) == V{0, 1, 2});
    CHECK(freed_positions(5, 0, FreedAt::spread).empty());
    const V wide = freed_positions(5000, 100, FreedAt::spread);
    REQUIRE(wide.size() == 100);
    CHECK(wide.front() == 20);
    CHECK(wide[1] == 61);
    CHECK(wide.back() == 4075);  // all below 4096: only those slots have a KEY bit
    CHECK(freed_positions(0, 4096, FreedAt::spread).back() == 4095);
    CHECK(freed_positions(996000, 4000, FreedAt::spread).back() < 4096);
}

namespace {
// The mailbag of the spec's account `index` (ADMIN is 0).
const Mailbag& bag_of(const Model& m, std::size_t index) {
    return m.mailbags.at(format_hex8(m.accounts.at(index).mailbag));
}
std::string layout(const Mailbag& bag) {
    std::string out;
    for (const auto& s : bag.slots) out += s.freed ? 'F' : 'L';
    return out;
}
}  // namespace

TEST_CASE("pogen_model: freed-at places the freed slots", "[pogen]") {
    const Model m = plan_text(
        "user A mail=4 freed=2\nuser B mail=4 freed=2 freed-at=end\nuser C mail=4 freed=2 freed-at=start\n"
        "user D mail=6 freed=2 freed-at=spread\nuser E freed=2 freed-at=spread\n");
    CHECK(layout(bag_of(m, 1)) == "LFLFLL");
    CHECK(layout(bag_of(m, 2)) == "LLLLFF");
    CHECK(layout(bag_of(m, 3)) == "FFLLLL");
    CHECK(layout(bag_of(m, 4)) == "LLFLLLFL");
    CHECK(layout(bag_of(m, 5)) == "FF");
    // A freed slot's MAI is gone: only the live headers are counted.
    std::size_t live = 0;
    for (const auto& [stem, bag] : m.mailbags)
        for (const auto& s : bag.slots) live += s.freed ? 0u : 1u;
    CHECK(m.mai_refs.size() == live);
}

TEST_CASE("pogen_model: a mailbag past 4096 slots", "[pogen]") {
    const Model m = plan_text("user A mail=5000 freed=100 freed-at=spread\n");
    const Mailbag& bag = bag_of(m, 1);
    REQUIRE(bag.slots.size() == 5100);
    std::size_t freed = 0;
    for (std::size_t i = 0; i < bag.slots.size(); ++i)
        if (bag.slots[i].freed) {
            ++freed;
            CHECK(i < 4096);
        }
    CHECK(freed == 100);
    CHECK_FALSE(bag.slots[4095].freed);
    CHECK(m.mai_refs.size() == 5000);
}

TEST_CASE("pogen_model: live header dates rise with the slot, a minute apart", "[pogen]") {
    const Model m = plan_text(
        "user A mail=300 freed=30 freed-at=spread\nuser B mail=2 freed=2 freed-at=start\n"
        "message B A \"Later\"\n");
    const Mailbag& a = bag_of(m, 1);
    std::int64_t prev = 0;
    std::size_t live = 0;
    for (const auto& s : a.slots) {
        CHECK(s.header.time >= prev);  // a freed slot shares its predecessor's date
        if (!s.freed && live++ > 0) CHECK(s.header.time > prev);
        prev = s.header.time;
    }
    CHECK(a.slots.back().header.subject == "Later");
    // MAI numbers: A's mail 1-300, B's 301-302, the message 303, then the
    // freed slots' 304-335 (the newest, a minute before now).
    CHECK(a.slots.back().header.mai == 303);
    CHECK(a.slots.back().header.time == kDefaultNow - 60 * (336 - 303));
    CHECK(a.slots[1].header.time - a.slots[0].header.time == 60);
    // Freed slots before every live one: a minute older than the first live header.
    const Mailbag& b = bag_of(m, 2);
    CHECK(b.slots[0].freed);
    CHECK(b.slots[1].header.time == b.slots[2].header.time - 60);
    CHECK(b.slots[0].header.time == b.slots[1].header.time);
}
