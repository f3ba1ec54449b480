// p1clean: a thin main over p1clean_lib and the shared command line.
#include <iostream>

#include "mspo/cli/output.hpp"
#include "mspo/cli/run.hpp"
#include "p1clean.hpp"

int main(int argc, char** argv) {
    using namespace mspo;
    return cli::run_tool(
        p1clean::spec(), p1clean::options_description(), argc, argv, [](const cli::Parsed& parsed) {
            const auto options = p1clean::options_from(parsed);
            return p1clean::run(options, std::cout, std::cerr, cli::show_progress(options.common));
        });
}
