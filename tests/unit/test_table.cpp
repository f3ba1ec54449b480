#include <catch2/catch.hpp>

#include <sstream>

#include "mspo/report/table.hpp"

using namespace mspo;

namespace {

std::string draw(bool titles, const std::vector<std::vector<std::string>>& rows) {
    TextTable t({{"Name"}, {"Size", Align::right}, {"Note"}}, titles);
    for (const auto& r : rows) t.measure(r);
    std::ostringstream out;
    t.write_titles(out);
    for (const auto& r : rows) t.write_row(out, r);
    return out.str();
}

}  // namespace

TEST_CASE("TextTable: columns aligned, the last not padded, no trailing blanks", "[table]") {
    CHECK(draw(true, {{"ADMIN", "5", "first"}, {"J\xc3\x9cRGEN", "12345", ""}}) ==
          "Name     Size  Note\n"
          "ADMIN       5  first\n"
          "J\xc3\x9cRGEN  12345\n");
    CHECK(draw(false, {{"A", "5", "x"}, {"BB", "10", "y"}}) ==
          "A    5  x\n"
          "BB  10  y\n");
}

TEST_CASE("TextTable: cells are shown terminal-safe and measured as shown", "[table]") {
    CHECK(draw(false, {{"E\x1b", "1", "n\xc2\x9b"}, {"LONGER", "2", "m"}}) ==
          "E\\x1b   1  n\\u009b\n"
          "LONGER  2  m\n");
}

TEST_CASE("TextTable: missing cells are empty", "[table]") {
    CHECK(draw(false, {{"A"}, {"B", "2", "z"}}) == "A\nB  2  z\n");
}

TEST_CASE("csv_cell: formula cells start with a quote", "[table]") {
    CHECK(csv_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)");
    CHECK(csv_cell("+1") == "'+1");
    CHECK(csv_cell("-2+3") == "'-2+3");
    CHECK(csv_cell("@cmd") == "'@cmd");
    CHECK(csv_cell("\tx") == "'\\x09x");
    CHECK(csv_cell("\r=1") == "'\\x0d=1");
    CHECK(csv_cell("a=b") == "a=b");  // only the first character counts
    CHECK(csv_cell("") == "");
}

TEST_CASE("csv_cell: quoting and escaping", "[table]") {
    CHECK(csv_cell("Smith, John") == "\"Smith, John\"");
    CHECK(csv_cell("say \"hi\"") == "\"say \"\"hi\"\"\"");
    CHECK(csv_cell(" lead") == "\" lead\"");
    CHECK(csv_cell("=a,b") == "\"'=a,b\"");
    CHECK(csv_cell("line\nbreak") == "line\\x0abreak");  // one record per line, always
    CHECK(csv_cell("E\x1b[2J") == "E\\x1b[2J");
}

TEST_CASE("write_csv_row: comma-separated, CRLF", "[table]") {
    std::ostringstream out;
    write_csv_row(out, {"name", "=id", "a,b"});
    CHECK(out.str() == "name,'=id,\"a,b\"\r\n");
}
