#include <catch2/catch.hpp>
#include <cstdint>
#include <vector>

#include "mspo/format/file_rules.hpp"

using namespace mspo;

namespace {

const std::vector<SizeRule>& all_rules() {
    static const std::vector<SizeRule> v{
        rules::control,  rules::access,  rules::access2, rules::access3, rules::master,  rules::flag,
        rules::tid,      rules::rnetsem, rules::modem,   rules::global,  rules::reqconf, rules::srvconf,
        rules::group,    rules::grpmem,  rules::netpo,   rules::network, rules::server,  rules::process,
        rules::galindex, rules::nme,     rules::grp,     rules::mem,     rules::usr,     rules::xtn,
        rules::key,      rules::mbg};
    return v;
}

}  // namespace

TEST_CASE("file_rules: every rule names its kind and source", "[file_rules]") {
    for (const auto& r : all_rules()) {
        INFO(r.kind);
        CHECK_FALSE(r.kind.empty());
        CHECK(r.source.rfind("KB Q", 0) == 0);
        CHECK((r.record != 0 || r.header != 0));
    }
}

TEST_CASE("file_rules: a good size keeps the rule", "[file_rules]") {
    for (const auto& r : all_rules()) {
        INFO(r.kind);
        if (r.record == 0) {
            CHECK_FALSE(size_violation(r, r.header));
            CHECK(whole_records(r, r.header) == 0);
        } else {
            const std::uint64_t good = r.header + 3 * r.record;
            CHECK_FALSE(size_violation(r, good));
            CHECK(whole_records(r, good) == 3);
        }
    }
}

TEST_CASE("file_rules: a truncated file breaks the rule", "[file_rules]") {
    for (const auto& r : all_rules()) {
        INFO(r.kind);
        const std::uint64_t good = r.record == 0 ? r.header : r.header + 3 * r.record;
        const auto v = size_violation(r, good - 1);
        REQUIRE(v);
        CHECK_FALSE(v->empty());
        if (r.record != 0) CHECK(whole_records(r, good - 1) == 2);
    }
}

TEST_CASE("file_rules: a wrong size breaks the rule", "[file_rules]") {
    for (const auto& r : all_rules()) {
        INFO(r.kind);
        const std::uint64_t good = r.record == 0 ? r.header : r.header + 3 * r.record;
        CHECK(size_violation(r, good + 1));
        if (r.record == 0) {
            CHECK(size_violation(r, 0));
            CHECK(size_violation(r, 2 * r.header));
            CHECK(whole_records(r, good + 1) == 0);
        }
        // Sizes far past anything real: judged without overflow.
        const std::uint64_t huge =
            r.record == 0 ? 3'000'000'000ull : r.header + 3'000'000'000ull * r.record + 1;
        CHECK(size_violation(r, huge));
        (void)size_violation(r, UINT64_MAX);  // must not overflow (UBSan watches)
        if (r.record != 0) CHECK(whole_records(r, UINT64_MAX) == (UINT64_MAX - r.header) / r.record);
    }
}

TEST_CASE("file_rules: header only", "[file_rules]") {
    for (const auto& r : all_rules()) {
        INFO(r.kind);
        // A file of exactly the header holds no records and is valid (a reset
        // GROUP.GLB is 4 bytes, ADMIN.GRP 8, an empty MBG 0).
        CHECK_FALSE(size_violation(r, r.header));
        CHECK(whole_records(r, r.header) == 0);
        if (r.header > 0) {
            const auto v = size_violation(r, r.header - 1);
            REQUIRE(v);
            CHECK(whole_records(r, r.header - 1) == 0);
        }
    }
    CHECK(*size_violation(rules::group, 2) == "size 2 is shorter than the 4-byte header");
}

TEST_CASE("file_rules: MEM is at most 2000 bytes (KB Q77926)", "[file_rules]") {
    CHECK_FALSE(size_violation(rules::mem, 2000));
    CHECK(whole_records(rules::mem, 2000) == 500);
    const auto v = size_violation(rules::mem, 2004);
    REQUIRE(v);
    CHECK(v->find("maximum") != std::string::npos);
    CHECK(size_violation(rules::mem, 2001));
    CHECK(size_violation(rules::mem, 3'000'000'000ull));
    for (const auto& r : all_rules())
        if (r.kind != "MEM") CHECK(r.max_size == 0);
}

TEST_CASE("file_rules: messages say what is wrong", "[file_rules]") {
    CHECK(*size_violation(rules::control, 9) == "size 9 is not the fixed 8 bytes");
    CHECK(*size_violation(rules::access2, 1000) ==
          "size 1000 is not a multiple of 69 (14 records and 34 bytes over)");
    CHECK(*size_violation(rules::netpo, 4 + 43 + 5) ==
          "size - 4 = 48 is not a multiple of 43 (1 records and 5 bytes over)");
}
