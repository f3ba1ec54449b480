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
