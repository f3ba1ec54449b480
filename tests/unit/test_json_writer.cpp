#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <sstream>

#include "mspo/report/json_writer.hpp"

using namespace mspo;

TEST_CASE("JsonWriter: the layout of nlohmann's dump(2)", "[json_writer]") {
    std::ostringstream out;
    JsonWriter w(out);
    w.begin_object();
    w.text("tool", "demo");
    w.optional_text("snapshot", std::nullopt);
    w.boolean("dry_run", false);
    w.key("empty_object");
    w.begin_object();
    w.end_object();
    w.key("empty_array");
    w.begin_array();
    w.end_array();
    w.key("list");
    w.begin_array();
    w.number(std::uint64_t{1});
    w.string("two \"quoted\" \\ \n\t\x1b\x7f \xc3\xbc");
    w.begin_object();
    w.optional_number("n", std::nullopt);
    w.number("m", 18446744073709551615ull);
    w.end_object();
    w.null();
    w.end_array();
    w.end_object();
    w.finish();

    nlohmann::ordered_json expect;
    expect["tool"] = "demo";
    expect["snapshot"] = nullptr;
    expect["dry_run"] = false;
    expect["empty_object"] = nlohmann::ordered_json::object();
    expect["empty_array"] = nlohmann::ordered_json::array();
    expect["list"] = nlohmann::ordered_json::array({1,
                                                    "two \"quoted\" \\ \n\t\x1b\x7f \xc3\xbc",
                                                    {{"n", nullptr}, {"m", 18446744073709551615ull}},
                                                    nullptr});
    CHECK(out.str() == expect.dump(2) + "\n");
}

TEST_CASE("JsonWriter: a text that is not UTF-8 is escaped and given in hex", "[json_writer]") {
    std::ostringstream out;
    JsonWriter w(out);
    w.begin_object();
    w.text("file", "P1/\xff.P1");
    w.text("name", "ok");
    w.end_object();
    w.finish();
    const auto doc = nlohmann::json::parse(out.str());  // throws if not valid UTF-8
    CHECK(doc["file"] == "P1/\\xff.P1");
    CHECK(doc["file_hex"] == "50312fff2e5031");
    CHECK_FALSE(doc.contains("name_hex"));
}

TEST_CASE("JsonWriter: a top-level array and scalars", "[json_writer]") {
    std::ostringstream out;
    JsonWriter w(out);
    w.begin_array();
    w.boolean(true);
    w.string("\xfe");
    w.end_array();
    w.finish();
    CHECK(out.str() == "[\n  true,\n  \"\\\\xfe\"\n]\n");
}
