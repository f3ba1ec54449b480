// pogen: a thin main over pogen.cpp and the shared command line.
#include <iostream>

#include "mspo/cli/run.hpp"
#include "pogen.hpp"

int main(int argc, char** argv) {
    using namespace mspo;
    return cli::run_tool(
        pogen::cli_spec(), pogen::options_description(), argc, argv,
        [](const cli::Parsed& parsed) { return pogen::run(pogen::options_from(parsed), std::cout); });
}
