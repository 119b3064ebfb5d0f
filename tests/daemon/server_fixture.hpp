// A fixture for tests of the HTTP server over real sockets, in-process: the io_context runs on a
// thread, clients are plain blocking sockets (test_support.hpp). Serves one feed, given by start().
#pragma once

#include <chrono>
#include <functional>
#include <future>
#include <memory>
#include <thread>

#include <gtest/gtest.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>

#include "daemon/server.hpp"
#include "daemon/snapshot.hpp"

namespace coursecal::test {

class in_process_server : public ::testing::Test {
 protected:
  void start(server_limits limits, const feed_output& feed) {
    store_.set(make_snapshot({feed}, server_config{}, {}));
    server_ = std::make_unique<http_server>(ioc_, store_, metrics_, limits);
    server_->listen("127.0.0.1", 0);
    port_ = server_->local_port();
    server_->start();
    thread_ = std::thread([this] { ioc_.run(); });
  }

  // Runs `fn` on the I/O thread and waits for it.
  void on_io(std::function<void()> fn) {
    std::promise<void> done;
    boost::asio::post(ioc_, [&] {
      fn();
      done.set_value();
    });
    ASSERT_EQ(done.get_future().wait_for(std::chrono::seconds(5)), std::future_status::ready);
  }

  void TearDown() override {
    if (thread_.joinable()) {
      std::promise<void> drained;
      on_io(
          [&] { server_->shutdown(std::chrono::milliseconds(500), [&] { drained.set_value(); }); });
      EXPECT_EQ(drained.get_future().wait_for(std::chrono::seconds(5)), std::future_status::ready);
      ioc_.stop();
      thread_.join();
    }
    server_.reset();
  }

  // Waits until the server counts `n` connections, for at most `within`.
  bool wait_connections(std::size_t n,
                        std::chrono::milliseconds within = std::chrono::milliseconds(5000)) {
    const auto deadline = std::chrono::steady_clock::now() + within;
    while (std::chrono::steady_clock::now() < deadline) {
      if (server_->connection_count() == n) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return server_->connection_count() == n;
  }

  boost::asio::io_context ioc_;
  // Keeps run() going after a shutdown has drained everything, until TearDown stops it.
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_{
      ioc_.get_executor()};
  snapshot_store store_;
  server_metrics metrics_;
  std::unique_ptr<http_server> server_;
  unsigned short port_ = 0;
  std::thread thread_;
};

}  // namespace coursecal::test
