#include "daemon/serve.hpp"

#include <memory>

#include "daemon/pipeline.hpp"
#include "daemon/server.hpp"

namespace coursecal {

int run_serve(const serve_options& opts) {
  // The initial build and every reload share one cache (reloads run one at a time), so a change
  // to one course renders only that course again.
  auto cache = std::make_shared<feed_cache>();
  return run_daemon(opts, [cache](const std::string& config_path) {
    return build_feeds(config_path, std::nullopt, cache.get());
  });
}

}  // namespace coursecal
