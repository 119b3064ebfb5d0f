// coursecal: check | export | serve. Exceptions reaching here mean a broken environment (out of
// memory, an unreadable disk): report and exit non-zero, never 0 after a failure.
#include <exception>
#include <iostream>
#include <new>

#include "daemon/cli.hpp"

int main(int argc, char** argv) {
  try {
    std::vector<std::string> args(argv + 1, argv + argc);
    return coursecal::run_cli(args, std::cout, std::cerr);
  } catch (const std::bad_alloc&) {
    std::cerr << "coursecal: out of memory\n";
  } catch (const std::exception& e) {
    std::cerr << "coursecal: " << e.what() << '\n';
  }
  return 1;
}
