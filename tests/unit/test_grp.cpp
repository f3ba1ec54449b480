#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "mspo/base/error.hpp"
#include "mspo/format/file_rules.hpp"
#include "mspo/format/grp.hpp"
#include "test_support.hpp"

using namespace mspo;
namespace fs = std::filesystem;
using namespace mspo::test;

namespace {

// A GRP from (tid, next) pairs, with a zero header.
GrpTable make_grp(const std::vector<std::pair<std::uint32_t, std::uint32_t>>& nodes) {
    GrpTable t;
    t.header.assign(8, 0);
    for (const auto& [tid, next] : nodes) {
        GrpNode n;
        n.set_tid(tid);
        n.set_next(next);
        t.records.push_back(n);
    }
    t.file_size = 8 + 8 * nodes.size();
    return t;
}

}  // namespace

TEST_CASE("grp: a good file with two chains", "[grp]") {
    // Group A: nodes 0 -> 2 -> 3; group B: node 1 alone.
    const GrpTable t = make_grp({{101, 24}, {201, 0}, {102, 32}, {103, 0}});
    const Bytes image = encode_grp(t);
    REQUIRE(image.size() == 40);
    CHECK(image[8] == 101);
    CHECK(image[12] == 24);

    TempDir dir("grp");
    write_bytes(dir.path / "ADMIN.GRP", image);
    const GrpTable back = read_grp(dir.path / "ADMIN.GRP");
    CHECK_FALSE(size_violation(rules::grp, back.file_size));
    REQUIRE(back.records.size() == 4);
    CHECK(encode_grp(back) == image);

    const ChainResult a = walk_chain(back, 8);
    CHECK(a.status == ChainStatus::ok);
    CHECK(a.tids == std::vector<std::uint32_t>{101, 102, 103});
    CHECK(a.offsets == std::vector<std::uint64_t>{8, 24, 32});
    const ChainResult b = walk_chain(back, 16);
    CHECK(b.status == ChainStatus::ok);
    CHECK(b.tids == std::vector<std::uint32_t>{201});
    const ChainResult none = walk_chain(back, 0);
    CHECK(none.status == ChainStatus::ok);
    CHECK(none.tids.empty());
    CHECK(std::string(chain_status_name(ChainStatus::cycle)) == "cycle");
    CHECK(std::string(chain_damage_text(ChainStatus::past_end)) == "past the last whole node");
    CHECK(std::string(chain_damage_text(ChainStatus::cycle)).find("the chain loops") != std::string::npos);
}

TEST_CASE("grp: the reset file (8 zero bytes) has no nodes", "[grp]") {
    const GrpTable t = decode_grp(Bytes(8, 0));
    CHECK(t.records.empty());
    CHECK_FALSE(size_violation(rules::grp, 8));
    CHECK(walk_chain(t, 0).status == ChainStatus::ok);
    CHECK(walk_chain(t, 8).status == ChainStatus::past_end);
}

TEST_CASE("grp: bad offsets are returned, not thrown", "[grp]") {
    const GrpTable t = make_grp({{1, 16}, {2, 0}, {3, 13}, {4, 4000}});
    SECTION("start inside the header") {
        const ChainResult r = walk_chain(t, 4);
        CHECK(r.status == ChainStatus::misaligned);
        CHECK(r.bad_offset == 4);
        CHECK(r.bad_from == 0);
        CHECK(r.tids.empty());
    }
    SECTION("start between node boundaries") { CHECK(walk_chain(t, 12).status == ChainStatus::misaligned); }
    SECTION("a next offset between node boundaries") {
        const ChainResult r = walk_chain(t, 24);
        CHECK(r.status == ChainStatus::misaligned);
        CHECK(r.tids == std::vector<std::uint32_t>{3});
        CHECK(r.bad_offset == 13);
        CHECK(r.bad_from == 24);
    }
    SECTION("start at the end of the file") {
        const ChainResult r = walk_chain(t, 40);
        CHECK(r.status == ChainStatus::past_end);
        CHECK(r.bad_offset == 40);
    }
    SECTION("a next offset past the end") {
        const ChainResult r = walk_chain(t, 32);
        CHECK(r.status == ChainStatus::past_end);
        CHECK(r.tids == std::vector<std::uint32_t>{4});
        CHECK(r.bad_offset == 4000);
        CHECK(r.bad_from == 32);
    }
    SECTION("a huge offset") {
        CHECK(walk_chain(t, 0xFFFFFFF8u).status == ChainStatus::past_end);
        CHECK(walk_chain(t, 0xFFFFFFFFu).status == ChainStatus::misaligned);
    }
}

