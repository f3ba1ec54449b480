#include "mspo/base/time.hpp"

#include <catch2/catch.hpp>

using namespace mspo;

TEST_CASE("time: utc_text of known instants", "[time]") {
    CHECK(utc_text(0) == "1970-01-01T00:00:00Z");
    CHECK(utc_text(0, true) == "19700101T000000Z");
    CHECK(utc_text(1'700'000'000 * kNsPerSecond + 999'999'999) == "2023-11-14T22:13:20Z");
    CHECK(utc_text(-1) == "1969-12-31T23:59:59Z");
}

TEST_CASE("time: utc_text clamps absurd times to four-digit years", "[time]") {
    CHECK(utc_text(INT64_MAX) == "2262-04-11T23:47:16Z");
    CHECK(utc_text(INT64_MIN) == "1677-09-21T00:12:43Z");
}

TEST_CASE("time: floor_seconds rounds down", "[time]") {
    CHECK(floor_seconds(0) == 0);
    CHECK(floor_seconds(kNsPerSecond - 1) == 0);
    CHECK(floor_seconds(-1) == -1);
    CHECK(floor_seconds(-kNsPerSecond) == -1);
    CHECK(floor_seconds(-kNsPerSecond - 1) == -2);
    CHECK(floor_seconds(INT64_MIN) < 0);
}

TEST_CASE("time: now_ns and utc_now_text", "[time]") {
    CHECK(now_ns() > 1'600'000'000 * kNsPerSecond);
    const std::string t = utc_now_text();
    REQUIRE(t.size() == 20);
    CHECK(t[10] == 'T');
}
