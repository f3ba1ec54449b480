// palfix's command line: its spec (for --help), its own options, and their
// checks. Opens no file, so it is unit-tested (test_palfix_options.cpp).
#include "mspo/base/bytes.hpp"
#include "mspo/base/error.hpp"
#include "mspo/base/os.hpp"
#include "palfix.hpp"

namespace mspo::palfix {

namespace po = boost::program_options;

const cli::ToolSpec& spec() {
    static const cli::ToolSpec s = [] {
        cli::ToolSpec t;
        t.name = "palfix";
        t.summary = "Check and repair the postoffice address list (POL), its groups and the PALs.";
        t.usage =
            "Step 5 of KB Q237695 and the POL rebuild of KB Q125252, without logging on as the\n"
            "administrator. Checks NME/ADMIN.NME and its shadow ADMINSHD.NME, the group chains\n"
            "GRP/ADMIN.GRP and ADMINSHD.GRP, GLB/GROUP.GLB and NETPO.GLB, and every PAL\n"
            "NME/<hexid>.NME against the ACCESS files. Repairs, after a verified snapshot:\n"
            "a damaged copy of a pair is replaced by the good one (same bytes, size and date);\n"
            "when both are damaged the POL is repaired in place (aliases rewritten, entries\n"
            "pointed at their account, group or NETPO record again, missing accounts added as\n"
            "ACCTONME would), broken group chains are cut at the damage, and PAL entries are\n"
            "rewritten from the POL. An entry that cannot be repaired is removed and\n"
            "quarantined: reported, kept in the snapshot and written as GIMPORT/IMPORT text\n"
            "(--quarantine). MEM files and GRPMEM.GLB are never changed. If a file palfix\n"
            "would change does not fit our model of it, nothing at all is changed (exit 8);\n"
            "--rebuild-pol rebuilds the POL from the ACCESS files anyway. After a POL change,\n"
            "run REBUILD -F for the GAL and Remote Regenerate (KB Q125252 step 10).";
        t.examples =
            "palfix -n M:\\MAILDATA                 # report what would change; write nothing\n"
            "palfix M:\\MAILDATA                    # repair the POL, its groups and every PAL\n"
            "palfix --pol-only M:\\MAILDATA         # the POL and its groups only\n"
            "palfix --pal 0000002A M:\\MAILDATA     # the POL and one account's PAL\n"
            "palfix --rebuild-pol M:\\MAILDATA      # rebuild the POL from the ACCESS files (ACCTONME)";
        t.writes = true;
        return t;
    }();
    return s;
}

const po::options_description& options_description() {
    static const po::options_description d = [] {
        po::options_description o("palfix options");
        o.add_options()("pol-only", "check and repair the POL and its groups only, no PAL")(
            "pal", cli::string_value("HEXID"),
            "check and repair only the PAL of the account whose mailbag is HEXID (8 hex digits), "
            "besides the POL")("rebuild-pol",
                               "rebuild the POL from the ACCESS files as ACCTONME does (KB Q99419), keeping "
                               "every group and external entry that still reads; also when it does not fit "
                               "our model")(
            "quarantine", cli::string_value("FILE"),
            "write the entries removed, if any, as GIMPORT/IMPORT text to FILE, which must not exist "
            "(default: beside the snapshot, named after it: <snapshot name>-quarantine.txt)");
        return o;
    }();
    return d;
}

Options options_from(const cli::Parsed& parsed) {
    Options o;
    o.common = parsed.common;
    const auto& vm = parsed.vm;
    o.pol_only = vm.count("pol-only") != 0;
    o.rebuild_pol = vm.count("rebuild-pol") != 0;
    if (vm.count("pal")) {
        if (o.pol_only) throw Error(Errc::usage, "--pol-only and --pal cannot be used together");
        const std::string text = vm["pal"].as<std::string>();
        std::uint32_t id = 0;
        if (!parse_hex8(text, id))
            throw Error(Errc::usage, "--pal needs a mailbag number of 8 hex digits, such as 0000002A");
        o.pal = id;
    }
    if (vm.count("quarantine")) {
        const std::string file = vm["quarantine"].as<std::string>();
        if (file.empty()) throw Error(Errc::usage, "--quarantine needs a file name");
        o.quarantine = os::path_from_text(file);
    }
    return o;
}

}  // namespace mspo::palfix
