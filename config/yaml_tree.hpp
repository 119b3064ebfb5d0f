// YAML documents as yaml-cpp's parser reports them, kept compact. YAML::LoadAll builds a graph of
// reference-counted nodes, about 480 bytes a node: 17 MB for the 35,000 nodes of a 1000-course
// coursecal.yaml, the peak memory of a whole `coursecal export`. Here yaml-cpp still does all the
// parsing (scanner, parser, error marks, depth guard, anchors); its events are only stored
// differently: one array of small nodes per load (about 80 bytes a node).
//
// The handle mirrors the part of YAML::Node the config reader uses (IsMap(), Scalar(), Mark(),
// ...), with the same meaning: nulls are what yaml-cpp reports as nulls ("~", "null", empty
// values), a node's mark is its first token's, an alias is the node it names (so an anchor used
// inside itself makes a cycle, as with yaml-cpp; readers must walk by a schema, not generically).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <yaml-cpp/mark.h>

namespace coursecal::config {

namespace detail {
struct yaml_storage;
}
struct yaml_documents;

class yaml_node {
 public:
  yaml_node() = default;  // undefined (IsDefined() is false), like a missing YAML::Node

  bool IsDefined() const { return store_ != nullptr; }
  bool IsNull() const;
  bool IsScalar() const;
  bool IsSequence() const;
  bool IsMap() const;
  const std::string& Scalar() const;  // "" unless a scalar
  YAML::Mark Mark() const;            // null_mark() when undefined
  std::size_t size() const;           // entries of a sequence or map; 0 otherwise

  // A sequence's entries (nothing for other kinds): `for (const yaml_node& e : seq)`.
  class iterator;
  iterator begin() const;
  iterator end() const;

  // A map's entries in the order written, duplicate keys included (nothing for other kinds).
  std::vector<std::pair<yaml_node, yaml_node>> pairs() const;

 private:
  friend yaml_documents load_yaml(std::string_view text);
  yaml_node(std::shared_ptr<const detail::yaml_storage> store, std::uint32_t index)
      : store_(std::move(store)), index_(index) {}

  std::shared_ptr<const detail::yaml_storage> store_;
  std::uint32_t index_ = 0;
};

class yaml_node::iterator {
 public:
  using value_type = yaml_node;
  using difference_type = std::ptrdiff_t;

  iterator() = default;
  yaml_node operator*() const;
  iterator& operator++() {
    ++at_;
    return *this;
  }
  bool operator==(const iterator& o) const { return at_ == o.at_; }

 private:
  friend class yaml_node;
  iterator(const yaml_node* seq, std::size_t at) : seq_(seq), at_(at) {}
  const yaml_node* seq_ = nullptr;
  std::size_t at_ = 0;
};

struct yaml_documents {
  std::vector<yaml_node> docs;  // each document's root, in order
  // Set when yaml-cpp stops making progress: 0.7 parses a stray ',' outside any flow collection
  // as an empty document without consuming it, forever. The place where it got stuck.
  std::optional<YAML::Mark> stuck_at;
};

// Parses every document of `text`. Throws what yaml-cpp's parser throws on bad YAML
// (YAML::ParserException with a mark, YAML::DeepRecursion).
yaml_documents load_yaml(std::string_view text);

}  // namespace coursecal::config
