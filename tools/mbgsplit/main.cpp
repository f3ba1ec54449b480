// mbgsplit: a thin main over mbgsplit_lib and the shared command line.
#include <iostream>

#include "mbgsplit.hpp"
#include "mspo/cli/output.hpp"
#include "mspo/cli/run.hpp"

int main(int argc, char** argv) {
    using namespace mspo;
    return cli::run_tool(
        mbgsplit::spec(), mbgsplit::options_description(), argc, argv, [](const cli::Parsed& parsed) {
            const auto options = mbgsplit::options_from(parsed);
            return mbgsplit::run(options, std::cout, std::cerr, cli::show_progress(options.common));
        });
}
