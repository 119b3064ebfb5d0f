#include "daemon/serve.hpp"

#include "daemon/pipeline.hpp"
#include "daemon/server.hpp"

namespace coursecal {

int run_serve(const serve_options& opts) {
  return run_daemon(opts, [](const std::string& config_path) { return build_feeds(config_path); });
}

}  // namespace coursecal
