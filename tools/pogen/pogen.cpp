// GCC 12 reports a false -Wnull-dereference inside Boost.Program_options and
// libstdc++ when typed_value<std::vector<std::string>> (for --damage) is
// instantiated here; see string_value() in cli/options.hpp for the same issue.
#pragma GCC diagnostic ignored "-Wnull-dereference"

#include "pogen.hpp"

#include <ostream>

#include "mspo/base/error.hpp"
#include "mspo/base/os.hpp"
#include "mspo/base/time.hpp"
#include "mspo/pogen/damage.hpp"

namespace mspo::pogen {

namespace po = boost::program_options;

const cli::ToolSpec& cli_spec() {
    static const cli::ToolSpec s = [] {
        cli::ToolSpec t;
        t.name = "pogen";
        t.summary = "Write a complete MS Mail 3.x postoffice from a text spec, optionally damaged.";
        t.usage =
            "Without --spec, writes a small sample postoffice. OUTDIR must be new or empty.\n"
            "The same spec, seed and --now give the same bytes and file times. The spec format\n"
            "and the damage kinds are described in docs/POGEN.md (see also --list-damage).\n"
            "Files are written with plain writes: pogen is a generator, not a fixer.";
        t.examples =
            "pogen /tmp/po                        # the sample postoffice\n"
            "pogen --users 500 --seed 7 /tmp/po   # 500 accounts with generated mail\n"
            "pogen --damage nme-shadow /tmp/po    # the sample, with ADMINSHD.NME out of step\n"
            "pogen --spec my.spec --now real /tmp/po  # P1 ages relative to the real clock";
        t.writes = false;
        t.positionals = {{"OUTDIR", "the folder to write the postoffice into (new or empty)", false}};
        return t;
    }();
    return s;
}

const po::options_description& options_description() {
    static const po::options_description d = [] {
        po::options_description o("pogen options");
        o.add_options()("spec", cli::string_value("FILE"), "read the postoffice description from FILE")(
            "users", po::value<long long>()->value_name("N"),
            "pad the accounts up to N (ADMIN included; at most 1000000)")(
            "seed", po::value<unsigned long long>()->value_name("S"),
            "seed for generated names, mail and bytes")(
            "now", cli::string_value("TIME"),
            "file times relative to TIME: Unix seconds, YYYY-MM-DDTHH:MM:SSZ or 'real' (default "
            "1999-06-01T12:00:00Z)")(
            "damage", po::value<std::vector<std::string>>()->value_name("KIND[:ARG,...]")->composing(),
            "inject damage (repeatable; see --list-damage)")("list-damage", "list the damage kinds and exit")(
            "print-sample", "print the sample spec and exit");
        return o;
    }();
    return d;
}

namespace {
// 9999-12-31T23:59:59Z: file times in nanoseconds stay far from overflow.
constexpr std::int64_t kLatestNow = 253402300799;
// Far above any real postoffice, low enough that the model fits in memory.
constexpr long long kMostUsers = 1'000'000;
}  // namespace

Options options_from(const cli::Parsed& parsed) {
    Options o;
    o.common = parsed.common;
    const auto& vm = parsed.vm;
    if (vm.count("spec")) o.spec_file = os::path_from_text(vm["spec"].as<std::string>());
    if (vm.count("users")) {
        // Parsed signed: Boost turns "-3" into a huge unsigned number.
        const long long n = vm["users"].as<long long>();
        if (n < 1 || n > kMostUsers) throw Error(Errc::usage, "--users must be a number from 1 to 1000000");
        o.build.users = static_cast<unsigned>(n);
    }
    if (vm.count("seed")) o.build.seed = vm["seed"].as<unsigned long long>();
    if (vm.count("now")) {
        const auto text = vm["now"].as<std::string>();
        if (text == "real")
            o.build.now = mspo::now_ns() / kNsPerSecond;
        else if (auto t = parse_time(text); t && *t >= 0 && *t <= kLatestNow)
            o.build.now = *t;
        else
            throw Error(Errc::usage,
                        "--now needs Unix seconds (0 to 253402300799), YYYY-MM-DDTHH:MM:SSZ or "
                        "'real', not '" +
                            text + "'");
    }
    if (vm.count("damage"))
        for (const auto& d : vm["damage"].as<std::vector<std::string>>())
            o.build.damages.push_back(parse_damage_option(d));
    o.list_damage = vm.count("list-damage") != 0;
    o.print_sample = vm.count("print-sample") != 0;
    if (auto out = parsed.positional("OUTDIR"))
        o.outdir = os::path_from_text(*out);
    else if (!o.list_damage && !o.print_sample)
        throw Error(Errc::usage, "missing OUTDIR");
    return o;
}

int run(const Options& options, std::ostream& out) {
    if (options.list_damage) {
        for (const auto& k : damage_kinds())
            out << k.name << (k.args.empty() ? "" : " ") << k.args << "\n    " << k.description
                << (k.finds.empty() ? "" : " (" + std::string(k.finds) + ")") << "\n";
        return 0;
    }
    if (options.print_sample) {
        out << sample_spec_text();
        return 0;
    }
    Spec spec;
    if (options.spec_file) {
        spec = load_spec_file(*options.spec_file);
    } else {
        spec = parse_spec(sample_spec_text(), "sample");
    }
    const Tree tree = build(spec, options.build);
    write_tree(tree, options.outdir);
    if (!options.common.quiet) {
        std::uint64_t bytes = 0;
        for (const auto& [rel, f] : tree.files) bytes += f.data.size();
        out << "pogen: wrote " << tree.files.size() << " files (" << bytes << " bytes) in "
            << tree.dirs.size() << " folders to " << os::path_text(options.outdir) << "; digest "
            << tree_digest(tree) << "\n";
    }
    return 0;
}

}  // namespace mspo::pogen
