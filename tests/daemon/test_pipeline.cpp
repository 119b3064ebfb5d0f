// The pipeline with a feed cache: a rebuild renders again only the feeds whose inputs changed,
// and what it reuses is byte-identical to what a fresh build makes.
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <utime.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "daemon/pipeline.hpp"

namespace coursecal {
namespace {

namespace fs = std::filesystem;

void write(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << text;
}

// Sets a file's modification (and access) time, as `cp -p` or `rsync -a` would.
void set_mtime(const fs::path& p, std::int64_t t) {
  const ::utimbuf times{static_cast<time_t>(t), static_cast<time_t>(t)};
  ASSERT_EQ(::utime(p.c_str(), &times), 0) << p;
}

std::string week_page(const std::string& topic) {
  return "---\ntitle: Week 1\n---\n\nClass 1\n: {: .label} " + topic + "\n";
}

class PipelineCache : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("coursecal-pipeline-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    std::string cfg = "feeds:\n";
    for (const std::string id : {"aaa", "bbb"}) {
      write(dir_ / id / "_config.yml", "title: " + id + "\nurl: https://example.edu\n");
      write(dir_ / id / "_modules" / "week-01.md", week_page("Intro to " + id));
      cfg += "  - id: " + id + "\n    site: " + id +
             "\n    timezone: America/Los_Angeles\n    term: { start: 2025-03-31, end: "
             "2025-04-04 }\n    meetings:\n      - { kind: lecture, days: [Mon, Wed], start: "
             "\"10:00\", end: \"10:50\" }\n";
    }
    write(dir_ / "coursecal.yaml", cfg);
    ::setenv("SOURCE_DATE_EPOCH", "1735689600", 1);
  }
  void TearDown() override {
    ::unsetenv("SOURCE_DATE_EPOCH");
    fs::remove_all(dir_);
  }
  std::string config() const { return (dir_ / "coursecal.yaml").string(); }
  fs::path dir_;
};

TEST_F(PipelineCache, UnchangedFeedsAreReusedAndIdentical) {
  feed_cache cache;
  const build_result first = build_feeds(config(), std::nullopt, &cache);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(cache.last_rendered(), 2u);
  EXPECT_EQ(cache.last_reused(), 0u);

  const build_result second = build_feeds(config(), std::nullopt, &cache);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(cache.last_rendered(), 0u);
  EXPECT_EQ(cache.last_reused(), 2u);
  ASSERT_EQ(second.feeds.size(), 2u);
  EXPECT_EQ(second.feeds[0].ics, first.feeds[0].ics);
  EXPECT_EQ(second.feeds[1].ics, first.feeds[1].ics);
  // The same bytes as a build without any cache.
  EXPECT_EQ(build_feeds(config()).feeds[1].ics, second.feeds[1].ics);
}

TEST_F(PipelineCache, AnEditedPageRendersOnlyItsFeed) {
  feed_cache cache;
  ASSERT_TRUE(build_feeds(config(), std::nullopt, &cache).ok());
  write(dir_ / "bbb" / "_modules" / "week-01.md", week_page("Edited topic"));
  const build_result r = build_feeds(config(), std::nullopt, &cache);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(cache.last_rendered(), 1u);
  EXPECT_EQ(cache.last_reused(), 1u);
  EXPECT_EQ(r.feeds[0].ics.find("Edited topic"), std::string::npos);
  EXPECT_NE(r.feeds[1].ics.find("bbb: Edited topic"), std::string::npos);
}

TEST_F(PipelineCache, AddedPagesAndConfigEditsAreSeen) {
  feed_cache cache;
  ASSERT_TRUE(build_feeds(config(), std::nullopt, &cache).ok());
  // A new page: the _modules folder changes, so its feed is built again.
  write(dir_ / "aaa" / "_modules" / "week-02.md",
        "---\ntitle: Week 2\n---\n\nClass 1\n: {: .label} Second week\n");
  build_result r = build_feeds(config(), std::nullopt, &cache);
  EXPECT_EQ(cache.last_rendered(), 1u);
  // Outside the term (Apr 7 is after Apr 4): placed on its week's Monday with a warning.
  EXPECT_NE(r.feeds[0].ics.find("Second week"), std::string::npos);

  // The config file changed: every feed is built again.
  std::ifstream in(config());
  std::string cfg((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  write(config(), cfg + "\n# edited\n");
  r = build_feeds(config(), std::nullopt, &cache);
  EXPECT_EQ(cache.last_rendered(), 2u);
}

TEST_F(PipelineCache, AConfigWithErrorsIsReadAgainWhenASiteAppears) {
  // The config names a site folder that does not exist yet: an error, and nothing is cached.
  fs::rename(dir_ / "bbb", dir_ / "bbb-later");
  feed_cache cache;
  EXPECT_FALSE(build_feeds(config(), std::nullopt, &cache).ok());
  // The folder appears; the config file itself is untouched.
  fs::rename(dir_ / "bbb-later", dir_ / "bbb");
  const build_result r = build_feeds(config(), std::nullopt, &cache);
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(r.feeds.size(), 2u);
}

TEST_F(PipelineCache, WarningsOfReusedFeedsAreStillReported) {
  write(dir_ / "aaa" / "_modules" / "week-01.md",
        "---\ntitle: Week 1\n---\n\nClass 7\n: {: .label} Too many\n");
  feed_cache cache;
  const build_result first = build_feeds(config(), std::nullopt, &cache);
  const build_result second = build_feeds(config(), std::nullopt, &cache);
  EXPECT_EQ(cache.last_reused(), 2u);
  ASSERT_FALSE(first.diags.empty());
  ASSERT_EQ(second.diags.items().size(), first.diags.items().size());
  for (std::size_t i = 0; i < first.diags.items().size(); ++i)
    EXPECT_EQ(format_diagnostic(second.diags.items()[i]),
              format_diagnostic(first.diags.items()[i]));
}

TEST_F(PipelineCache, ReusedFeedsShareTheirBytesAndKeepNoEvents) {
  feed_cache cache;
  const build_result first = build_feeds(config(), std::nullopt, &cache);
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first.feeds[0].events.size(), 2u);  // Mon and Wed of the one week
  EXPECT_EQ(first.feeds[0].event_count, 2u);
  ASSERT_NE(first.feeds[0].upcoming, nullptr);
  EXPECT_EQ(first.feeds[0].upcoming->size(), 2u);

  const build_result second = build_feeds(config(), std::nullopt, &cache);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(cache.last_reused(), 2u);
  const feed_output& again = second.feeds[0];
  // The very same bytes (one allocation shared by the cache, the builds and the snapshot)...
  EXPECT_EQ(again.ics.data(), first.feeds[0].ics.data());
  EXPECT_EQ(again.upcoming, first.feeds[0].upcoming);
  // ...and no events: the cache does not keep them, the count and the page lines stand in.
  EXPECT_TRUE(again.events.empty());
  EXPECT_EQ(again.event_count, 2u);
}

TEST_F(PipelineCache, AFailedBuildLeavesTheCacheAsItWas) {
  feed_cache cache;
  ASSERT_TRUE(build_feeds(config(), std::nullopt, &cache).ok());
  // aaa changes while bbb breaks: the build fails, and nothing it made is cached...
  write(dir_ / "aaa" / "_modules" / "week-01.md", week_page("Changed during the failure"));
  fs::rename(dir_ / "bbb" / "_modules", dir_ / "bbb" / "modules-away");
  EXPECT_FALSE(build_feeds(config(), std::nullopt, &cache).ok());
  EXPECT_EQ(cache.last_rendered(), 2u);
  // ...so once bbb is mended, both are rendered again (aaa's failed build was never kept).
  fs::rename(dir_ / "bbb" / "modules-away", dir_ / "bbb" / "_modules");
  const build_result r = build_feeds(config(), std::nullopt, &cache);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(cache.last_rendered(), 2u);
  EXPECT_NE(r.feeds[0].ics.find("Changed during the failure"), std::string::npos);
  // And from then on both are reused.
  ASSERT_TRUE(build_feeds(config(), std::nullopt, &cache).ok());
  EXPECT_EQ(cache.last_reused(), 2u);
}

// Without SOURCE_DATE_EPOCH and outside git, a feed's time is its newest input's mtime; a running
// server (a build with a cache) never stamps a changed feed at or before what it published.
class PipelineStamps : public PipelineCache {
 protected:
  void SetUp() override {
    PipelineCache::SetUp();
    ::unsetenv("SOURCE_DATE_EPOCH");
    for (const auto& e : fs::recursive_directory_iterator(dir_))
      if (e.is_regular_file()) set_mtime(e.path(), t1);
    set_mtime(page(), t2);
  }
  fs::path page() const { return dir_ / "bbb" / "_modules" / "week-01.md"; }
  static constexpr std::int64_t t0 = 1600000000;  // 2020-09-13
  static constexpr std::int64_t t1 = 1700000000;  // 2023-11-14
  static constexpr std::int64_t t2 = 1700100000;  // a day later
};

TEST_F(PipelineStamps, ACopyOfAnOlderFileNeverMovesLastModifiedBack) {
  feed_cache cache;
  const build_result first = build_feeds(config(), std::nullopt, &cache);
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first.feeds[1].last_modified, t2);
  EXPECT_NE(first.feeds[1].ics.find("DTSTAMP:20231116T020000Z"), std::string::npos);

  // `cp -p` of an older version: other bytes, and the oldest mtime of all.
  write(page(), week_page("Restored from a backup"));
  set_mtime(page(), t0);
  const build_result second = build_feeds(config(), std::nullopt, &cache);
  ASSERT_TRUE(second.ok());
  ASSERT_EQ(cache.last_rendered(), 1u);
  // One second after what was published: If-Modified-Since that time now gets the new bytes.
  EXPECT_EQ(second.feeds[1].last_modified, t2 + 1);
  EXPECT_NE(second.feeds[1].ics.find("DTSTAMP:20231116T020001Z"), std::string::npos);
  EXPECT_NE(second.feeds[1].ics.find("Restored from a backup"), std::string::npos);
  EXPECT_EQ(second.feeds[0].last_modified, t1);  // the other feed is untouched

  // The page restored with its own bytes and an older mtime: the feed is what was published
  // before the change, and keeps the newer time (its bytes changed twice).
  write(page(), week_page("Intro to bbb"));
  set_mtime(page(), t0);
  const build_result third = build_feeds(config(), std::nullopt, &cache);
  EXPECT_EQ(third.feeds[1].last_modified, t2 + 2);
  // A fresh start (no cache) reads the mtimes alone.
  EXPECT_EQ(build_feeds(config()).feeds[1].last_modified, t1);
}

TEST_F(PipelineStamps, DeletingTheNewestFileNeverMovesLastModifiedBack) {
  write(dir_ / "bbb" / "_modules" / "week-02.md",
        "---\ntitle: Week 2\n---\n\nClass 1\n: {: .label} Newest page\n");
  set_mtime(dir_ / "bbb" / "_modules" / "week-02.md", t2 + 500);
  feed_cache cache;
  const build_result first = build_feeds(config(), std::nullopt, &cache);
  ASSERT_EQ(first.feeds[1].last_modified, t2 + 500);
  fs::remove(dir_ / "bbb" / "_modules" / "week-02.md");
  const build_result second = build_feeds(config(), std::nullopt, &cache);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second.feeds[1].ics.find("Newest page"), std::string::npos);
  EXPECT_EQ(second.feeds[1].last_modified, t2 + 501);
}

