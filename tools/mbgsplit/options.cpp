// mbgsplit's command line: its spec (for --help), its own options, and their
// checks. Opens no file, so it is unit-tested (test_mbgsplit_options.cpp).
#include "mbgsplit.hpp"
#include "mspo/base/bytes.hpp"
#include "mspo/base/error.hpp"
#include "mspo/format/key.hpp"

namespace mspo::mbgsplit {

namespace po = boost::program_options;

const cli::ToolSpec& spec() {
    static const cli::ToolSpec s = [] {
        cli::ToolSpec t;
        t.name = "mbgsplit";
        t.summary = "Bring every mailbag under the 4096-slot limit without losing a message.";
        t.usage =
            "Step 6 of KB Q237695. A mailbag holds at most 4096 headers, live and deleted alike; at\n"
            "the limit new mail is refused with [008] or [017] NDRs. By default mbgsplit compacts\n"
            "every mailbag with more slots than --max (deleted slots dropped, as MS Mail's Compress\n"
            "does) and, if it still holds more live headers than --max, moves its oldest headers\n"
            "into overflow mailbags (fresh numbers from CONTROL.GLB, listed in MBG/OVERFLOW.TXT).\n"
            "No header is changed or lost and no MAI reference counter changes. --merge moves\n"
            "overflow headers back as far as there is room. Before any change mbgsplit checks our\n"
            "model of the KEY bitmap against the MAI reference counters; if they contradict it, or\n"
            "are too few to tell and deleted slots would be dropped, nothing is changed (exit 8)\n"
            "unless --force. Every change is snapshotted first (porestore undoes it).";
        t.examples =
            "mbgsplit --check M:\\MAILDATA                # how full is every mailbag? (writes nothing)\n"
            "mbgsplit --list 0000002A M:\\MAILDATA        # the headers of one mailbag\n"
            "mbgsplit --list 0000002A --csv M:\\MAILDATA  # the same as CSV\n"
            "mbgsplit -n M:\\MAILDATA                     # what a split would change; write nothing\n"
            "mbgsplit M:\\MAILDATA                        # compact and split the mailbags that need it\n"
            "mbgsplit --merge M:\\MAILDATA                # bring overflow headers back where there is room";
        t.writes = true;
        return t;
    }();
    return s;
}

const po::options_description& options_description() {
    static const po::options_description d = [] {
        po::options_description o("mbgsplit options");
        o.add_options()("check", "survey every mailbag: slots used, live and deleted headers; write nothing")(
            "list", cli::string_value("HEXID"),
            "list the headers of one mailbag (8 hex digits, or INQUEUE3, INQUEUE, SYSTEM); write nothing")(
            "merge", "move overflow headers back into their mailbags, as far as there is room under --max")(
            "max", po::value<long long>()->value_name("N"),
            "the most live headers a mailbag keeps (1-4095, default 4000): more slots and it is "
            "compacted, more live headers and the oldest go to overflow mailbags")(
            "warn", po::value<long long>()->value_name("PERCENT"),
            "flag mailbags using at least PERCENT of the 4096 slots (1-100, default 90)")(
            "csv", "with --check or --list: the table as CSV (spreadsheet-safe), findings on stderr");
        return o;
    }();
    return d;
}

Options options_from(const cli::Parsed& parsed) {
    Options o;
    o.common = parsed.common;
    const auto& vm = parsed.vm;
    int modes = 0;
    if (vm.count("check")) {
        o.mode = Mode::check;
        ++modes;
    }
    if (vm.count("merge")) {
        o.mode = Mode::merge;
        ++modes;
    }
    if (vm.count("list")) {
        o.mode = Mode::list;
        ++modes;
        const std::string name = to_upper(vm["list"].as<std::string>());
        std::uint32_t n = 0;
        if (!parse_hex8(name, n) && name != "INQUEUE3" && name != "INQUEUE" && name != "SYSTEM")
            throw Error(
                Errc::usage,
                "--list needs a mailbag: 8 hex digits such as 0000002A, or INQUEUE3, INQUEUE, SYSTEM");
        o.list_stem = name;
    }
    if (modes > 1) throw Error(Errc::usage, "--check, --list and --merge cannot be used together");
    if (vm.count("max")) {
        const long long max = vm["max"].as<long long>();
        if (max < 1 || max >= static_cast<long long>(kMailbagLimit))
            throw Error(Errc::usage, "--max must be 1 to 4095 (a mailbag holds at most 4096 headers)");
        o.limits.max = static_cast<std::uint64_t>(max);
    }
    if (vm.count("warn")) {
        const long long warn = vm["warn"].as<long long>();
        if (warn < 1 || warn > 100) throw Error(Errc::usage, "--warn must be a percent from 1 to 100");
        o.limits.warn_percent = static_cast<unsigned>(warn);
    }
    o.csv = vm.count("csv") != 0;
    if (o.csv && o.mode != Mode::check && o.mode != Mode::list)
        throw Error(Errc::usage, "--csv needs --check or --list");
    if (o.csv && o.common.json) throw Error(Errc::usage, "--csv and --json cannot be used together");
    return o;
}

}  // namespace mspo::mbgsplit
