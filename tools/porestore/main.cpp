// porestore: a thin main over porestore_lib and the shared command line.
#include <iostream>

#include "mspo/cli/output.hpp"
#include "mspo/cli/run.hpp"
#include "porestore.hpp"

int main(int argc, char** argv) {
    using namespace mspo;
    return cli::run_tool(
        porestore::spec(), porestore::options_description(), argc, argv, [](const cli::Parsed& parsed) {
            const auto options = porestore::options_from(parsed);
            return porestore::run(options, std::cout, std::cerr, cli::show_progress(options.common));
        });
}
