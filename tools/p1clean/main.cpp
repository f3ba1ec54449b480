// p1clean: a thin main over p1clean.cpp and the shared command line.
#include <unistd.h>

#include <iostream>

#include "mspo/cli/run.hpp"
#include "p1clean.hpp"

int main(int argc, char** argv) {
    using namespace mspo;
    return cli::run_tool(p1clean::spec(), p1clean::options_description(), argc, argv,
                         [](const cli::Parsed& parsed) {
                             const auto options = p1clean::options_from(parsed);
                             const bool progress = !options.common.quiet && ::isatty(STDERR_FILENO) != 0;
                             return p1clean::run(options, std::cout, std::cerr, progress);
                         });
}