TEST_CASE("grp: cycles are detected", "[grp]") {
    SECTION("a node pointing at itself") {
        const GrpTable t = make_grp({{1, 8}});
        const ChainResult r = walk_chain(t, 8);
        CHECK(r.status == ChainStatus::cycle);
        CHECK(r.tids == std::vector<std::uint32_t>{1});
        CHECK(r.bad_offset == 8);
        CHECK(r.bad_from == 8);
    }
    SECTION("a loop back into the middle of the chain") {
        const GrpTable t = make_grp({{1, 16}, {2, 24}, {3, 16}});
        const ChainResult r = walk_chain(t, 8);
        CHECK(r.status == ChainStatus::cycle);
        CHECK(r.tids == std::vector<std::uint32_t>{1, 2, 3});
        CHECK(r.bad_offset == 16);
        CHECK(r.bad_from == 24);
    }
    SECTION("a long ring stops after visiting each node once") {
        std::vector<std::pair<std::uint32_t, std::uint32_t>> nodes;
        const std::uint32_t n = 100000;
        for (std::uint32_t i = 0; i < n; ++i) nodes.emplace_back(i, i + 1 < n ? 8 + 8 * (i + 1) : 8);
        const ChainResult r = walk_chain(make_grp(nodes), 8);
        CHECK(r.status == ChainStatus::cycle);
        CHECK(r.tids.size() == n);
        CHECK(r.bad_offset == 8);
    }
}

TEST_CASE("grp: a truncated file", "[grp]") {
    SECTION("short header") {
        const Bytes image = random_bytes(5, 1);
        const GrpTable t = decode_grp(image);
        CHECK(t.header.size() == 5);
        CHECK(t.records.empty());
        CHECK(size_violation(rules::grp, t.file_size));
        CHECK(encode_grp(t) == image);
        CHECK(walk_chain(t, 8).status == ChainStatus::past_end);
    }
    SECTION("partial last node: a link into it is past the end") {
        Bytes image = encode_grp(make_grp({{1, 16}}));
        image.insert(image.end(), {2, 0, 0, 0, 0});  // 5 bytes of a second node
        const GrpTable t = decode_grp(image);
        CHECK(t.records.size() == 1);
        CHECK(t.trailing.size() == 5);
        CHECK(encode_grp(t) == image);
        const ChainResult r = walk_chain(t, 8);
        CHECK(r.status == ChainStatus::past_end);
        CHECK(r.tids == std::vector<std::uint32_t>{1});
    }
}

TEST_CASE("grp: absurd size is refused before reading", "[grp]") {
    TempDir dir("grp");
    const fs::path p = dir.path / "ADMIN.GRP";
    write_bytes(p, {});
    fs::resize_file(p, kGrpReadLimit + 8);  // sparse
    try {
        read_grp(p);
        FAIL("no error");
    } catch (const Error& e) {
        CHECK(e.code() == Errc::size_rule);
        CHECK(e.file() == p);
    }
}

TEST_CASE("grp: unknown bytes survive decode, set field, encode", "[grp]") {
    const Bytes image = random_bytes(8 + 8 * 6 + 3, 4);
    GrpTable t = decode_grp(image);
    REQUIRE(t.records.size() == 6);
    CHECK(encode_grp(t) == image);
    t.records[1].set_next(0);
    const Bytes out = encode_grp(t);
    REQUIRE(out.size() == image.size());
    for (std::size_t i = 0; i < out.size(); ++i)
        if (i < 20 || i >= 24) CHECK(out[i] == image[i]);
    CHECK(decode_grp(out).records[1].next() == 0u);
    // Random links never make the walk fail to stop.
    for (std::uint64_t start = 0; start < out.size() + 8; ++start) {
        const ChainResult r = walk_chain(t, start);
        CHECK(r.tids.size() <= t.records.size());
    }
}
