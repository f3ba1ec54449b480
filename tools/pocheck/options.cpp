// pocheck's command line: its spec (for --help), its own options, and their
// checks. Opens no file, so it is unit-tested (test_pocheck_options.cpp).
#include "mspo/base/error.hpp"
#include "mspo/base/os.hpp"
#include "mspo/safety/output_file.hpp"
#include "pocheck.hpp"

namespace mspo::pocheck {

namespace po = boost::program_options;

const cli::ToolSpec& spec() {
    static const cli::ToolSpec s = [] {
        cli::ToolSpec t;
        t.name = "pocheck";
        t.summary =
            "Check a postoffice step by step along KB Q237695, then by every other check; --fix repairs "
            "what the fixers can.";
        t.usage =
            "Walks the six workaround steps of KB Q237695 in their order, each with a verdict\n"
            "(ok / problem / cannot tell), what it saw and the command that fixes it:\n"
            "  1 owners, permissions and locks of the ATT, GLB, KEY, MAI and MBG files\n"
            "  2 P1 files older than 2 days (p1clean)\n"
            "  3 External's version, 3.2.18 or later (EXTERNAL.EXE beside the postoffice, or\n"
            "    --external PATH: read, never run; an MS-DOS, Windows or NT program)\n"
            "  4 damaged ACCESS files (listuser's checks)\n"
            "  5 POL and PAL damage (palfix's checks)\n"
            "  6 mailbags at or near the 4096-record limit (mbgsplit's checks)\n"
            "then every other check of the suite (the 51 folders, sizes, shadows, KEY/MBG\n"
            "pairs, CONTROL.GLB counters, MAI reference counters...) and the model report:\n"
            "how well the NME files and KEY bitmaps fit our models. The checklist is followed\n"
            "by the usual report; --json gives both as one document. Without --fix it never writes.\n"
            "\n"
            "--fix runs the fixers in the KB's order, each only if the check found work for it\n"
            "and each with its own snapshot: p1clean (step 2), palfix (step 5), mbgsplit\n"
            "(step 6), then pocheck's own repairs of GLB/CONTROL.GLB's counters and of the MAI\n"
            "reference counters (these only where the KEY model test supports our model), and\n"
            "checks again: the checklist before and after, each fixer's report and the\n"
            "porestore commands that undo them. With -n each fixer says what it would do and\n"
            "nothing is written. A fixer that refuses changes nothing (exit code bit 8) and\n"
            "the next one runs; what no fixer can do safely stays a finding with its manual step.";
        t.examples =
            "pocheck M:\\MAILDATA                              # the checklist and the report\n"
            "pocheck --external M:\\MAILEXE\\EXTERNAL.EXE M:\\MAILDATA  # also step 3\n"
            "pocheck --json /srv/po > check.json              # the same as one JSON document\n"
            "pocheck --fix -n M:\\MAILDATA                     # what --fix would do; writes nothing\n"
            "pocheck --fix M:\\MAILDATA                        # fix in the KB's order, then check again\n"
            "pocheck --fix --html report.html M:\\MAILDATA     # the same, and a page to hand over";
        t.writes = true;
        return t;
    }();
    return s;
}

const po::options_description& options_description() {
    static const po::options_description d = [] {
        po::options_description o("pocheck options");
        o.add_options()("fix", po::bool_switch(),
                        "run the fixers in the KB's order (p1clean, palfix, mbgsplit, then the CONTROL.GLB "
                        "and MAI reference counters), each with its own snapshot, and check again")(
            "external", cli::string_value("PATH"),
            "the External program (EXTERNAL.EXE) to read its version from, for step 3; it is "
            "read (at most 4 MiB), never run. Default: the first EXTERNAL.EXE in the "
            "postoffice folder, its parent folder, or the parent's subfolders by name")(
            "now", po::value<long long>()->value_name("SECONDS"),
            "measure P1 ages against this Unix time instead of the clock (reproducible reports; 0 to "
            "9223372036)")(
            "html", cli::string_value("FILE"),
            "also write the report as one self-contained HTML page (inline CSS and SVG, no script): "
            "the checklist, mailbag fill, accounts, findings and, with --fix, before and after. FILE "
            "must be outside the postoffice; an existing regular file is replaced whole (atomically), "
            "a folder, link or FIFO is refused");
        return o;
    }();
    return d;
}

Options options_from(const cli::Parsed& parsed) {
    Options o;
    o.common = parsed.common;
    const auto& vm = parsed.vm;
    o.fix = vm.count("fix") && vm["fix"].as<bool>();
    if (vm.count("external")) {
        const std::string path = vm["external"].as<std::string>();
        if (path.empty()) throw Error(Errc::usage, "--external needs the path of the External program");
        o.external = os::path_from_text(path);
    }
    if (vm.count("html")) {
        const std::string path = vm["html"].as<std::string>();
        if (path.empty()) throw Error(Errc::usage, "--html needs the name of the page to write");
        // Refused before anything is checked or fixed, as --log is.
        if (const auto root = parsed.positional("POSTOFFICE")) {
            try {
                check_output_file(os::path_from_text(*root), os::path_from_text(path));
            } catch (const Error& e) { throw Error(e.code(), "--html " + e.detail(), e.file()); }
        } else if (os::path_from_text(path).filename().empty())
            throw Error(Errc::usage, "--html needs a file name", os::path_from_text(path));
        o.html = os::path_from_text(path);
    }
    if (vm.count("now")) {
        const long long now = vm["now"].as<long long>();
        if (now < 0 || now > kMaxNow)
            throw Error(Errc::usage, "--now must be a Unix time in seconds from 0 to " +
                                         std::to_string(kMaxNow) + " (2262-04-11)");
        o.now = static_cast<std::int64_t>(now);
    }
    return o;
}

const char* verdict_name(Verdict v) noexcept {
    switch (v) {
        case Verdict::ok:
            return "ok";
        case Verdict::problem:
            return "problem";
        case Verdict::cannot_tell:
            return "cannot tell";
    }
    return "?";
}

}  // namespace mspo::pocheck
