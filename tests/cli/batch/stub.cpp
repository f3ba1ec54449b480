// A stand-in for a tool, for the batch-file test (run-batch): copied as
// pocheck.exe, p1clean.exe, mbgsplit.exe and porestore.exe, it appends its
// name and arguments to the file STUB_TRACE names and exits with the code in
// STUB_RC_<NAME> (0 if unset). A fixer whose code has bit 1 (changes made)
// leaves an empty <NAME>-stub.tar.gz in its --snapshot-dir, as a real one
// leaves its snapshot there, so the batch file has one to put back.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

int main(int argc, char** argv) {
    namespace fs = std::filesystem;
    const std::string name = fs::path(argv[0]).stem().string();
    const char* code = std::getenv(("STUB_RC_" + name).c_str());
    const int rc = code != nullptr ? std::atoi(code) : 0;
    if (const char* trace = std::getenv("STUB_TRACE")) {
        std::ofstream out(trace, std::ios::app);
        out << name;
        for (int i = 1; i < argc; ++i) out << ' ' << argv[i];
        out << " -> " << rc << '\n';
    }
    for (int i = 1; i + 1 < argc; ++i) {
        if (std::string(argv[i]) == "--snapshot-dir" && (rc & 1) != 0) {
            fs::create_directories(argv[i + 1]);
            std::ofstream(fs::path(argv[i + 1]) / (name + "-stub.tar.gz"));
        }
    }
    return rc;
}
