// listuser: a thin main over listuser_lib and the shared command line.
#include <iostream>

#include "listuser.hpp"
#include "mspo/cli/run.hpp"

int main(int argc, char** argv) {
    using namespace mspo;
    return cli::run_tool(listuser::spec(), listuser::options_description(), argc, argv,
                         [](const cli::Parsed& parsed) {
                             return listuser::run(listuser::options_from(parsed), std::cout, std::cerr);
                         });
}
