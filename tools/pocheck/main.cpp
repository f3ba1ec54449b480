// pocheck: a thin main over pocheck_lib and the shared command line.
#include <iostream>

#include "mspo/cli/output.hpp"
#include "mspo/cli/run.hpp"
#include "pocheck.hpp"

int main(int argc, char** argv) {
    using namespace mspo;
    return cli::run_tool(
        pocheck::spec(), pocheck::options_description(), argc, argv, [](const cli::Parsed& parsed) {
            const auto options = pocheck::options_from(parsed);
            return pocheck::run(options, std::cout, std::cerr, cli::show_progress(options.common));
        });
}
