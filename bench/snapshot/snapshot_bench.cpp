// Bench helper: write_snapshot() (which includes the full read-back verify)
// of every file under POSTOFFICE. Usage: snapshot_bench POSTOFFICE THREADS [LEVEL [plain]]
// (LEVEL: the gzip level, default SnapshotOptions' own; "plain": deflate
// random-looking bytes too instead of storing them, as before 2026-12-03).
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string_view>

#include "mspo/safety/snapshot.hpp"

int main(int argc, char** argv) {
    namespace fs = std::filesystem;
    if (argc < 3 || argc > 5) return 16;
    const fs::path root = argv[1];
    std::vector<mspo::SnapshotItem> items;
    for (auto& e : fs::recursive_directory_iterator(root))
        if (e.is_regular_file())
            items.push_back(
                {e.path().generic_string().substr(root.generic_string().size() + 1), std::nullopt});
    mspo::SnapshotOptions o;
    o.tool = "bench";
    o.threads = static_cast<unsigned>(std::atoi(argv[2]));
    if (argc >= 4) o.level = std::atoi(argv[3]);
    if (argc == 5) o.store_random = std::string_view(argv[4]) != "plain";
    auto t0 = std::chrono::steady_clock::now();
    auto written = t0;  // when the archive was written (the hook's "snapshot-verify")
    o.hook = [&written](std::string_view step, std::size_t) {
        if (step == "snapshot-verify") written = std::chrono::steady_clock::now();
    };
    auto r = mspo::write_snapshot(root, items, o);
    auto t1 = std::chrono::steady_clock::now();
    std::cout << "   " << items.size() << " files, " << o.threads << " deflate thread(s), level " << o.level
              << (o.store_random ? "" : " (plain)") << ": " << std::chrono::duration<double>(t1 - t0).count()
              << " s (write + fsync + verify; the write "
              << std::chrono::duration<double>(written - t0).count() << " s)\n";
    return r.path.empty() ? 1 : 0;
}
