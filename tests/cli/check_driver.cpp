// A test helper for the golden CLI cases (tests/cli/golden.sh): runs run_checks() on a postoffice
// and prints one line per finding (check, file, record, offset, message).
// Exit 0: no finding; 4: findings; 8: an operational error.
#include <exception>
#include <iostream>

#include "mspo/checks/check.hpp"

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: check_driver POSTOFFICE\n";
        return 16;
    }
    try {
        const mspo::Postoffice po(argv[1]);
        const auto findings = mspo::run_checks(po);
        for (const auto& f : findings)
            std::cout << f.check << '\t' << f.file << '\t' << (f.record ? std::to_string(*f.record) : "-")
                      << '\t' << (f.offset ? std::to_string(*f.offset) : "-") << '\t' << f.message << '\n';
        return findings.empty() ? 0 : 4;
    } catch (const std::exception& e) {
        std::cerr << "check_driver: error: " << e.what() << '\n';
        return 8;
    }
}
