// The daemon end to end, as a child process: start, serve, reload on edits (inotify), survive a
// broken config, recover, SIGHUP, and exit 0 on SIGTERM after finishing the request in flight.
// Runs twice: with coursecal_fake_serve (run_daemon + a fake builder: tests the serving side
// alone) and with the real `coursecal serve` binary (skipped while it is not built).
#include <signal.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

#include <gtest/gtest.h>

#include "test_support.hpp"

namespace coursecal {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using namespace coursecal::test;

struct flavor {
  std::string name;
  std::string binary;
  std::vector<std::string> args_before;  // between the binary and "-c"
  std::string feed_id;
  std::function<std::string(bool broken)> config;
};

const std::string week_page_before = "---\ntitle: Week 1\n---\n\nClass 1\n: {: .label} Intro\n";
const std::string week_page_after =
    "---\ntitle: Week 1\n---\n\nClass 1\n: {: .label} Introduction to Testing\n";

std::string real_config(bool broken) {
  std::string cfg = test::test101_config();
  if (broken) cfg += "  - id: [unclosed\n";
  return cfg;
}

std::string fake_config(bool broken) { return broken ? "site: site\nbroken\n" : "site: site\n"; }

void write_file(const fs::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

// Saves like an editor that writes a temporary file and renames it over the original.
void save_by_rename(const fs::path& path, const std::string& text) {
  const fs::path tmp = path.parent_path() / ("." + path.filename().string() + ".tmp");
  write_file(tmp, text);
  fs::rename(tmp, path);
}

bool wait_until(const std::function<bool()>& pred, std::chrono::milliseconds within = 3000ms) {
  const auto deadline = std::chrono::steady_clock::now() + within;
  while (std::chrono::steady_clock::now() < deadline) {
    if (pred()) return true;
    std::this_thread::sleep_for(50ms);
  }
  return pred();
}

void PrintTo(const flavor& f, std::ostream* os) { *os << f.name; }

class LiveTest : public ::testing::TestWithParam<flavor> {
 protected:
  void SetUp() override {
    if (GetParam().binary.empty() || !fs::exists(GetParam().binary)) {
      GTEST_SKIP() << GetParam().name << " binary not built";
    }
    std::string tmpl = (fs::temp_directory_path() / "coursecal-live-XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    fs::create_directories(dir_ / "site" / "_modules");
    write_file(dir_ / "site" / "_config.yml",
               "title: TEST 101\ndescription: Testing\nurl: https://example.edu\nbaseurl: /t\n");
    write_file(week_page(), week_page_before);
    write_file(config(), GetParam().config(false));
  }

  void TearDown() override {
    if (!dir_.empty()) {
      std::error_code ec;
      fs::remove_all(dir_, ec);
    }
  }

  fs::path config() const { return dir_ / "coursecal.yaml"; }
  fs::path week_page() const { return dir_ / "site" / "_modules" / "week-01.md"; }
  std::string feed_path() const { return "/" + GetParam().feed_id + ".ics"; }

  std::vector<std::string> args(const std::string& listen = "127.0.0.1:0") const {
    std::vector<std::string> a{GetParam().binary};
    a.insert(a.end(), GetParam().args_before.begin(), GetParam().args_before.end());
    a.insert(a.end(), {"-c", config().string(), "--listen", listen});
    return a;
  }

  std::string metric(unsigned short port, const std::string& name) {
    const auto r = http_get(port, "/metrics");
    if (!r) return {};
    const auto at = r->body.find("\n" + name + " ");
    if (at == std::string::npos) return {};
    const auto start = at + name.size() + 2;
    return r->body.substr(start, r->body.find('\n', start) - start);
  }

  fs::path dir_;
};

TEST_P(LiveTest, ServesReloadsSurvivesBrokenConfigAndStopsGracefully) {
  child_process server;
  ASSERT_TRUE(server.start(args()));
  const unsigned short port = server.wait_for_port();
  ASSERT_NE(port, 0) << "stderr:\n" << server.err;
  EXPECT_TRUE(server.wait_for_output("<6>coursecal: feed " + GetParam().feed_id +
                                         ": http://127.0.0.1:" + std::to_string(port) + feed_path(),
                                     2s))
      << server.err;

  // 1. The feed is served.
  auto first = http_get(port, feed_path());
  ASSERT_TRUE(first);
  ASSERT_EQ(first->status, 200) << first->body;
  EXPECT_EQ(first->header("content-type"), "text/calendar; charset=utf-8");
  EXPECT_NE(first->body.find("Intro"), std::string::npos);
  EXPECT_EQ(first->body.find("Introduction to Testing"), std::string::npos);
  const std::string etag1 = first->header("etag");
  ASSERT_FALSE(etag1.empty());
  auto page = http_get(port, "/");
  ASSERT_TRUE(page);
  EXPECT_NE(page->body.find("webcal://127.0.0.1:" + std::to_string(port) + feed_path()),
            std::string::npos);

  // 2. An edit (saved by rename, like most editors) is served within ~3 s, with a new ETag.
  save_by_rename(week_page(), week_page_after);
  std::optional<http_reply> edited;
  EXPECT_TRUE(wait_until([&] {
    edited = http_get(port, feed_path());
    return edited && edited->status == 200 && edited->header("etag") != etag1;
  })) << server.err;
  ASSERT_TRUE(edited);
  EXPECT_NE(edited->body.find("Introduction to Testing"), std::string::npos);
  const std::string etag2 = edited->header("etag");
  EXPECT_EQ(metric(port, "coursecal_reloads_failed_total"), "0");

  // 3. A broken config: the reload fails, the last good feed stays, /metrics and /healthz say so.
  write_file(config(), GetParam().config(true));
  EXPECT_TRUE(wait_until([&] { return metric(port, "coursecal_reloads_failed_total") == "1"; }))
      << server.err;
  EXPECT_EQ(metric(port, "coursecal_last_reload_success"), "0");
  auto still = http_get(port, feed_path());
  ASSERT_TRUE(still);
  EXPECT_EQ(still->status, 200);
  EXPECT_EQ(still->header("etag"), etag2);
  auto health = http_get(port, "/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  EXPECT_NE(health->body.find("\"last_reload\":\"failed\""), std::string::npos);
  EXPECT_TRUE(server.wait_for_output("<3>", 2s)) << server.err;

  // 4. Fixed: recovery.
  write_file(config(), GetParam().config(false));
  EXPECT_TRUE(wait_until([&] { return metric(port, "coursecal_last_reload_success") == "1"; }))
      << server.err;
  auto recovered = http_get(port, feed_path());
  ASSERT_TRUE(recovered);
  EXPECT_EQ(recovered->status, 200);
  EXPECT_NE(recovered->body.find("Introduction to Testing"), std::string::npos);
  health = http_get(port, "/healthz");
  ASSERT_TRUE(health);
  EXPECT_NE(health->body.find("\"last_reload\":\"ok\""), std::string::npos);

  // 5. SIGHUP reloads.
  const std::string ok_before = metric(port, "coursecal_reloads_ok_total");
  ASSERT_EQ(::kill(server.pid, SIGHUP), 0);
  EXPECT_TRUE(wait_until([&] {
    const std::string now = metric(port, "coursecal_reloads_ok_total");
    return !now.empty() && now != ok_before;
  })) << server.err;

  // 6. SIGTERM during a request: the request completes, then the process exits 0.
  const int fd = connect_local(port);
  ASSERT_GE(fd, 0);
  ASSERT_TRUE(send_all(fd, "GET " + feed_path() + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"));
  std::this_thread::sleep_for(200ms);
  ASSERT_EQ(::kill(server.pid, SIGTERM), 0);
  std::this_thread::sleep_for(200ms);
  ASSERT_TRUE(send_all(fd, "Accept-Encoding: identity\r\n\r\n"));
  std::string buf;
  const auto last = read_reply(fd, buf);
  ::close(fd);
  ASSERT_TRUE(last) << server.err;
  EXPECT_EQ(last->status, 200);
  EXPECT_NE(last->body.find("Introduction to Testing"), std::string::npos);
  EXPECT_EQ(last->header("connection"), "close");
  EXPECT_EQ(server.wait_exit(5s), 0) << server.err;
  EXPECT_LT(connect_local(port), 0);
}

TEST_P(LiveTest, BadConfigAtStartExits1WithDiagnostics) {
  write_file(config(), GetParam().config(true));
  child_process server;
  ASSERT_TRUE(server.start(args()));
  EXPECT_EQ(server.wait_exit(10s), 1);
  server.wait_for_output("\n", 1s);
  server.wait_for_output("__eof__", 500ms);  // drain what is left
  EXPECT_NE(server.err.find("<3>"), std::string::npos) << server.err;
  EXPECT_NE(server.err.find("error"), std::string::npos) << server.err;
}

TEST_P(LiveTest, AddressInUseExits1) {
  child_process first;
  ASSERT_TRUE(first.start(args()));
  const unsigned short port = first.wait_for_port();
  ASSERT_NE(port, 0) << first.err;
  child_process second;
  ASSERT_TRUE(second.start(args("127.0.0.1:" + std::to_string(port))));
  EXPECT_EQ(second.wait_exit(10s), 1);
  ASSERT_EQ(::kill(first.pid, SIGINT), 0);
  EXPECT_EQ(first.wait_exit(5s), 0) << first.err;
}

std::vector<flavor> flavors() {
  std::vector<flavor> out;
  out.push_back({"fake", COURSECAL_FAKE_SERVE, {"--grace-ms", "3000"}, "fake", fake_config});
#ifdef COURSECAL_BIN
  out.push_back({"real", COURSECAL_BIN, {"serve"}, "test101", real_config});
#else
  out.push_back({"real", "", {"serve"}, "test101", real_config});
#endif
  return out;
}

INSTANTIATE_TEST_SUITE_P(Daemon, LiveTest, ::testing::ValuesIn(flavors()),
                         [](const auto& p) { return p.param.name; });

}  // namespace
}  // namespace coursecal
