// `coursecal serve`: the HTTP daemon. See server.hpp for the parts.
#pragma once

#include <optional>
#include <string>

namespace coursecal {

struct serve_options {
  std::string config_path;
  // "HOST:PORT" or "[V6]:PORT"; overrides server.listen ("127.0.0.1:0" in tests: any free port).
  // Ignored when systemd passes a listening socket.
  std::optional<std::string> listen;
};

// Builds every feed, then serves them until SIGTERM/SIGINT (exit 0). Reloads on SIGHUP and when
// an input changes. Logs to stderr with sd-daemon priority prefixes; once listening it logs
// "<6>coursecal: listening on http://HOST:PORT/" with the real port, then one line per feed URL.
// Returns 1 when the configuration has errors at start-up or the address cannot be bound.
int run_serve(const serve_options& opts);

}  // namespace coursecal
