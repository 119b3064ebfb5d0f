// The compact YAML documents (config/yaml_tree) against YAML::LoadAll on the same text: the same
// kinds, scalars, marks, sizes and order, the same documents, the same errors. The config reader
// relies on yaml_node meaning exactly what YAML::Node meant.
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include "config/yaml_tree.hpp"

namespace coursecal::config {
namespace {

namespace fs = std::filesystem;

// Compares two trees down to `depth` levels (aliases can make cycles: both sides share them).
void expect_same(const yaml_node& mine, const YAML::Node& theirs, const std::string& where,
                 int depth = 12) {
  ASSERT_EQ(mine.IsDefined(), theirs.IsDefined()) << where;
  ASSERT_EQ(mine.IsNull(), theirs.IsNull()) << where;
  ASSERT_EQ(mine.IsScalar(), theirs.IsScalar()) << where;
  ASSERT_EQ(mine.IsSequence(), theirs.IsSequence()) << where;
  ASSERT_EQ(mine.IsMap(), theirs.IsMap()) << where;
  const YAML::Mark a = mine.Mark();
  const YAML::Mark b = theirs.Mark();
  EXPECT_EQ(a.pos, b.pos) << where;
  EXPECT_EQ(a.line, b.line) << where;
  EXPECT_EQ(a.column, b.column) << where;
  if (theirs.IsScalar()) {
    EXPECT_EQ(mine.Scalar(), theirs.Scalar()) << where;
  }
  ASSERT_EQ(mine.size(), theirs.size()) << where;
  if (depth == 0) return;
  if (theirs.IsSequence()) {
    std::size_t i = 0;
    for (const yaml_node& e : mine) {
      expect_same(e, theirs[i], where + "[" + std::to_string(i) + "]", depth - 1);
      ++i;
    }
    EXPECT_EQ(i, theirs.size()) << where;
  } else if (theirs.IsMap()) {
    const auto pairs = mine.pairs();
    std::size_t i = 0;
    for (auto it = theirs.begin(); it != theirs.end(); ++it, ++i) {
      ASSERT_LT(i, pairs.size()) << where;
      expect_same(pairs[i].first, it->first, where + ".key" + std::to_string(i), depth - 1);
      expect_same(pairs[i].second, it->second, where + ".value" + std::to_string(i), depth - 1);
    }
    EXPECT_EQ(i, pairs.size()) << where;
  }
}

void expect_same_documents(const std::string& text, const std::string& name) {
  std::vector<YAML::Node> theirs;
  std::string their_error;
  YAML::Mark their_mark = YAML::Mark::null_mark();
  try {
    theirs = YAML::LoadAll(text);
  } catch (const YAML::Exception& e) {
    their_error = e.msg;
    their_mark = e.mark;
  }
  std::string my_error;
  YAML::Mark my_mark = YAML::Mark::null_mark();
  yaml_documents mine;
  try {
    mine = load_yaml(text);
  } catch (const YAML::Exception& e) {
    my_error = e.msg;
    my_mark = e.mark;
  }
  ASSERT_EQ(my_error, their_error) << name;
  EXPECT_EQ(my_mark.pos, their_mark.pos) << name;
  if (!their_error.empty()) return;
  ASSERT_FALSE(mine.stuck_at.has_value()) << name;
  ASSERT_EQ(mine.docs.size(), theirs.size()) << name;
  for (std::size_t i = 0; i < theirs.size(); ++i)
    expect_same(mine.docs[i], theirs[i], name + ":doc" + std::to_string(i));
}

TEST(YamlTree, SameAsYamlCppOnHandPickedDocuments) {
  const std::vector<std::string> cases = {
      "",
      "# only a comment\n",
      "---\n",
      "a: 1\n---\nb: [2, 3]\n",
      "~",
      "key:\nnext: null\nthird: ~\nfourth: \"\"\n",
      "list:\n  - one\n  -\n  - [a, {b: c}]\n  - {x: [1, 2], y: !tag value}\n",
      "dup: 1\ndup: 2\n",
      "? [complex, key]\n: value\n? {a: b}\n: other\n",
      "base: &b {start: '10:00', end: \"10:50\"}\nuse: *b\nlist: [*b, *b]\n",
      "self: &s [1, *s]\n",
      "multi: |\n  line one\n  line two\nfolded: >\n  a\n  b\nplain: a  b  \n",
      "feeds:\n  - id: x\n    term: { start: 2025-03-31, end: 2025-06-06 }\n    meetings:\n"
      "      - { kind: lecture, days: [Mon, Wed], start: \"10:00\", end: \"10:50\" }\n",
      "a: [1, 2\n",   // unterminated flow sequence
      "a: b: c\n",    // illegal map value
      "- a\nb: c\n",  // block sequence then a map
      "a: *nope\n",   // unknown anchor
      "\t- tab\n",
  };
  for (std::size_t i = 0; i < cases.size(); ++i)
    expect_same_documents(cases[i], "case " + std::to_string(i));
}

TEST(YamlTree, SameAsYamlCppOnEveryYamlFileInTheRepository) {
  std::size_t files = 0;
  const fs::path root(COURSECAL_SOURCE_DIR);
  for (const char* sub : {"fuzz/corpus/fuzz_config", "examples", "tests/fixtures"}) {
    for (const auto& e : fs::recursive_directory_iterator(root / sub)) {
      if (!e.is_regular_file()) continue;
      const std::string ext = e.path().extension().string();
      if (ext != ".yaml" && ext != ".yml") continue;
      std::ifstream in(e.path(), std::ios::binary);
      std::ostringstream text;
      text << in.rdbuf();
      // A stray ',' makes yaml-cpp's LoadAll loop forever: only load_yaml can take those.
      const yaml_documents mine = load_yaml(text.str());
      if (mine.stuck_at) continue;
      expect_same_documents(text.str(), e.path().string());
      ++files;
    }
  }
  EXPECT_GT(files, 10u);
}

TEST(YamlTree, AStrayCommaIsReportedNotLoopedOn) {
  yaml_documents d = load_yaml(",");
  ASSERT_TRUE(d.stuck_at.has_value());
  EXPECT_EQ(d.stuck_at->pos, 0);
  d = load_yaml("\n\n  ,x\n");
  ASSERT_TRUE(d.stuck_at.has_value());
  EXPECT_EQ(d.stuck_at->line, 2);
  EXPECT_EQ(d.stuck_at->column, 2);
}

TEST(YamlTree, UndefinedNodesAreEmpty) {
  const yaml_node none;
  EXPECT_FALSE(none.IsDefined());
  EXPECT_FALSE(none.IsNull());
  EXPECT_EQ(none.Scalar(), "");
  EXPECT_EQ(none.size(), 0u);
  EXPECT_TRUE(none.Mark().is_null());
  EXPECT_TRUE(none.pairs().empty());
  EXPECT_TRUE(none.begin() == none.end());
}

}  // namespace
}  // namespace coursecal::config
