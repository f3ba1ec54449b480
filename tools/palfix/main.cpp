// palfix: a thin main over palfix_lib and the shared command line.
#include <iostream>

#include "mspo/cli/output.hpp"
#include "mspo/cli/run.hpp"
#include "palfix.hpp"

int main(int argc, char** argv) {
    using namespace mspo;
    return cli::run_tool(
        palfix::spec(), palfix::options_description(), argc, argv, [](const cli::Parsed& parsed) {
            const auto options = palfix::options_from(parsed);
            return palfix::run(options, std::cout, std::cerr, cli::show_progress(options.common));
        });
}