TEST_F(PipelineStamps, AnUnchangedFeedKeepsItsTimeAndBytes) {
  feed_cache cache;
  const build_result first = build_feeds(config(), std::nullopt, &cache);
  // The same bytes written again with an older mtime: rebuilt, and nothing published changes.
  write(page(), week_page("Intro to bbb"));
  set_mtime(page(), t0);
  const build_result second = build_feeds(config(), std::nullopt, &cache);
  ASSERT_EQ(cache.last_rendered(), 1u);
  EXPECT_EQ(second.feeds[1].last_modified, t2);
  EXPECT_EQ(second.feeds[1].ics, first.feeds[1].ics);
}

// A site in git: a commit made after an edit changes the stamp with no input file changing, and a
// running server's cache notices it (the repository's index, HEAD and branch are watched).
TEST_F(PipelineStamps, ACommitIsSeenWithoutAnyInputChanging) {
  if (std::system("git --version >/dev/null 2>&1") != 0) GTEST_SKIP() << "git not installed";
  const std::string site = (dir_ / "bbb").string();
  const std::string git = "cd '" + site + "' && HOME='" + dir_.string() +
                          "' GIT_CONFIG_NOSYSTEM=1 GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@e "
                          "GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@e ";
  ASSERT_EQ(std::system((git + "git init -q && git add -A && GIT_AUTHOR_DATE=2024-01-01T00:00:00Z "
                               "GIT_COMMITTER_DATE=2024-01-01T00:00:00Z git commit -qm one")
                            .c_str()),
            0);
  feed_cache cache;
  const build_result first = build_feeds(config(), std::nullopt, &cache);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first.feeds[1].last_modified, 1704067200);  // the commit, not the files' t2
  // An edit, not yet committed: its mtime.
  write(page(), week_page("Edited"));
  set_mtime(page(), 1706745600);  // 2024-02-01
  EXPECT_EQ(build_feeds(config(), std::nullopt, &cache).feeds[1].last_modified, 1706745600);
  // Committed later: the input files are as they were, the stamp is the commit's.
  ASSERT_EQ(std::system((git + "git add -A && GIT_AUTHOR_DATE=2024-03-01T00:00:00Z "
                               "GIT_COMMITTER_DATE=2024-03-01T00:00:00Z git commit -qm two")
                            .c_str()),
            0);
  const build_result third = build_feeds(config(), std::nullopt, &cache);
  EXPECT_EQ(cache.last_rendered(), 1u);
  EXPECT_EQ(third.feeds[1].last_modified, 1709251200);
  EXPECT_EQ(build_feeds(config()).feeds[1].ics, third.feeds[1].ics);  // as a fresh start makes it
  // The repository's files are watched by the server.
  bool watched = false;
  for (const auto& p : third.watched_paths) watched = watched || p.ends_with(".git/index");
  EXPECT_TRUE(watched);
}

}  // namespace
}  // namespace coursecal
