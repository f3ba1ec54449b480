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
    // The one difference from nlohmann: DEL is written as \u007f (see below).
    std::string want = expect.dump(2) + "\n";
    want.replace(want.find('\x7f'), 1, "\\u007f");
    CHECK(out.str() == want);
}

TEST_CASE("JsonWriter: DEL, C1 controls and bidirectional overrides are written as u-escapes",
          "[json_writer]") {
    // Found by tests/reliability/badpo: pocheck --json passed a raw U+202E
    // from a file name and a raw DEL from a mailbag header to the terminal.
    const std::string text =
        "a\x7f b\xc2\x9b c\xe2\x80\xae d\xe2\x81\xa6 e\xe2\x80\xa8 \xc2\xa0\xe2\x80\x94\xc3\xbc";
    std::ostringstream out;
    JsonWriter w(out);
    w.begin_object();
    w.text("t", text);
    w.end_object();
    w.finish();
    CHECK(out.str().find("a\\u007f b\\u009b c\\u202e d\\u2066 e\\u2028 \xc2\xa0\xe2\x80\x94\xc3\xbc") !=
          std::string::npos);
    CHECK(nlohmann::json::parse(out.str())["t"] == text);  // the same text once parsed
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
