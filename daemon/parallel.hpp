// Runs independent pieces of work on a few threads: feeds are built and compressed in parallel.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <thread>
#include <vector>

namespace coursecal {

// Calls work(i) once for every i in [0, n), on up to `max_threads` threads (never more than the
// machine has, never more than n), the calling thread included. Returns when all calls returned.
// `work` must be safe to run concurrently for different i.
template <class Work>
void parallel_for(std::size_t n, std::size_t max_threads, Work&& work) {
  std::atomic<std::size_t> next{0};
  auto run = [&] {
    for (std::size_t i = next++; i < n; i = next++) work(i);
  };
  const std::size_t threads = std::min<std::size_t>(
      {n, max_threads, std::max<std::size_t>(1, std::thread::hardware_concurrency())});
  std::vector<std::thread> pool;
  for (std::size_t t = 1; t < threads; ++t) pool.emplace_back(run);
  run();
  for (auto& t : pool) t.join();
}

}  // namespace coursecal
