// common/safety/output_file.cpp: a new file beside the postoffice, written whole, never over another.
#include <catch2/catch.hpp>

#include <fstream>

#include "mspo/base/error.hpp"
#include "mspo/safety/output_file.hpp"
#include "test_support.hpp"

using namespace mspo;
using namespace mspo::test;

TEST_CASE("output_file: writes a new file, making its folders, and takes it back", "[output_file]") {
    TempDir tmp("output-file");
    const fs::path po = tmp.path / "MAILDATA";
    fs::create_directories(po / "GLB");
    const fs::path file = tmp.path / "MAILDATA.snapshots" / "sub" / "q.txt";
    const Bytes data{'a', '\r', '\n'};
    const NewFile made = write_new_file(po, file, data);
    CHECK(read_bytes(file) == data);
    CHECK(made.made_folders.size() == 2);
    // never over an existing file
    CHECK_THROWS_AS(write_new_file(po, file, data), Error);
    try {
        write_new_file(po, file, Bytes{'b'});
    } catch (const Error& e) { CHECK(e.code() == Errc::changed); }
    CHECK(read_bytes(file) == data);
    remove_new_file(made);
    CHECK_FALSE(fs::exists(file));
    CHECK_FALSE(fs::exists(tmp.path / "MAILDATA.snapshots"));
}

TEST_CASE("output_file: refuses a path inside the postoffice", "[output_file]") {
    TempDir tmp("output-file");
    const fs::path po = tmp.path / "MAILDATA";
    fs::create_directories(po / "NME");
    try {
        write_new_file(po, po / "NME" / "q.txt", Bytes{'x'});
        FAIL("no refusal");
    } catch (const Error& e) { CHECK(e.code() == Errc::unsafe_path); }
    CHECK_FALSE(fs::exists(po / "NME" / "q.txt"));
}

TEST_CASE("output_file: a report file replaced whole, never a folder, link or FIFO",
          "[output_file][makes-links][makes-fifos]") {
    TempDir tmp("output-file");
    const fs::path po = tmp.path / "MAILDATA";
    fs::create_directories(po / "GLB");
    const auto code_of = [&](const fs::path& p) {
        try {
            replace_output_file(po, p, Bytes{'x'});
        } catch (const Error& e) { return e.code(); }
        return Errc::io;  // no refusal
    };
    const fs::path page = tmp.path / "report.html";
    replace_output_file(po, page, Bytes{'a', 'b'});
    CHECK(read_bytes(page) == Bytes{'a', 'b'});
    replace_output_file(po, page, Bytes{'c'});  // an existing regular file is replaced
    CHECK(read_bytes(page) == Bytes{'c'});
    CHECK(code_of(po / "GLB" / "report.html") == Errc::unsafe_path);
    CHECK(code_of(po) == Errc::unsafe_path);
    fs::create_directory(tmp.path / "folder");
    CHECK(code_of(tmp.path / "folder") == Errc::unsafe_path);
    fs::create_symlink(tmp.path / "target.html", tmp.path / "link.html");
    CHECK(code_of(tmp.path / "link.html") == Errc::unsafe_path);
    CHECK_FALSE(fs::exists(tmp.path / "target.html"));
    CHECK(code_of(tmp.path / "folder/") == Errc::usage);
    CHECK(code_of(tmp.path / "missing" / "report.html") == Errc::not_found);
    CHECK(read_bytes(page) == Bytes{'c'});
}
