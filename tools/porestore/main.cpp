// porestore: a thin main over porestore.cpp and the shared command line.
#include <unistd.h>

#include <iostream>

#include "mspo/cli/run.hpp"
#include "porestore.hpp"

int main(int argc, char** argv) {
    using namespace mspo;
    return cli::run_tool(porestore::spec(), porestore::options_description(), argc, argv,
                         [](const cli::Parsed& parsed) {
                             const auto options = porestore::options_from(parsed);
                             const bool progress = !options.common.quiet && ::isatty(STDERR_FILENO) != 0;
                             return porestore::run(options, std::cout, std::cerr, progress);
                         });
}
