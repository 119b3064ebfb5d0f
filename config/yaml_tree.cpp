#include "config/yaml_tree.hpp"

#include <map>
#include <sstream>

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/parser.h>

namespace coursecal::config {

namespace detail {

struct yaml_entry {
  enum class kind : std::uint8_t { null, scalar, sequence, map };
  kind what = kind::null;
  YAML::Mark mark = YAML::Mark::null_mark();
  std::string scalar;                   // kind::scalar
  std::vector<std::uint32_t> children;  // sequence: entries; map: key, value, key, value, ...
};

struct yaml_storage {
  std::vector<yaml_entry> entries;
};

}  // namespace detail

namespace {

using detail::yaml_entry;
using kind = yaml_entry::kind;

const std::string empty_text;

// Stores yaml-cpp's events the way YAML::NodeBuilder links nodes: a node is attached to its
// parent when it starts, an anchor is known from its node's start on, an alias is its node.
class builder : public YAML::EventHandler {
 public:
  explicit builder(detail::yaml_storage& store) : store_(store) {}

  void OnDocumentStart(const YAML::Mark& mark) override {
    start_ = mark;
    root_.reset();
    stack_.clear();
    anchors_.clear();
  }
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    add(kind::null, mark, anchor);
  }
  void OnAlias(const YAML::Mark&, YAML::anchor_t anchor) override {
    // The parser resolves anchors itself and throws on an unknown one; stay safe regardless.
    const auto it = anchors_.find(anchor);
    if (it != anchors_.end()) {
      attach(it->second);
    } else {
      add(kind::null, YAML::Mark::null_mark(), YAML::NullAnchor);
    }
  }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                const std::string& value) override {
    store_.entries[add(kind::scalar, mark, anchor)].scalar = value;
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    stack_.push_back(add(kind::sequence, mark, anchor));
  }
  void OnSequenceEnd() override { pop(); }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    stack_.push_back(add(kind::map, mark, anchor));
  }
  void OnMapEnd() override { pop(); }

  const YAML::Mark& start() const { return start_; }
  // The document's root; a document without nodes has a null one, as with YAML::LoadAll.
  std::uint32_t root() {
    if (!root_) root_ = add_entry(kind::null, YAML::Mark::null_mark());
    return *root_;
  }

 private:
  std::uint32_t add_entry(kind k, const YAML::Mark& mark) {
    store_.entries.push_back({k, mark, {}, {}});
    return static_cast<std::uint32_t>(store_.entries.size() - 1);
  }

  std::uint32_t add(kind k, const YAML::Mark& mark, YAML::anchor_t anchor) {
    const std::uint32_t index = add_entry(k, mark);
    if (anchor != YAML::NullAnchor) anchors_[anchor] = index;
    attach(index);
    return index;
  }

  void attach(std::uint32_t index) {
    if (stack_.empty()) {
      if (!root_) root_ = index;
    } else {
      store_.entries[stack_.back()].children.push_back(index);
    }
  }

  void pop() {
    if (stack_.empty()) return;
    store_.entries[stack_.back()].children.shrink_to_fit();
    stack_.pop_back();
  }

  detail::yaml_storage& store_;
  YAML::Mark start_ = YAML::Mark::null_mark();
  std::optional<std::uint32_t> root_;
  std::vector<std::uint32_t> stack_;
  std::map<YAML::anchor_t, std::uint32_t> anchors_;
};

}  // namespace

namespace {
const yaml_entry* entry_of(const std::shared_ptr<const detail::yaml_storage>& store,
                           std::uint32_t index) {
  return store ? &store->entries[index] : nullptr;
}

bool is_kind(const std::shared_ptr<const detail::yaml_storage>& store, std::uint32_t index,
             kind k) {
  const auto* e = entry_of(store, index);
  return e && e->what == k;
}
}  // namespace

bool yaml_node::IsNull() const { return is_kind(store_, index_, kind::null); }
bool yaml_node::IsScalar() const { return is_kind(store_, index_, kind::scalar); }
bool yaml_node::IsSequence() const { return is_kind(store_, index_, kind::sequence); }
bool yaml_node::IsMap() const { return is_kind(store_, index_, kind::map); }
const std::string& yaml_node::Scalar() const {
  const auto* e = entry_of(store_, index_);
  return e && e->what == kind::scalar ? e->scalar : empty_text;
}
YAML::Mark yaml_node::Mark() const {
  const auto* e = entry_of(store_, index_);
  return e ? e->mark : YAML::Mark::null_mark();
}
std::size_t yaml_node::size() const {
  const auto* e = entry_of(store_, index_);
  if (!e) return 0;
  if (e->what == kind::sequence) return e->children.size();
  if (e->what == kind::map) return e->children.size() / 2;
  return 0;
}

yaml_node::iterator yaml_node::begin() const { return {this, 0}; }
yaml_node::iterator yaml_node::end() const { return {this, IsSequence() ? size() : 0}; }

yaml_node yaml_node::iterator::operator*() const {
  return {seq_->store_, seq_->store_->entries[seq_->index_].children[at_]};
}

std::vector<std::pair<yaml_node, yaml_node>> yaml_node::pairs() const {
  std::vector<std::pair<yaml_node, yaml_node>> out;
  if (!IsMap()) return out;
  const auto& children = store_->entries[index_].children;
  out.reserve(children.size() / 2);
  for (std::size_t i = 0; i + 1 < children.size(); i += 2)
    out.emplace_back(yaml_node{store_, children[i]}, yaml_node{store_, children[i + 1]});
  return out;
}

yaml_documents load_yaml(std::string_view text) {
  auto store = std::make_shared<detail::yaml_storage>();
  yaml_documents out;
  std::vector<std::uint32_t> roots;
  {
    std::istringstream in{std::string(text)};
    YAML::Parser parser(in);
    builder b(*store);
    std::optional<int> previous;
    while (parser.HandleNextDocument(b)) {
      if (previous == b.start().pos) {
        out.stuck_at = b.start();
        return out;
      }
      previous = b.start().pos;
      roots.push_back(b.root());
    }
  }
  store->entries.shrink_to_fit();
  std::shared_ptr<const detail::yaml_storage> shared = std::move(store);
  for (std::uint32_t root : roots) out.docs.push_back(yaml_node{shared, root});
  return out;
}

}  // namespace coursecal::config
