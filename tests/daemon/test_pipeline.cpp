// The pipeline with a feed cache: a rebuild renders again only the feeds whose inputs changed,
// and what it reuses is byte-identical to what a fresh build makes.
#include <gtest/gtest.h>

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

}  // namespace
}  // namespace coursecal
