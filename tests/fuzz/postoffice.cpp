// Fuzz target: the checks' readers of file contents, over a whole
// postoffice. At start a small postoffice is generated with pogen (users,
// mail, freed slots, a group, PALs, external postoffices, P1 files) in a
// scratch folder. Each input replaces one of its files: the first byte picks
// the file (its index in path order), the rest is the new contents. Then
// every read-only pass runs over it: run_checks (pocheck), load_accounts,
// the address book and palfix's repair plan, P1's scan, queue and cleanup
// plan (p1clean), the counter repair plan (pocheck --fix) and the mailbag
// survey and plan (mbgsplit). The file is put back after each input.
// Properties: no crash; bad contents are findings or mspo::Error, never
// another exception.
#include <fcntl.h>
#include <sys/stat.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz_support.hpp"
#include "mspo/base/error.hpp"
#include "mspo/checks/access_checks.hpp"
#include "mspo/checks/address_lists.hpp"
#include "mspo/checks/check.hpp"
#include "mspo/checks/counter_repair.hpp"
#include "mspo/checks/mailbag_plan.hpp"
#include "mspo/checks/mailbags.hpp"
#include "mspo/checks/p1.hpp"
#include "mspo/checks/pol_repair.hpp"
#include "mspo/format/accounts.hpp"
#include "mspo/pogen/builder.hpp"
#include "../unit/small_spec.hpp"

namespace {

using namespace mspo;

constexpr std::string_view kSpec = pogen_fixture::kSmallSpec;

struct Fixture {
    std::filesystem::path root;
    std::vector<std::string> files;  // relpaths, in path order
    pogen::Tree tree;
};

const Fixture& fixture() {
    static const Fixture f = [] {
        Fixture x;
        x.root = fuzz::scratch_dir() / "PO";
        x.tree = pogen::build(pogen::parse_spec(kSpec, "fuzz"));
        pogen::write_tree(x.tree, x.root);
        for (const auto& [rel, file] : x.tree.files)
            if (file.kind == pogen::TreeFile::Kind::regular) x.files.push_back(rel);
        return x;
    }();
    return f;
}

/// Gives `path` the file's generated mtime, so that ages (P1) do not depend
/// on when the input ran.
void set_mtime(const std::filesystem::path& path, std::int64_t mtime) {
    const struct timespec times[2] = {{static_cast<time_t>(mtime), 0}, {static_cast<time_t>(mtime), 0}};
    if (::utimensat(AT_FDCWD, path.c_str(), times, 0) != 0) std::abort();
}

template <class Fn>
void guarded(Fn fn) {
    try {
        fn();
    } catch (const Error&) {}
}

void read_everything(const Postoffice& po) {
    guarded([&] { (void)run_checks(po); });
    guarded([&] {
        const Accounts accounts = load_accounts(po);
        (void)check_accounts(po, accounts);
    });
    guarded([&] {
        const AddressBook book = load_address_book(po);
        const AddressReport report = check_address_book(book);
        (void)plan_address_repair(book, report, report.findings, RepairOptions{});
    });
    guarded([&] {
        const P1Scan scan = scan_p1(po);
        const QueueState queue = read_queue(po);
        P1Policy policy;
        policy.now_ns = pogen::kDefaultNow * std::int64_t{1'000'000'000};
        policy.verbose = true;
        (void)plan_p1_cleanup(scan, queue, policy);
    });
    guarded([&] { (void)plan_counter_repairs(po, CounterRepairOptions{}); });
    guarded([&] {
        MailbagPlanOptions options;
        options.limits.max = 3;  // small enough that the generated mailbags get split
        MailbagSurvey survey = survey_mailbags(po, options.limits);
        (void)plan_mailbags(po, std::move(survey), options);
    });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const Fixture& f = fixture();
    const std::string& rel = f.files[data[0] % f.files.size()];
    const auto path = f.root / rel;
    const pogen::TreeFile& original = f.tree.at(rel);
    fuzz::write_file(path, data + 1, size - 1);
    set_mtime(path, original.mtime);
    read_everything(Postoffice(f.root));
    fuzz::write_file(path, original.data.data(), original.data.size());
    set_mtime(path, original.mtime);
    return 0;
}
