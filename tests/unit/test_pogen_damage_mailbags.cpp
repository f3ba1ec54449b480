// The mailbag KEY damage kinds (generator/damage_mailbags.cpp).
#include <catch2/catch.hpp>

#include "mspo/base/error.hpp"
#include "mspo/checks/key_model.hpp"
#include "mspo/format/key.hpp"
#include "mspo/format/mbg.hpp"
#include "mspo/pogen/builder.hpp"
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
KeyFile key_of(const Tree& t, const std::string& stem) {
    return KeyFile::from_bytes(t.at("KEY/" + stem + ".KEY").data);
}
std::string error_of(std::string_view spec, const std::string& damage) {
    try {
        damaged(spec, damage);
    } catch (const Error& e) {
        CHECK(e.code() == Errc::usage);
        return e.what();
    }
    return "";
}
// ADMIN (mailbag 0) with 2 live headers; A (1) with 3 live and 2 freed
// (slots 1 and 3); B (2) with none.
constexpr std::string_view kSpec = "user ADMIN mail=2\nuser A mail=3 freed=2\nuser B\n";
}  // namespace

TEST_CASE("pogen_damage_mailbags: key-bits-beyond", "[pogen]") {
    SECTION("default: 3 bits past the default account's (empty) mailbag") {
        const Tree t = damaged(kSpec, "key-bits-beyond");
        const KeyFile k = key_of(t, "00000002");
        CHECK(k.bits_beyond(0) == 3);
        CHECK(k.slot_deleted(0));
        CHECK(k.slot_deleted(2));
        CHECK_FALSE(k.slot_deleted(3));
    }
    SECTION("USER and N") {
        const Tree clean = build(parse_spec(kSpec));
        const Tree t = damaged(kSpec, "key-bits-beyond:A,5");
        const KeyFile k = key_of(t, "00000001");
        CHECK(k.bits_beyond(5) == 5);
        for (std::size_t s = 5; s < 10; ++s) CHECK(k.slot_deleted(s));
        CHECK_FALSE(k.slot_deleted(10));
        CHECK(k.live_slots(5) == 3);  // the slots below the record count keep their bits
        CHECK(t.at("MBG/00000001.MBG").data == clean.at("MBG/00000001.MBG").data);
    }
    SECTION("up to the last bit, not past it") {
        CHECK(key_of(damaged("user A mail=4090\n", "key-bits-beyond:A,6"), "00000001").bits_beyond(4090) ==
              6);
        CHECK(error_of("user A mail=4090\n", "key-bits-beyond:A,7") ==
              "damage key-bits-beyond: mailbag 00000001 holds 4090 records: the KEY has no 7 bits past them "
              "(4096 in all)");
        CHECK(error_of(kSpec, "key-bits-beyond:A,0") == "damage key-bits-beyond: N must be 1 or more");
        CHECK(error_of(kSpec, "key-bits-beyond:NOBODY") ==
              "damage key-bits-beyond: no active account NOBODY");
    }
}

TEST_CASE("pogen_damage_mailbags: key-inverted", "[pogen]") {
    const Tree clean = build(parse_spec(kSpec));
    SECTION("default: the first account with mail (ADMIN)") {
        const KeyFile k = key_of(damaged(kSpec, "key-inverted"), "00000000");
        CHECK(k.slot_deleted(0));
        CHECK(k.slot_deleted(1));
        CHECK_FALSE(k.slot_deleted(2));  // past the record count: untouched
        CHECK(key_of(damaged("user ADMIN\nuser A mail=1\n", "key-inverted"), "00000001").slot_deleted(0));
    }
    SECTION("one account: live and freed swap") {
        const Tree t = damaged(kSpec, "key-inverted:A");
        const KeyFile before = key_of(clean, "00000001");
        const KeyFile after = key_of(t, "00000001");
        for (std::size_t s = 0; s < 5; ++s) CHECK(after.slot_deleted(s) != before.slot_deleted(s));
        CHECK(after.live_slots(5) == 2);
        CHECK(key_of(t, "00000000").raw == key_of(clean, "00000000").raw);
    }
    SECTION("all: every mailbag") {
        const Tree t = damaged(kSpec, "key-inverted:all");
        CHECK(key_of(t, "00000000").live_slots(2) == 0);
        CHECK(key_of(t, "00000001").live_slots(5) == 2);
        CHECK(key_of(t, "00000002").raw == key_of(clean, "00000002").raw);  // empty: nothing to invert
    }
    SECTION("a mailbag past the limit: only the bits below 4096") {
        const KeyFile k = key_of(damaged("user A mail=4100\n", "key-inverted:A"), "00000001");
        CHECK(k.live_slots(4100) == 0);
    }
    SECTION("nothing to invert") {
        CHECK(error_of(kSpec, "key-inverted:B") ==
              "damage key-inverted: mailbag 00000002 holds no record to invert");
        CHECK(error_of("user A\n", "key-inverted") ==
              "damage key-inverted: no account's mailbag holds a record");
    }
}

TEST_CASE("pogen_damage_mailbags: key-inverted is what the KEY model test finds", "[pogen]") {
    constexpr std::string_view spec =
        "user ADMIN mail=20\nuser A mail=30 freed=10 freed-at=spread\nuser B mail=5\n";
    pogen_fixture::TempPostoffice clean(spec);
    CHECK(test_key_model(clean.po()).verdict == KeyModelFit::Verdict::supported);
    CHECK(check_key_model(clean.po()).empty());
    pogen_fixture::TempPostoffice po(spec, {"key-inverted:all"});
    const KeyModelFit fit = test_key_model(po.po());
    INFO(fit.text);
    CHECK(fit.verdict == KeyModelFit::Verdict::contradicted);
    CHECK(fit.rival == KeyReading::inverted);
    const Findings f = check_key_model(po.po());
    REQUIRE(f.size() == 1);
    CHECK(f[0].check == std::string_view("key.model-mismatch"));
}

TEST_CASE("pogen_damage_mailbags: a mailbag past the limit fits our KEY model", "[pogen]") {
    // Records past slot 4095 are live under every reading; the freed slots below it decide.
    pogen_fixture::TempPostoffice po("user ADMIN\nuser BIG mail=4500 freed=200 freed-at=spread\n");
    CHECK(test_key_model(po.po()).verdict == KeyModelFit::Verdict::supported);
}
